"""A second factor: TOTP enrolment, the code step at sign-in, recovery codes, the role policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest

from achterban.users import mfa
from achterban.users.tables import LoginChallenge, RecoveryCode, SecurityPolicy, StaffUser
from achterban.users.throttle import account_key
from tests.conftest import client_for, make_user, new_token, signed_in


def code(secret: str, steps: int = 0) -> str:
    """The code of the current time step (or one later: each step signs in once)."""
    return pyotp.TOTP(secret).at(datetime.now(UTC), counter_offset=steps)


async def enrol(app, member) -> tuple[str, list[str]]:
    """Set TOTP up from a signed-in session, as the account page does."""
    async with signed_in(app, member) as session:
        started = await session.post("/api/auth/mfa")
        assert started.status_code == 200, started.text
        body = started.json()
        confirmed = await session.post(
            "/api/auth/mfa/confirm",
            json={"enrolment_token": body["enrolment_token"], "code": code(body["secret"])},
        )
        assert confirmed.status_code == 200, confirmed.text
        return body["secret"], confirmed.json()["recovery_codes"]


async def password_step(client, member) -> dict:
    response = await client.post(
        "/api/auth/login", json={"email": member.email, "password": member.password}
    )
    assert response.status_code == 200, response.text
    assert (
        "set-cookie" not in response.headers
        or "achterban_session=" not in response.headers["set-cookie"]
    )
    return response.json()


@pytest.fixture
async def clear_policy():
    yield
    await SecurityPolicy.delete(force=True)


async def test_enrolment_shows_the_secret_once_and_ten_recovery_codes(app):
    member = await make_user("organiser")
    async with signed_in(app, member) as session:
        assert (await session.get("/api/auth/mfa")).json() == {
            "enabled": False, "required": False, "recovery_codes_left": 0,
        }  # fmt: skip
        started = (await session.post("/api/auth/mfa")).json()
        uri = urlparse(started["provisioning_uri"])
        assert uri.scheme == "otpauth" and uri.netloc == "totp"
        assert parse_qs(uri.query)["secret"] == [started["secret"]]
        assert parse_qs(uri.query)["issuer"] == ["Achterban"]
        wrong = await session.post(
            "/api/auth/mfa/confirm",
            json={"enrolment_token": started["enrolment_token"], "code": "000000"},
        )
        assert wrong.status_code == 400 and wrong.json()["errors"][0]["key"] == "code"
        ok = await session.post(
            "/api/auth/mfa/confirm",
            json={"enrolment_token": started["enrolment_token"], "code": code(started["secret"])},
        )
        assert ok.status_code == 200
        codes = ok.json()["recovery_codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        status = (await session.get("/api/auth/mfa")).json()
        assert status["enabled"] is True and status["recovery_codes_left"] == 10
        again = await session.post("/api/auth/mfa")
        assert again.status_code == 409
    # neither the secret nor the codes are kept in clear
    user = await StaffUser.objects().where(StaffUser.id == member.id).first()
    assert user.totp_secret and started["secret"] not in user.totp_secret
    stored = [r["code_hash"] for r in await RecoveryCode.select().where(
        RecoveryCode.user == member.id)]  # fmt: skip
    assert not set(codes) & set(stored)


async def test_sign_in_asks_for_the_code_and_a_pending_token_opens_nothing(app):
    member = await make_user("organiser")
    secret, _codes = await enrol(app, member)
    async with client_for(app) as client:
        pending = await password_step(client, member)
        assert pending["mfa_required"] is True and pending["step"] == "code"
        assert (await client.get("/api/auth/me")).status_code == 401
        bearer = await client.get(
            "/api/people", headers={"Authorization": f"Bearer {pending['pending_token']}"}
        )
        assert bearer.status_code == 401
        wrong = await client.post(
            "/api/auth/login/code",
            json={"pending_token": pending["pending_token"], "code": "123456"},
        )
        assert wrong.status_code == 401
        assert wrong.json()["type"] == "urn:achterban:problem:mfa-failed"
        ok = await client.post(
            "/api/auth/login/code",
            json={"pending_token": pending["pending_token"], "code": code(secret, 1)},
        )
        assert ok.status_code == 200, ok.text
        assert ok.json()["user"]["id"] == member.id
        assert (await client.get("/api/auth/me")).status_code == 200
    async with client_for(app) as thief:  # the pending token is used up, and so is the code
        reuse = await thief.post(
            "/api/auth/login/code",
            json={"pending_token": pending["pending_token"], "code": code(secret, 1)},
        )
        assert reuse.status_code == 401
    async with client_for(app) as client:
        pending = await password_step(client, member)
        replay = await client.post(
            "/api/auth/login/code",
            json={"pending_token": pending["pending_token"], "code": code(secret, 1)},
        )
        assert replay.status_code == 401


async def test_a_recovery_code_signs_in_once(app):
    member = await make_user("organiser")
    _secret, codes = await enrol(app, member)
    async with client_for(app) as client:
        pending = await password_step(client, member)
        ok = await client.post(
            "/api/auth/login/code",
            json={"pending_token": pending["pending_token"], "code": codes[3].upper()},
        )
        assert ok.status_code == 200, ok.text
    async with client_for(app) as client:
        pending = await password_step(client, member)
        again = await client.post(
            "/api/auth/login/code",
            json={"pending_token": pending["pending_token"], "code": codes[3]},
        )
        assert again.status_code == 401
        other = await client.post(
            "/api/auth/login/code",
            json={"pending_token": pending["pending_token"], "code": codes[4]},
        )
        assert other.status_code == 200
    assert await mfa.recovery_codes_left(member.id) == 8


async def test_wrong_codes_count_in_the_throttle_and_use_up_the_pending_token(app):
    member = await make_user("organiser")
    secret, _codes = await enrol(app, member)
    ip = "10.88.0.1"
    async with client_for(app, ip=ip) as attacker:
        pending = await password_step(attacker, member)
        answers = [
            (
                await attacker.post(
                    "/api/auth/login/code",
                    json={"pending_token": pending["pending_token"], "code": f"{n:06}"},
                )
            ).status_code
            for n in range(6)
        ]
        assert answers == [401] * 5 + [429]  # five wrong codes spend the allowance
        late = await attacker.post(
            "/api/auth/login/code",
            json={"pending_token": pending["pending_token"], "code": code(secret)},
        )
        assert late.status_code == 429
    # the pending token itself takes five attempts at most
    row = await LoginChallenge.objects().where(LoginChallenge.user == member.id).first()
    await _unthrottle(member.email, ip)
    await LoginChallenge.update({LoginChallenge.attempts: 5}).where(LoginChallenge.id == row.id)
    async with client_for(app, ip=ip) as attacker:
        spent = await attacker.post(
            "/api/auth/login/code",
            json={"pending_token": pending["pending_token"], "code": code(secret)},
        )
        assert spent.status_code == 401
        assert spent.json()["type"] == "urn:achterban:problem:login-expired"
    # the owner, elsewhere, is not held back by any of it
    async with client_for(app, ip="10.88.0.2") as own:
        pending = await password_step(own, member)
        ok = await own.post(
            "/api/auth/login/code",
            json={"pending_token": pending["pending_token"], "code": code(secret, 1)},
        )
        assert ok.status_code == 200


async def _unthrottle(email: str, ip: str) -> None:
    from achterban.users.tables import LoginThrottle

    await LoginThrottle.delete().where(
        LoginThrottle.key.is_in([account_key(email, ip), f"ip:{ip}"])
    )


async def test_pending_tokens_expire(app):
    member = await make_user("organiser")
    secret, _codes = await enrol(app, member)
    async with client_for(app) as client:
        pending = await password_step(client, member)
        await LoginChallenge.update(
            {LoginChallenge.expires_at: datetime.now(UTC) - timedelta(seconds=1)}
        ).where(LoginChallenge.user == member.id)
        late = await client.post(
            "/api/auth/login/code",
            json={"pending_token": pending["pending_token"], "code": code(secret)},
        )
        assert late.status_code == 401


async def test_a_role_that_requires_it_is_sent_to_enrolment_and_can_reach_nothing_else(
    app, admin_client, clear_policy
):
    member = await make_user("caseworker", office_id=7)
    before = await new_token(app, member)  # made before the rule: no second factor behind it
    async with signed_in(app, member) as old_session:
        turned_on = await admin_client.put(
            "/api/users/security-policy/caseworker", json={"mfa_required": True}
        )
        assert turned_on.status_code == 200 and turned_on.json()["mfa_required"] is True
        assert (await old_session.get("/api/auth/me")).status_code == 401
    async with client_for(app) as script:
        script.headers["Authorization"] = f"Bearer {before}"
        assert (await script.get("/api/auth/me")).status_code == 401
    async with client_for(app) as client:
        pending = await password_step(client, member)
        assert pending["step"] == "enrol"
        assert (await client.get("/api/cases")).status_code == 401
        # the enrolment token does not pass for a code
        assert (
            await client.post(
                "/api/auth/login/code",
                json={"pending_token": pending["pending_token"], "code": "000000"},
            )
        ).status_code == 401
        started = await client.post(
            "/api/auth/login/enrol", json={"pending_token": pending["pending_token"]}
        )
        assert started.status_code == 200
        secret = started.json()["secret"]
        done = await client.post(
            "/api/auth/login/enrol/confirm",
            json={"pending_token": pending["pending_token"], "code": code(secret)},
        )
        assert done.status_code == 200, done.text
        assert len(done.json()["recovery_codes"]) == 10
        client.headers["X-CSRF-Token"] = done.json()["csrf_token"]
        assert (await client.get("/api/cases")).status_code == 200
        made = await client.post("/api/auth/tokens", json={"name": "after"})
        assert made.status_code == 201
    async with client_for(app) as script:  # a token made after the second factor works
        script.headers["Authorization"] = f"Bearer {made.json()['secret']}"
        assert (await script.get("/api/auth/me")).status_code == 200
    async with client_for(app) as client:  # from now on the code is asked
        assert (await password_step(client, member))["step"] == "code"


async def test_the_policy_is_for_administrators_and_they_cannot_lock_themselves_out(
    app, admin_client, clear_policy
):
    organiser = await make_user("organiser")
    async with signed_in(app, organiser) as session:
        assert (await session.get("/api/users/security-policy")).status_code == 403
        refused = await session.put(
            "/api/users/security-policy/organiser", json={"mfa_required": False}
        )
        assert refused.status_code == 403
    policy = {p["role"]: p for p in (await admin_client.get("/api/users/security-policy")).json()}
    assert policy["admin"] == {"role": "admin", "mfa_required": False, "is_default": True}
    own = await admin_client.put("/api/users/security-policy/admin", json={"mfa_required": True})
    assert own.status_code == 409
    assert (await admin_client.get("/api/auth/me")).status_code == 200
    unknown = await admin_client.put("/api/users/security-policy/king", json={"mfa_required": True})
    assert unknown.status_code == 404


async def test_admins_need_a_second_factor_by_default_outside_development():
    assert mfa.default_required("admin", "production") is True
    assert mfa.default_required("admin", "staging") is True
    assert mfa.default_required("admin", "development") is False
    assert mfa.default_required("admin", "test") is False
    assert mfa.default_required("organiser", "production") is False


async def test_an_administrator_resets_a_lost_second_factor(app, admin_client):
    member = await make_user("organiser")
    await enrol(app, member)
    async with client_for(app) as client:
        assert (await password_step(client, member))["step"] == "code"
    reset = await admin_client.delete(f"/api/users/{member.id}/mfa")
    assert reset.status_code == 204
    async with signed_in(app, member) as session:  # no code asked any more
        assert (await session.get("/api/auth/mfa")).json()["enabled"] is False
