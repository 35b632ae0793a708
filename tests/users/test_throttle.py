"""The sign-in throttle counts every attempt, even at once, and never locks an owner out."""

from __future__ import annotations

import asyncio

from achterban.users.tables import LoginThrottle
from achterban.users.throttle import account_key, ip_key
from tests.conftest import PASSWORD, client_for, make_user


async def _failures(key: str) -> int:
    row = await LoginThrottle.select(LoginThrottle.failures).where(LoginThrottle.key == key).first()
    return int(row["failures"]) if row else 0


async def test_fifty_concurrent_wrong_passwords_are_all_counted_and_the_owner_signs_in(app):
    owner = await make_user("organiser")
    attacker_ip = "10.66.0.1"
    async with client_for(app, ip=attacker_ip) as attacker:
        answers = await asyncio.gather(
            *[
                attacker.post(
                    "/api/auth/login", json={"email": owner.email, "password": f"guess {n:04}"}
                )
                for n in range(50)
            ]
        )
    codes = sorted(a.status_code for a in answers)
    assert set(codes) <= {401, 429}
    # at most the allowance was tried at all: the rest were refused before the password check
    assert 1 <= codes.count(401) <= 5 and codes.count(401) + codes.count(429) == 50
    # every attempt that reached the counter is counted, on both keys alike (no count lost to a
    # race); one that arrives after a block is set is refused before it is counted
    counted = await _failures(account_key(owner.email, attacker_ip))
    assert 5 < counted <= 50
    assert await _failures(ip_key(attacker_ip)) == counted
    # the attacker is held back, even with the right password
    async with client_for(app, ip=attacker_ip) as attacker:
        again = await attacker.post(
            "/api/auth/login", json={"email": owner.email, "password": PASSWORD}
        )
        assert again.status_code == 429
    # the owner, from their own address, signs in at once
    async with client_for(app, ip="10.77.0.1") as own:
        mine = await own.post("/api/auth/login", json={"email": owner.email, "password": PASSWORD})
        assert mine.status_code == 200, mine.text


async def test_one_address_trying_many_accounts_is_slowed(app):
    ip = "10.66.0.2"
    async with client_for(app, ip=ip) as attacker:
        for n in range(20):
            response = await attacker.post(
                "/api/auth/login",
                json={"email": f"guess{n}@test.achterban.example", "password": "wrong password!"},
            )
            assert response.status_code == 401
        spent = await attacker.post(
            "/api/auth/login",
            json={"email": "another@test.achterban.example", "password": "wrong password!"},
        )
        assert spent.status_code == 429
        # a real user behind that address is held back too, until the wait runs out
        member = await make_user("volunteer")
        held = await attacker.post(
            "/api/auth/login", json={"email": member.email, "password": PASSWORD}
        )
        assert held.status_code == 429


async def test_a_good_sign_in_gives_its_attempt_back_to_the_address(app):
    ip = "10.66.0.3"
    member = await make_user("volunteer")
    for _ in range(30):  # thirty sign-ins from one office's address are never slowed
        async with client_for(app, ip=ip) as office:
            response = await office.post(
                "/api/auth/login", json={"email": member.email, "password": PASSWORD}
            )
            assert response.status_code == 200
    assert await _failures(ip_key(ip)) == 0
