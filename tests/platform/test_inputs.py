"""No input breaks the server: what a database cannot store is a 400 that names the field.

Each request here gave a 500 on PostgreSQL or SQLite before: the attacker needs no account.
"""

from __future__ import annotations

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.usefixtures("app")


def _field_error(response, field: str) -> str:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    keys = [e.get("key") for e in body.get("errors", [])]
    assert field in keys, body
    return str(body["detail"])


async def test_a_nul_byte_in_the_login_form_is_refused_by_name(app):
    async with client_for(app) as anon:
        response = await anon.post(
            "/api/auth/login", json={"email": "a\u0000@example.org", "password": "x\u0000y"}
        )
    detail = _field_error(response, "email")
    assert "NUL" in detail


async def test_an_over_long_e_mail_address_at_login_is_refused_by_name(app):
    async with client_for(app) as anon:
        response = await anon.post(
            "/api/auth/login",
            json={"email": "a" * 100_000 + "@example.org", "password": "x"},
            headers={"Accept-Language": "en"},
        )
    assert "longer than 254 characters" in _field_error(response, "email")


async def test_the_public_case_form_refuses_nul_and_over_long_names_in_dutch(app):
    form = {
        "name": "Quinten",
        "email": "q@example.org",
        "subject": "Stoep",
        "description": "De stoep is kapot.",
        "topic": "housing",
        "address": "Markt 1, Groningen",
    }
    async with client_for(app) as anon:
        nul = await anon.post("/api/public/cases", json={**form, "description": "kapot\u0000"})
        long = await anon.post(
            "/api/public/cases",
            json={**form, "name": "Q" * 201},
            headers={"Accept-Language": "nl"},
        )
    _field_error(nul, "description")
    assert "langer dan 200 tekens" in _field_error(long, "name")


async def test_a_person_with_a_first_name_longer_than_its_column_is_refused_on_both_databases(
    admin_client,
):
    response = await admin_client.post(
        "/api/people", json={"first_name": "A" * 101}, headers={"Accept-Language": "en"}
    )
    assert "longer than 100 characters" in _field_error(response, "first_name")


async def test_ids_beyond_the_database_range_are_not_found(admin_client):
    for path in (
        "/api/people/2147483648",
        "/api/people/9223372036854775808",
        "/api/households/99999999999999999999",
        "/api/cases/0",
    ):
        response = await admin_client.get(path)
        assert response.status_code == 404, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_query_integers_beyond_the_database_range_are_refused_by_name(admin_client):
    response = await admin_client.get("/api/audit", params={"actor_id": str(2**63)})
    _field_error(response, "actor_id")


async def test_a_nul_in_a_query_string_is_refused_by_name(admin_client):
    response = await admin_client.get("/api/people", params={"q": "Jan\u0000sen"})
    _field_error(response, "q")


async def test_deeply_nested_json_is_refused(app):
    async with client_for(app) as anon:
        response = await anon.post(
            "/api/public/cases",
            content=b"[" * 100_000 + b"]" * 100_000,
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_nul_in_the_path_is_not_found(app):
    async with client_for(app) as anon:
        for path in ("/%00", "/api/%00", "/people/%00x"):
            response = await anon.get(path)
            assert response.status_code == 404, (path, response.text)


async def test_a_reference_to_nobody_is_a_client_error(admin_client):
    response = await admin_client.post(
        "/api/people", json={"first_name": "Pim", "point_person_id": 2_000_000}
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_name_that_fits_the_form_but_not_the_persons_surname_is_no_server_error(app):
    async with client_for(app) as anon:
        response = await anon.post(
            "/api/public/cases",
            json={
                "name": "Q" * 180,  # fits a name (200), not a surname (150)
                "email": "long.name@example.org",
                "subject": "Stoep",
                "description": "De stoep is kapot.",
                "topic": "housing",
                "address": "Markt 1, 9711 AB Groningen",
            },
        )
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        _field_error(response, "last_name")


@pytest.mark.parametrize(
    "refusal",
    [
        "StringDataRightTruncationError",
        "CharacterNotInRepertoireError",
        "NumericValueOutOfRangeError",
        "InvalidTextRepresentationError",
    ],
)
def test_a_value_postgresql_refuses_is_a_client_error_and_is_logged(refusal, caplog):
    """The last line of defence, for what a check at the door may still miss."""
    import asyncpg
    import msgspec
    from litestar import Request

    from achterban.platform.errors import EXCEPTION_HANDLERS

    exc = getattr(asyncpg, refusal)("value too long for type character varying(20)")
    handler = next(h for kind, h in EXCEPTION_HANDLERS.items() if kind is asyncpg.DataError)
    scope = {
        "type": "http", "method": "POST", "path": "/api/public/preferences/pTok",
        "headers": [(b"accept-language", b"en")], "query_string": b"", "scheme": "http",
        "server": ("testserver", 80), "root_path": "", "path_params": {},
    }  # fmt: skip
    response = handler(Request(scope), exc)
    assert response.status_code == 400
    assert response.media_type == "application/problem+json"
    body = msgspec.json.decode(msgspec.json.encode(response.content))
    assert body["detail"] == "A value is too long, out of range or not allowed."
    logged = [r.getMessage() for r in caplog.records if r.name == "achterban.errors"]
    assert logged and refusal in logged[-1]
    assert "pTok" not in logged[-1]


async def test_a_preference_link_of_unicode_digits_is_not_found(app):
    async with client_for(app) as anon:
        for token in ("%C2%B2", "%D9%A3.abc", "%EF%BC%91"):  # superscript, Arabic, full-width
            response = await anon.get(f"/api/public/preferences/{token}")
            assert response.status_code == 404, (token, response.text)
