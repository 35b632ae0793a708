"""Signing in and out, sessions with CSRF, personal API tokens, throttling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from achterban.users.tables import LoginThrottle
from achterban.users.throttle import account_key
from tests.conftest import PASSWORD, client_for, make_user, signed_in, with_token


async def test_sign_in_sets_an_httponly_session_and_me_answers(app, admin):
    async with client_for(app) as client:
        response = await client.post(
            "/api/auth/login", json={"email": admin.email, "password": PASSWORD}
        )
        assert response.status_code == 200
        cookie = response.headers["set-cookie"]
        assert "achterban_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        body = response.json()
        assert body["user"]["email"] == admin.email and body["permissions"] == ["*"]
        me = await client.get("/api/auth/me")
        assert me.status_code == 200 and me.json()["user"]["id"] == admin.id


async def test_e_mail_is_matched_without_regard_to_case(app, admin):
    async with client_for(app) as client:
        response = await client.post(
            "/api/auth/login", json={"email": f"  {admin.email.upper()} ", "password": PASSWORD}
        )
        assert response.status_code == 200


async def test_wrong_password_and_unknown_user_get_the_same_answer(app, admin):
    async with client_for(app) as client:
        wrong = await client.post(
            "/api/auth/login", json={"email": admin.email, "password": "not the password"}
        )
        unknown = await client.post(
            "/api/auth/login",
            json={"email": "nobody@test.achterban.example", "password": "not the password"},
        )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json() == unknown.json()


async def test_repeated_failures_are_slowed_down_even_with_the_right_password(app):
    member = await make_user("organiser")
    key = account_key(member.email, "10.9.0.1")
    async with client_for(app, ip="10.9.0.1") as client:
        for _ in range(5):
            response = await client.post(
                "/api/auth/login", json={"email": member.email, "password": "wrong password!"}
            )
            assert response.status_code == 401
        blocked = await client.post(
            "/api/auth/login", json={"email": member.email, "password": PASSWORD}
        )
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) >= 1
        assert blocked.json()["type"] == "urn:achterban:problem:login-throttled"
        # once the wait has run out, the right password works and the count is forgotten
        await LoginThrottle.update(
            {LoginThrottle.blocked_until: datetime.now(UTC) - timedelta(seconds=1)}
        ).where(LoginThrottle.key == key)
        response = await client.post(
            "/api/auth/login", json={"email": member.email, "password": PASSWORD}
        )
        assert response.status_code == 200
        assert not await LoginThrottle.exists().where(LoginThrottle.key == key)


async def test_unsafe_requests_need_the_csrf_token(app, admin):
    async with signed_in(app, admin) as client:
        token = client.headers.pop("X-CSRF-Token")
        refused = await client.post("/api/auth/tokens", json={"name": "script"})
        assert refused.status_code == 403
        assert refused.json()["type"] == "urn:achterban:problem:csrf"
        client.headers["X-CSRF-Token"] = "not-the-token"
        assert (await client.post("/api/auth/tokens", json={"name": "x"})).status_code == 403
        client.headers["X-CSRF-Token"] = token
        assert (await client.post("/api/auth/tokens", json={"name": "x"})).status_code == 201


async def test_sign_out_ends_the_session(app, admin):
    async with signed_in(app, admin) as client:
        assert (await client.post("/api/auth/logout")).status_code == 204
        assert (await client.get("/api/auth/me")).status_code == 401


async def test_api_token_works_without_csrf_until_revoked(app, admin):
    async with with_token(app, admin) as client:
        assert (await client.get("/api/users")).status_code == 200
        created = await client.post(
            "/api/users",
            json={
                "email": "script-made@test.achterban.example",
                "name": "Made By Script",
                "role": "volunteer",
                "password": "long enough password",
            },
        )
        assert created.status_code == 201
        tokens = (await client.get("/api/auth/tokens")).json()
        assert [t["name"] for t in tokens] == ["tests"]
        assert (await client.delete(f"/api/auth/tokens/{tokens[0]['id']}")).status_code == 204
        assert (await client.get("/api/users")).status_code == 401


async def test_token_secret_is_shown_once_and_not_stored(app, admin):
    from achterban.users.tables import ApiToken

    async with signed_in(app, admin) as client:
        secret = (await client.post("/api/auth/tokens", json={"name": "once"})).json()["secret"]
        assert secret.startswith("abt_")
        assert not await ApiToken.exists().where(ApiToken.token_hash == secret)
        listed = (await client.get("/api/auth/tokens")).json()
        assert all("secret" not in t for t in listed)


async def test_deactivated_user_loses_access_at_once(app, admin_client):
    member = await make_user("organiser")
    async with signed_in(app, member) as client:
        assert (await client.get("/api/auth/me")).status_code == 200
        response = await admin_client.patch(f"/api/users/{member.id}", json={"active": False})
        assert response.status_code == 200 and response.json()["active"] is False
        assert (await client.get("/api/auth/me")).status_code == 401
    async with client_for(app) as fresh:
        again = await fresh.post(
            "/api/auth/login", json={"email": member.email, "password": PASSWORD}
        )
        assert again.status_code == 401
