"""Health, the OpenAPI document the SPA is typed from, errors and translations."""

from __future__ import annotations

import json
from pathlib import Path

from babel.messages.extract import extract_from_dir

from achterban.platform.i18n import LANGUAGES, catalog
from achterban.settings import REPO_ROOT

COMMITTED_OPENAPI = REPO_ROOT / "frontend" / "openapi.json"


async def test_health_checks_database_and_redis(app, anon):
    response = await anon.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


async def test_committed_openapi_document_matches_the_app(app, anon):
    generated = (await anon.get("/api/schema/openapi.json")).json()
    committed = json.loads(COMMITTED_OPENAPI.read_text())
    assert generated == committed, "run `make openapi` and commit frontend/openapi.json"


async def test_the_document_describes_errors_as_the_api_sends_them(app, anon):
    document = (await anon.get("/api/schema/openapi.json")).json()
    person = document["paths"]["/api/people/{person_id}"]["get"]["responses"]
    assert {"400", "401", "403", "404"} <= person.keys()
    errors = [
        response
        for path in document["paths"].values()
        for operation in path.values()
        for code, response in operation["responses"].items()
        if code[0] in "45"
    ]
    assert errors and all(list(e["content"]) == ["application/problem+json"] for e in errors)
    # and what the document says is what a client gets
    bad = await anon.get("/api/people/1")
    assert bad.headers["content-type"] == "application/problem+json"
    assert set(document["components"]["schemas"]["Problem"]["required"]) <= bad.json().keys()
    assert "401" not in document["paths"]["/api/health"]["get"]["responses"]  # public


async def test_docs_page_loads_nothing_from_other_hosts(app, anon):
    page = await anon.get("/api/schema")
    assert page.status_code == 200
    assert "https://" not in page.text and "/vendor/rapidoc-min.js" in page.text


async def test_unknown_api_path_is_a_problem_not_the_web_app(app, anon):
    response = await anon.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_client_routes_get_the_web_app(app, anon):
    index = (REPO_ROOT / "frontend" / "dist" / "index.html").read_text()
    for path in ("/", "/login", "/audit"):
        response = await anon.get(path)
        assert response.status_code == 200 and response.text == index


def test_every_marked_string_is_translated_in_nl_and_en():
    backend = Path(REPO_ROOT / "backend")
    messages = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(
            str(backend), method_map=[("**.py", "python")], keywords={"_": None}
        )
    }
    assert len(messages) > 20
    for language in LANGUAGES:
        strings = {m.id: m.string for m in catalog(language) if m.id}
        missing = sorted(m for m in messages if not strings.get(m))
        assert not missing, f"{language} catalog lacks {missing} (run `make messages`)"
    assert catalog("nl").get("Sign in first.").string == "Log eerst in."
