"""HTTP hygiene: who the client is, what the logs keep, what every response says."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import PASSWORD, StaffMember, make_user, serving


def _login_ips(base: str, member: StaffMember, forwarded_for: str) -> list[str | None]:
    """Sign in with a forged X-Forwarded-For; return the IPs the audit saw for this user."""
    with httpx.Client(base_url=base) as client:
        login = client.post(
            "/api/auth/login",
            json={"email": member.email, "password": PASSWORD},
            headers={"X-Forwarded-For": forwarded_for},
        )
        assert login.status_code == 200, login.text
        client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        page = client.get("/api/audit", params={"action": "auth.login", "actor_id": member.id})
        assert page.status_code == 200, page.text
        return [event["ip"] for event in page.json()["items"]]


@pytest.fixture(scope="session")
def server_behind_proxy(live_server: str, test_env: dict[str, str], tmp_dir) -> Iterator[str]:
    """`achterban serve` told that a proxy on the same host forwards to it."""
    env = {**test_env, "ACHTERBAN_TRUSTED_PROXIES": "127.0.0.1,::1"}
    with serving(env, "proxied_server") as base:
        yield base


async def test_a_forged_x_forwarded_for_does_not_change_the_audited_ip(live_server):
    member = await make_user("admin")
    ips = _login_ips(live_server, member, "203.0.113.66")
    assert ips and "203.0.113.66" not in ips
    assert ips[0] == "127.0.0.1"


async def test_behind_a_listed_proxy_the_forwarded_client_ip_is_audited(server_behind_proxy):
    member = await make_user("admin")
    ips = _login_ips(server_behind_proxy, member, "203.0.113.67")
    assert ips[0] == "203.0.113.67"


def _log_after(path, mark: int) -> str:
    time.sleep(0.3)  # the server writes its line after the response
    return path.read_text(errors="replace")[mark:]


def test_the_request_log_keeps_no_tokens_and_no_forged_lines(live_server, tmp_dir):
    log_file = tmp_dir / "live_server.log"
    mark = len(log_file.read_text(errors="replace"))
    secret = "abt_SeCrEtToKeN1234567890"
    link = "pLinkToken.Quoblin-7f3a9c"
    with httpx.Client(base_url=live_server) as client:
        client.get(f"/api/public/preferences/{link}")
        client.get(f"/preferences/{link}")
        client.get("/api/people", params={"token": link, "q": "Quoblin"})
        client.get("/api/auth/me", headers={"Authorization": f"Bearer {secret}"})
        client.get(f"/people/{secret}")
        client.get("/people%0a2026-12-01 00:00:00,000 INFO  achterban.request: forged")
        client.get("/x%0d%1b[31mred")
    written = _log_after(log_file, mark)
    assert "/api/public/preferences/[redacted]" in written
    assert "/preferences/[redacted]" in written
    for leaked in (secret, link, "Quoblin"):
        assert leaked not in written
    lines = written.splitlines()
    assert not any(line.startswith("2026-12-01 00:00:00,000") for line in lines), written
    assert "/people\\n2026-12-01" in written, written
    assert "\x1b" not in written and "\r" not in written


async def test_every_api_answer_is_kept_by_nobody_and_framed_by_nobody(admin_client, anon):
    answers = [
        await admin_client.get("/api/auth/me"),
        await admin_client.get("/api/people"),
        await anon.get("/api/people"),  # 401
        await anon.get("/api/no-such-thing"),  # 404 from no route at all
        await anon.post("/api/auth/login", json={"email": "x\u0000"}),  # 400
        await anon.get("/api/schema/openapi.json"),
    ]
    for response in answers:
        where = f"{response.request.method} {response.request.url.path} {response.status_code}"
        assert response.headers["cache-control"] == "no-store", where
        assert response.headers["x-content-type-options"] == "nosniff", where
        assert response.headers["x-frame-options"] == "DENY", where
        assert response.headers["referrer-policy"] == "no-referrer", where
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], where


async def test_the_web_app_and_the_docs_page_may_run_only_our_own_scripts(anon):
    for path in ("/", "/login", "/preferences/some-token", "/api/schema"):
        response = await anon.get(path)
        assert response.status_code == 200, path
        policy = dict(
            part.strip().split(" ", 1)
            for part in response.headers["content-security-policy"].split(";")
        )
        assert policy["default-src"] == "'self'", path
        assert policy["script-src"] == "'self'", path  # no inline or injected script
        assert policy["frame-ancestors"] == "'none'", path
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
    index = await anon.get("/")
    assert index.headers["cache-control"] == "no-cache"  # the page is fresh, its assets hashed
    assert "<script>" not in index.text


def _policy(response: httpx.Response) -> dict[str, str]:
    return dict(
        part.strip().split(" ", 1)
        for part in response.headers["content-security-policy"].split(";")
    )


async def test_no_one_may_frame_the_embeddable_form_unless_origins_are_configured(anon):
    for path in ("/form/embed", "/form"):
        response = await anon.get(path)
        assert response.status_code == 200, path
        assert response.headers["x-frame-options"] == "DENY", path
        assert _policy(response)["frame-ancestors"] == "'none'", path


def test_only_the_embeddable_form_may_be_framed_by_the_configured_origins(embedding_server):
    with httpx.Client(base_url=embedding_server["base"]) as client:
        embed = client.get("/form/embed")
        others = [client.get(p) for p in ("/form", "/login", "/", "/api/public/case-topics")]
        asset = client.get(re.search(r'src="(/assets/[^"]+)"', embed.text).group(1))
    assert embed.status_code == 200
    assert "x-frame-options" not in embed.headers
    policy = _policy(embed)
    assert policy["frame-ancestors"] == f"{embedding_server['party']} https://www.example.org"
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'self'"
    for response in [*others, asset]:
        where = response.request.url.path
        assert response.status_code == 200, where
        assert response.headers["x-frame-options"] == "DENY", where
        assert _policy(response)["frame-ancestors"] == "'none'", where


def test_a_frame_ancestor_that_is_not_a_plain_origin_is_refused(monkeypatch):
    from achterban.settings import load_settings

    for value in ("https://a.example/path", "'unsafe-inline'", "https://a.example; script-src *"):
        monkeypatch.setenv("ACHTERBAN_FORM_FRAME_ANCESTORS", value)
        with pytest.raises(RuntimeError, match="not an origin"):
            load_settings()
    monkeypatch.setenv(
        "ACHTERBAN_FORM_FRAME_ANCESTORS", " https://a.example  http://b.example:8080 "
    )
    assert load_settings().form_frame_ancestors == ("https://a.example", "http://b.example:8080")


async def test_a_missing_asset_is_not_found_rather_than_the_page_cached_forever(anon):
    response = await anon.get("/assets/index-missing.js")
    assert response.status_code == 404
    assert response.headers["cache-control"] == "no-store"


def test_a_json_log_line_stays_one_line_whatever_the_path():
    import logging

    from achterban.platform.logs import JsonFormatter

    record = logging.makeLogRecord(
        {"msg": "%s", "args": ('/x\n{"forged": 1}',), "fields": {"path": "/x\r\nforged"}}
    )
    assert "\n" not in JsonFormatter().format(record)
