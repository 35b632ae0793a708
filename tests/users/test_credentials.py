"""A changed password or a deactivated account ends every session and API token; tokens expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from achterban.users.tables import ApiToken
from tests.conftest import PASSWORD, client_for, make_user, new_token, signed_in


def _bearer(app, secret: str):
    client = client_for(app)
    client.headers["Authorization"] = f"Bearer {secret}"
    return client


async def test_own_password_change_ends_other_sessions_and_every_token(app):
    member = await make_user("organiser")
    secret = await new_token(app, member)
    async with (
        signed_in(app, member) as mine,
        signed_in(app, member) as other,
        _bearer(app, secret) as script,
    ):
        assert (await script.get("/api/auth/me")).status_code == 200
        assert (await other.get("/api/auth/me")).status_code == 200
        changed = await mine.post(
            "/api/auth/password",
            json={"current_password": PASSWORD, "new_password": "a fresh long password"},
        )
        assert changed.status_code == 204, changed.text
        # the attacker's copies: the token and the second session made before the change
        assert (await script.get("/api/auth/me")).status_code == 401
        assert (await script.get("/api/users")).status_code == 401
        assert (await other.get("/api/auth/me")).status_code == 401
        # the session that changed it goes on
        assert (await mine.get("/api/auth/me")).status_code == 200
    async with client_for(app) as fresh:
        old = await fresh.post(
            "/api/auth/login", json={"email": member.email, "password": PASSWORD}
        )
        assert old.status_code == 401
        new = await fresh.post(
            "/api/auth/login", json={"email": member.email, "password": "a fresh long password"}
        )
        assert new.status_code == 200


async def test_password_change_needs_the_current_password(app):
    member = await make_user("organiser")
    async with signed_in(app, member) as session:
        refused = await session.post(
            "/api/auth/password",
            json={"current_password": "not my password", "new_password": "a fresh long password"},
        )
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["key"] == "current_password"
        short = await session.post(
            "/api/auth/password", json={"current_password": PASSWORD, "new_password": "short"}
        )
        assert short.status_code == 400
        assert short.json()["errors"][0]["key"] == "new_password"
        assert (await session.get("/api/auth/me")).status_code == 200
    async with signed_in(app, member):  # the password did not change
        pass


async def test_admin_password_reset_ends_sessions_and_tokens(app, admin_client):
    member = await make_user("caseworker", office_id=7)
    secret = await new_token(app, member)
    async with signed_in(app, member) as session, _bearer(app, secret) as script:
        assert (await script.get("/api/auth/me")).status_code == 200
        response = await admin_client.patch(
            f"/api/users/{member.id}", json={"password": "a brand new password"}
        )
        assert response.status_code == 200
        assert (await session.get("/api/auth/me")).status_code == 401
        assert (await script.get("/api/auth/me")).status_code == 401


async def test_deactivated_users_token_is_refused_and_stays_refused(app, admin_client):
    member = await make_user("organiser")
    secret = await new_token(app, member)
    async with _bearer(app, secret) as script:
        assert (await script.get("/api/people")).status_code == 200
        off = await admin_client.patch(f"/api/users/{member.id}", json={"active": False})
        assert off.status_code == 200
        assert (await script.get("/api/people")).status_code == 401
        # reactivating the account does not bring the old token back
        on = await admin_client.patch(f"/api/users/{member.id}", json={"active": True})
        assert on.status_code == 200
        assert (await script.get("/api/people")).status_code == 401


async def test_tokens_expire_after_90_days_by_default_and_then_get_401(app):
    member = await make_user("organiser")
    async with signed_in(app, member) as session:
        made = await session.post("/api/auth/tokens", json={"name": "nightly"})
        assert made.status_code == 201
        expires = datetime.fromisoformat(made.json()["token"]["expires_at"])
        assert timedelta(days=89) < expires - datetime.now(UTC) <= timedelta(days=90)
        short = await session.post("/api/auth/tokens", json={"name": "x", "expires_in_days": 1})
        assert short.status_code == 201
        endless = await session.post(
            "/api/auth/tokens", json={"name": "x", "expires_in_days": 10000}
        )
        assert endless.status_code == 400
        assert endless.json()["errors"][0]["key"] == "expires_in_days"
    secret = made.json()["secret"]
    async with _bearer(app, secret) as script:
        assert (await script.get("/api/auth/me")).status_code == 200
        await ApiToken.update(
            {ApiToken.expires_at: datetime.now(UTC) - timedelta(seconds=1)}
        ).where(ApiToken.id == made.json()["token"]["id"])
        assert (await script.get("/api/auth/me")).status_code == 401


async def test_a_token_from_before_expiry_was_required_lasts_90_days_from_its_creation(app):
    member = await make_user("organiser")
    secret = await new_token(app, member)
    row = await ApiToken.objects().where(ApiToken.user == member.id).first()
    old = datetime.now(UTC) - timedelta(days=91)
    await ApiToken.update({ApiToken.expires_at: None, ApiToken.created_at: old}).where(
        ApiToken.id == row.id
    )
    async with _bearer(app, secret) as script:
        assert (await script.get("/api/auth/me")).status_code == 401
