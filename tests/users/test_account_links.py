"""Invitation and reset links: an admin hands one over, it sets a password once, then is spent.

Also: every change an admin makes to an account is audited with before and after, and every
user sets their own language.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from achterban.audit.tables import AuditEvent
from achterban.users import links
from achterban.users.tables import StaffUser
from tests.conftest import PASSWORD, StaffMember, client_for, make_user, signed_in

NEW_PASSWORD = "a long new password of my own"


def _token(url: str) -> str:
    return url.rsplit("/set-password/", 1)[1]


async def _sign_in(app, email: str, password: str) -> int:
    async with client_for(app) as client:
        response = await client.post("/api/auth/login", json={"email": email, "password": password})
        return response.status_code


async def test_an_invited_user_chooses_a_password_with_the_link_which_then_is_spent(
    app, admin_client
):
    created = await admin_client.post("/api/users", json={
        "email": "nieuw.collega@test.achterban.example", "name": "Nieuwe Collega",
        "role": "caseworker", "office_id": 3,
    })  # fmt: skip
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["waiting_for_password"] is True and user["last_login_at"] is None
    link = await admin_client.post(f"/api/users/{user['id']}/password-link")
    assert link.status_code == 200, link.text
    assert link.json()["url"].startswith("http://testserver/set-password/")
    expires = datetime.fromisoformat(link.json()["expires_at"])
    assert timedelta(days=6) < expires - datetime.now(UTC) <= timedelta(days=7)
    token = _token(link.json()["url"])
    async with client_for(app) as anon:
        weak = await anon.post(f"/api/auth/password-link/{token}", json={"password": "kort"})
        assert weak.status_code == 400 and weak.json()["errors"][0]["key"] == "password"
        ok = await anon.post(f"/api/auth/password-link/{token}", json={"password": NEW_PASSWORD})
        assert ok.status_code == 204, ok.text
        again = await anon.post(
            f"/api/auth/password-link/{token}", json={"password": NEW_PASSWORD + "!"}
        )
        assert again.status_code == 404  # spent: a link works once
    assert await _sign_in(app, user["email"], NEW_PASSWORD) == 200
    shown = (await admin_client.get(f"/api/users/{user['id']}")).json()
    assert shown["waiting_for_password"] is False and shown["last_login_at"] is not None


async def test_a_reset_ends_the_old_password_sessions_and_tokens_at_once(app, admin_client):
    member = await make_user("organiser")
    async with signed_in(app, member) as session:
        link = await admin_client.post(f"/api/users/{member.id}/password-link")
        assert link.status_code == 200
        assert (await session.get("/api/auth/me")).status_code == 401
    assert await _sign_in(app, member.email, PASSWORD) == 401
    # an older link is spent by a newer one
    newer = await admin_client.post(f"/api/users/{member.id}/password-link")
    async with client_for(app) as anon:
        old = await anon.post(
            f"/api/auth/password-link/{_token(link.json()['url'])}", json={"password": NEW_PASSWORD}
        )
        assert old.status_code == 404
        new = await anon.post(
            f"/api/auth/password-link/{_token(newer.json()['url'])}",
            json={"password": NEW_PASSWORD},
        )
        assert new.status_code == 204


async def test_forged_expired_and_deactivated_links_open_nothing(app, admin_client):
    member = await make_user("volunteer")
    link = (await admin_client.post(f"/api/users/{member.id}/password-link")).json()
    token = _token(link["url"])
    user_id, version, stamp, mac = token.split(".")
    row = await StaffUser.objects().where(StaffUser.id == member.id).first()
    expired, _at = links.make(row, now=datetime.now(UTC) - timedelta(days=8))
    forged = [
        f"{user_id}.{version}.{int(stamp) + 86400}.{mac}",  # a later expiry, same signature
        f"{int(user_id) + 1}.{version}.{stamp}.{mac}",  # someone else
        f"{user_id}.{version}.{stamp}.{'0' * 32}",
        "not-a-link",
        f"{user_id}.{version}.{stamp}",
    ]
    async with client_for(app) as anon:
        for bad in forged:
            response = await anon.post(
                f"/api/auth/password-link/{bad}", json={"password": NEW_PASSWORD}
            )
            assert response.status_code == 404, bad
            assert response.headers["content-type"] == "application/problem+json"
        response = await anon.post(
            f"/api/auth/password-link/{expired}", json={"password": NEW_PASSWORD}
        )
        assert response.status_code == 410
        off = await admin_client.patch(f"/api/users/{member.id}", json={"active": False})
        assert off.status_code == 200
        response = await anon.post(
            f"/api/auth/password-link/{token}", json={"password": NEW_PASSWORD}
        )
        assert response.status_code == 404
    refused = await admin_client.post(f"/api/users/{member.id}/password-link")
    assert refused.status_code == 409


async def test_only_user_managers_make_links_and_not_for_themselves(app, admin, admin_client):
    member = await make_user("caseworker", office_id=3)
    for role in ("organiser", "regional_organiser", "caseworker", "representative"):
        other = await make_user(role, regions=["GR"], office_id=3)
        async with signed_in(app, other) as client:
            response = await client.post(f"/api/users/{member.id}/password-link")
            assert response.status_code == 403, role
    own = await admin_client.post(f"/api/users/{admin.id}/password-link")
    assert own.status_code == 400
    assert await _sign_in(app, member.email, PASSWORD) == 200  # untouched by the refusals


async def test_an_admin_change_is_audited_with_before_and_after(app, admin_client):
    member = await make_user("volunteer", regions=["GR"])
    response = await admin_client.patch(
        f"/api/users/{member.id}", json={"role": "organiser", "regions": ["FR", "GR"]}
    )
    assert response.status_code == 200
    entry = (
        await AuditEvent.select(AuditEvent.detail)
        .where((AuditEvent.action == "user.update") & (AuditEvent.object_id == str(member.id)))
        .order_by(AuditEvent.id, ascending=False)
        .first()
    )
    detail = json.loads(entry["detail"])
    assert detail["role"] == {"before": "volunteer", "after": "organiser"}
    assert detail["regions"] == {"before": ["GR"], "after": ["FR", "GR"]}


async def test_every_user_sets_their_own_language(app):
    member: StaffMember = await make_user("volunteer")
    async with signed_in(app, member) as client:
        response = await client.patch("/api/auth/me", json={"language": "en"})
        assert response.status_code == 200 and response.json()["language"] == "en"
        assert (await client.get("/api/auth/me")).json()["user"]["language"] == "en"
        bad = await client.patch("/api/auth/me", json={"language": "de"})
        assert bad.status_code == 400
        sneaky = await client.patch("/api/auth/me", json={"language": "nl", "role": "admin"})
        assert sneaky.status_code == 400  # nothing else of one's own account
    assert (await StaffUser.select(StaffUser.role).where(StaffUser.id == member.id).first())[
        "role"
    ] == "volunteer"


async def test_an_admin_cannot_deactivate_their_own_account(app, admin, admin_client):
    response = await admin_client.patch(f"/api/users/{admin.id}", json={"active": False})
    assert response.status_code == 400 and response.json()["errors"][0]["key"] == "active"
    assert (await admin_client.get("/api/auth/me")).status_code == 200  # still signed in
