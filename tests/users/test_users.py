"""Administrators manage staff accounts; bad input gets Problem Details."""

from __future__ import annotations

from tests.conftest import StaffMember, make_user, signed_in


async def test_admin_creates_a_scoped_regional_organiser_who_can_sign_in(app, admin_client):
    response = await admin_client.post(
        "/api/users",
        json={
            "email": "Regio.Drenthe@Test.Achterban.example",
            "name": "Dirk Drenthe",
            "role": "regional_organiser",
            "password": "a long password here",
            "regions": ["NL-DR"],
            "language": "nl",
        },
    )
    assert response.status_code == 201, response.text
    user = response.json()
    assert user["email"] == "regio.drenthe@test.achterban.example"
    assert user["regions"] == ["NL-DR"]
    member = StaffMember(user["id"], user["email"], "a long password here", user["role"], "")
    async with signed_in(app, member) as session:
        me = (await session.get("/api/auth/me")).json()
        assert me["user"]["role"] == "regional_organiser"
        assert "users.manage" not in me["permissions"]
        assert (await session.get("/api/users")).status_code == 403


async def test_duplicate_e_mail_is_a_conflict(app, admin_client, admin):
    response = await admin_client.post(
        "/api/users",
        json={"email": admin.email, "name": "X", "role": "volunteer", "password": "x" * 12},
    )
    assert response.status_code == 409
    assert admin.email in response.json()["detail"]


async def test_unknown_field_is_rejected_and_named(app, admin_client):
    response = await admin_client.post(
        "/api/users",
        json={
            "email": "typo@test.achterban.example",
            "name": "Typo",
            "role": "volunteer",
            "password": "x" * 12,
            "rol": "admin",
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert body["errors"][0]["key"] == "rol"
    assert "rol" in body["detail"]


async def test_bad_values_get_problem_details_naming_the_field(app, admin_client):
    short = await admin_client.post(
        "/api/users",
        json={"email": "short@test.achterban.example", "name": "S", "role": "volunteer",
              "password": "short"},
    )  # fmt: skip
    assert short.status_code == 400 and short.json()["errors"][0]["key"] == "password"
    email = await admin_client.post(
        "/api/users",
        json={"email": "not-an-address", "name": "S", "role": "volunteer", "password": "x" * 12},
    )
    assert email.status_code == 400 and email.json()["errors"][0]["key"] == "email"
    role = await admin_client.post(
        "/api/users",
        json={
            "email": "r@test.achterban.example",
            "name": "S",
            "role": "king",
            "password": "x" * 12,
        },
    )
    assert role.status_code == 400 and role.json()["errors"][0]["key"] == "role"
    assert role.json()["detail"].startswith("role: ")


async def test_problem_details_follow_the_language_asked_for(app, anon):
    dutch = await anon.get("/api/users", headers={"Accept-Language": "nl-NL,nl;q=0.9"})
    english = await anon.get("/api/users", headers={"Accept-Language": "en-GB"})
    assert dutch.json()["detail"] == "Log eerst in."
    assert english.json()["detail"] == "Sign in first."


async def test_oversized_body_is_refused(app, admin_client):
    response = await admin_client.post(
        "/api/users", content=b'{"name": "' + b"a" * (2 * 1024 * 1024) + b'"}',
        headers={"content-type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


async def test_password_change_ends_the_users_sessions(app, admin_client):
    member = await make_user("caseworker", office_id=7)
    async with signed_in(app, member) as session:
        response = await admin_client.patch(
            f"/api/users/{member.id}", json={"password": "a brand new password"}
        )
        assert response.status_code == 200
        assert (await session.get("/api/auth/me")).status_code == 401
