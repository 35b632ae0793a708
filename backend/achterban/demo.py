"""The demo organisation that ``make run`` seeds; safe to run again, it adds what is missing."""

from __future__ import annotations

from pathlib import Path

from achterban.platform.auth import SYSTEM
from achterban.settings import get_settings
from achterban.users import links
from achterban.users import service as users
from achterban.users.schemas import UserCreate
from achterban.users.tables import StaffUser

DEMO_PASSWORD = "achterban-demo"

DEMO_USERS = [
    ("admin@achterban.example", "Anne de Beheerder", "admin", [], None),
    ("organiser@achterban.example", "Otto Organisator", "organiser", [], None),
    ("groningen@achterban.example", "Grietje Regio", "regional_organiser", ["NL-GR"], None),
    ("volunteer@achterban.example", "Vera Vrijwilliger", "volunteer", [], None),
]


async def seed() -> list[str]:
    created = 0
    for email, name, role, regions, office in DEMO_USERS:
        if await StaffUser.exists().where(StaffUser.email == email):
            continue
        await users.do_create_user(
            SYSTEM,
            UserCreate(
                email=email,
                name=name,
                role=role,  # type: ignore[arg-type]
                password=DEMO_PASSWORD,
                language="nl",
                regions=regions,
                office_id=office,
            ),
        )
        created += 1
    from achterban.demo_casework import seed_cases, seed_handover, seed_offices
    from achterban.demo_people import resolve_districts, seed_people

    lines = [f"Demo data ready ({created} users added)."]
    # the district maps first: people imported after them get their district on the way in
    office_logins = await seed_offices()
    lines += await seed_people()
    lines += await resolve_districts()
    lines += await seed_cases()
    lines += await seed_handover()
    lines += await seed_segments()
    lines.append(
        "The public case form, no sign-in: http://127.0.0.1:8000/form "
        "(for a party's own site: http://127.0.0.1:8000/form/embed, see README.md)"
    )
    lines.append("Sign in at http://127.0.0.1:8000 with one of:")
    for email, _, role, _, _ in DEMO_USERS:
        lines.append(f"  {email:<32} {role:<20} password: {DEMO_PASSWORD}")
    listing = _write_sign_ins(office_logins)
    lines.append(
        f"Office staff (representatives and caseworkers, same password): {len(office_logins)} "
        f"sign-ins, all listed in {listing} (an admin also sees them under Medewerkers, /users)."
    )
    lines.append(await _invited())
    return lines


INVITED = ("nieuw@achterban.example", "Nina Nieuw")


async def _invited() -> str:
    """One colleague invited but not yet signed in: their link, as an admin hands it over."""
    email, name = INVITED
    user = await StaffUser.objects().where(StaffUser.email == email).first()
    if user is None:
        created = await users.do_create_user(
            SYSTEM, UserCreate(email=email, name=name, role="volunteer", language="nl")
        )
        user_id = created.id
    elif user.password_hash != links.UNUSABLE:
        return f"{name} ({email}) has set her password since her invitation."
    else:
        user_id = user.id
    link = await users.do_issue_password_link(SYSTEM, user_id, "http://127.0.0.1:8000")
    return f"{name} ({email}) is invited: she sets her password at {link.url}"


def _write_sign_ins(office_logins: list[str]) -> Path:
    """Every demo sign-in in one file, so the summary need not cut the list short."""
    path = get_settings().var_dir / "demo-sign-ins.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [f"{email:<40} {role:<20} {DEMO_PASSWORD}" for email, _, role, _, _ in DEMO_USERS]
    rows += [f"{email:<40} {'office staff':<20} {DEMO_PASSWORD}" for email in office_logins]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


async def seed_segments() -> list[str]:
    """Two segments the organiser saved, and a snapshot of one (the Segments page)."""
    from achterban.segments import service as segments
    from achterban.segments.schemas import SegmentCreate

    user = await StaffUser.objects().where(StaffUser.email == "organiser@achterban.example").first()
    if user is None:
        return []
    actor = users.actor_for(user, ip=None, via="demo")
    if any(s.owner_id == user.id for s in await segments.listed(actor)):
        return []
    await segments.create(actor, SegmentCreate(
        name="Trouwe kiezers zonder contact", shared=True,
        description="Stemden op ons, steun 4 of 5, de laatste 90 dagen niet gesproken",
        definition={"all": [{"field": "role", "op": "has", "value": "loyal_voter"},
                            {"field": "last_touch", "op": "not_within_days", "value": 90}]},
    ))  # fmt: skip
    groningen = await segments.create(actor, SegmentCreate(
        name="Inwoners van de provincie Groningen", shared=True,
        definition={"all": [{"field": "region", "op": "is", "value": "NL-GR"}]},
    ))  # fmt: skip
    await segments.create(actor, SegmentCreate(
        name="LYBUNT-donateurs", shared=True,
        description="Gaven vorig jaar, dit jaar (nog) niet",
        definition={"all": [{"field": "lybunt", "op": "yes", "value": None}]},
    ))  # fmt: skip
    snapshot = await segments.freeze(actor, groningen.id)
    lines = [f"Segments: 3 saved by the organiser, and a snapshot of {snapshot.size} people."]
    from achterban.demo_casework import seed_office_segment

    return lines + await seed_office_segment()
