"""Branches (afdelingen) as data: the areas they cover, their officers, who belongs to one.

Party staff set branches up (``branches.manage``: administrators and national organisers);
regional organisers see the branches of their regions (``branches.read``); office staff
(caseworkers, representatives) have neither, so casework never reaches a branch. Journeys and
tasks ask :func:`branch_of` a person and :func:`officer_of` a branch ("the chair of the
person's branch"), both as the system.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Count

from achterban.audit import service as audit
from achterban.districts import service as districts
from achterban.memberships import rules
from achterban.memberships.schemas import (
    Branch,
    BranchArea,
    BranchCreate,
    BranchMigration,
    BranchUpdate,
    MigratedText,
    Officer,
    OfficerCreate,
    OfficerEnd,
    UnresolvedText,
)
from achterban.memberships.service import current_where
from achterban.memberships.tables import Branch as BranchRow
from achterban.memberships.tables import BranchArea as AreaRow
from achterban.memberships.tables import BranchOfficer as OfficerRow
from achterban.memberships.tables import Membership as MembershipRow
from achterban.people import service as people
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _
from achterban.users import service as users

AREA_KINDS = ("municipality", "province", "state")


def _invalid(key: str, title: str, message: str) -> Problem:
    return Problem(400, title, kind="validation", errors=[{"key": key, "message": message}])


NAME_LENGTH = 100  # the column's (a membership keeps the name it joined under)


def _checked_name(text: str) -> str:
    name = text.strip()
    if not name:
        raise _invalid("name", _("A branch needs a name."), _("Fill this in."))
    if len(name) > NAME_LENGTH:
        raise Problem(
            400, _("A branch's name has at most {count} characters."), kind="validation",
            values={"count": NAME_LENGTH}, errors=[{"key": "name", "message": _("Shorten it.")}],
        )  # fmt: skip
    return name


def _not_found() -> Problem:
    return Problem(404, _("No such branch."), kind="not-found")


async def _checked_areas(codes: list[str]) -> list[str]:
    """The codes, trimmed and once each, if every one is a current municipality, province
    or state; otherwise 400 naming ``areas``."""
    known = await districts.current_areas()
    result: list[str] = []
    for code in (c.strip() for c in codes):
        if code in result:
            continue
        area = known.get(code)
        if area is None or area.kind not in AREA_KINDS:
            raise Problem(
                400, _("No current municipality or region has the code {code}."),
                kind="validation", values={"code": code},
                errors=[{"key": "areas", "message": _("Pick the area from the list.")}],
            )  # fmt: skip
        result.append(code)
    return result


def _region_of(code: str, known: dict[str, Any]) -> str:
    area = known.get(code)
    if area is None:
        return ""
    return str(area.code if area.kind in ("province", "state") else area.parent)


def _sees(actor: Actor, codes: list[str], known: dict[str, Any]) -> bool:
    """National staff see every branch; a regional organiser those with an area in their
    regions (a branch without areas is national staff's to place)."""
    if actor.has("*"):
        return True
    if actor.role == "regional_organiser" or actor.regions:
        return any(_region_of(c, known) in actor.regions for c in codes)
    return True


async def _described(rows: list[dict[str, Any]], on: date | None = None) -> list[Branch]:
    """The branches of ``rows`` with their areas, officers and member counts: a few queries
    for all of them."""
    on = on or date.today()
    ids = [r["id"] for r in rows] or [-1]
    known = await districts.current_areas()
    areas: dict[int, list[BranchArea]] = {}
    for a in await AreaRow.select().where(AreaRow.branch.is_in(ids)).order_by(AreaRow.code):
        found = known.get(a["code"])
        areas.setdefault(a["branch"], []).append(BranchArea(
            code=a["code"], name=found.name if found else a["code"],
            kind=found.kind if found else "",
        ))  # fmt: skip
    posts = await OfficerRow.select().where(OfficerRow.branch.is_in(ids)).order_by(OfficerRow.id)
    names = await people.names_of([p["person"] for p in posts])
    officers: dict[int, list[Officer]] = {}
    for p in posts:
        officers.setdefault(p["branch"], []).append(_officer(p, names.get(p["person"], ""), on))
    members = {
        r["branch_id"]: r["count"]
        for r in await MembershipRow.select(MembershipRow.branch_id, Count())
        .where(MembershipRow.branch_id.is_in(ids) & current_where(on))
        .group_by(MembershipRow.branch_id)
    }
    return [
        Branch(
            id=r["id"],
            key=r["key"],
            name=r["name"],
            active=bool(r["active"]),
            created_at=r["created_at"],
            areas=areas.get(r["id"], []),
            officers=officers.get(r["id"], []),
            members=members.get(r["id"], 0),
        )
        for r in rows
    ]


def _officer(row: dict[str, Any], name: str, on: date) -> Officer:
    return Officer(
        id=row["id"], branch_id=row["branch"], role=row["role"], person_id=row["person"],
        name=name, user_id=row["user_id"], since=row["since"], until=row["until"],
        current=row["since"] <= on and (row["until"] is None or row["until"] >= on),
    )  # fmt: skip


async def _visible(actor: Actor, branch_id: int) -> dict[str, Any]:
    row = await BranchRow.select().where(BranchRow.id == branch_id).first()
    if row is None:
        raise _not_found()
    areas = await AreaRow.select(AreaRow.code).where(AreaRow.branch == row["id"])
    codes = [a["code"] for a in areas]
    if not _sees(actor, codes, await districts.current_areas()):
        raise _not_found()
    return row


async def areas(q: str, limit: int = 30) -> list[BranchArea]:
    """Current municipalities, provinces and states whose name (a word of it) starts with
    ``q`` or whose code holds it: the areas a branch can cover, for a picker."""
    term = rules.branch_name_key(q)
    found = [
        a
        for a in (await districts.current_areas()).values()
        if a.kind in AREA_KINDS
        and (not term or f" {term}" in f" {rules.branch_name_key(a.name)}"
             or q.strip().upper() in a.code.upper())
    ]  # fmt: skip
    found.sort(key=lambda a: (a.kind != "municipality", a.name))
    return [BranchArea(code=a.code, name=a.name, kind=a.kind) for a in found[:limit]]


async def list_branches(actor: Actor) -> list[Branch]:
    """Every branch the actor sees, active first, by name; audited (officers are people)."""
    rows = await BranchRow.select().order_by(BranchRow.name)
    known = await districts.current_areas()
    codes: dict[int, list[str]] = {}
    for a in await AreaRow.select(AreaRow.branch, AreaRow.code):
        codes.setdefault(a["branch"], []).append(a["code"])
    shown = [r for r in rows if _sees(actor, codes.get(r["id"], []), known)]
    shown.sort(key=lambda r: not r["active"])
    await audit.record(actor, "branch.read", "branch", "", {"shown": len(shown)})
    return await _described(shown)


async def get_branch(actor: Actor, branch_id: int) -> Branch:
    row = await _visible(actor, branch_id)
    await audit.record(actor, "branch.read", "branch", branch_id, {})
    return (await _described([row]))[0]


async def _described_one(branch_id: int) -> Branch:
    row = await BranchRow.select().where(BranchRow.id == branch_id).first()
    if row is None:
        raise _not_found()
    return (await _described([row]))[0]


async def _set_areas(branch_id: int, codes: list[str]) -> None:
    await AreaRow.delete().where(AreaRow.branch == branch_id)
    for code in codes:
        await AreaRow(branch=branch_id, code=code).save()


async def _unique_key(key: str) -> None:
    taken = await BranchRow.select(BranchRow.id).where(BranchRow.key == key).first()
    if taken is not None:
        raise Problem(
            409, _("There is already a branch with the key {key}."), kind="conflict",
            values={"key": key}, branch_id=taken["id"],
            errors=[{"key": "key", "message": _("Choose another name or key.")}],
        )  # fmt: skip


async def do_create_branch(actor: Actor, data: BranchCreate) -> Branch:
    name = _checked_name(data.name)
    key = rules.slug(data.key.strip() or name)
    if not key:
        raise _invalid("key", _("The key needs letters or digits."), _("Fill this in."))
    codes = await _checked_areas(data.areas)
    async with db.transaction():
        await _unique_key(key)
        row = BranchRow(key=key, name=name, active=True, created_at=datetime.now(UTC))
        await row.save()
        await _set_areas(int(row.id), codes)
        after = {"name": name, "key": key, "areas": codes, "active": True}
        await audit.record(actor, "branch.create", "branch", row.id, {"after": after})
    return await _described_one(int(row.id))


async def do_update_branch(actor: Actor, branch_id: int, data: BranchUpdate) -> Branch:
    """Rename, set the areas, deactivate (or reactivate) a branch; audited before and after.
    A deactivated branch keeps its members and officers: it is listed, not chosen."""
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    if "name" in changes:
        changes["name"] = _checked_name(changes["name"])
    if "areas" in changes:
        changes["areas"] = await _checked_areas(changes["areas"])
    async with db.transaction():
        row = await _visible(actor, branch_id)
        before_areas = [
            a["code"]
            for a in await AreaRow.select(AreaRow.code)
            .where(AreaRow.branch == branch_id)
            .order_by(AreaRow.code)
        ]
        logged: dict[str, Any] = {}
        values: dict[Any, Any] = {}
        for name in ("name", "active"):
            if name in changes:
                values[getattr(BranchRow, name)] = changes[name]
                logged[name] = {"before": row[name], "after": changes[name]}
        if values:
            await BranchRow.update(values).where(BranchRow.id == branch_id)
        if "areas" in changes:
            await _set_areas(branch_id, changes["areas"])
            logged["areas"] = {"before": before_areas, "after": sorted(changes["areas"])}
        await audit.record(actor, "branch.update", "branch", branch_id, logged)
    return await _described_one(branch_id)


async def do_add_officer(actor: Actor, branch_id: int, data: OfficerCreate) -> Branch:
    """A named person (one the actor can see) takes a post; a chair, secretary or treasurer
    while another holds that post is refused (409 naming them): end theirs first."""
    since = data.since or date.today()
    async with db.transaction():
        branch = await _visible(actor, branch_id)
        if not branch["active"]:
            raise Problem(409, _("This branch is not active."), kind="conflict")
        try:
            await people.visible_row(actor, data.person_id)
        except Problem as exc:
            raise _invalid(
                "person_id", _("No such person."), _("Pick a person from the list.")
            ) from exc
        if data.user_id is not None:
            try:
                user = await users.get_user(data.user_id)
            except Problem as exc:
                raise _invalid("user_id", _("No such user."), _("Pick an account.")) from exc
            if not user.active:
                raise _invalid("user_id", _("That account is deactivated."), _("Pick an account."))
        if data.role != "other":
            for held in await OfficerRow.select().where(
                (OfficerRow.branch == branch_id) & (OfficerRow.role == data.role)
            ):
                if held["until"] is None or held["until"] >= since:
                    raise Problem(
                        409, _("Someone holds this post already: end their term first."),
                        kind="conflict", officer_id=held["id"],
                    )  # fmt: skip
        post = OfficerRow(branch=branch_id, role=data.role, person=data.person_id,
                          user_id=data.user_id, since=since)  # fmt: skip
        await post.save()
        after = {"role": data.role, "person": data.person_id, "user": data.user_id,
                 "since": since.isoformat()}  # fmt: skip
        await audit.record(
            actor, "branch.officer", "branch", branch_id, {"officer": post.id, "after": after}
        )
    return await _described_one(branch_id)


async def do_end_officer(actor: Actor, officer_id: int, data: OfficerEnd) -> Branch:
    async with db.transaction():
        post = await OfficerRow.select().where(OfficerRow.id == officer_id).first()
        if post is None:
            raise Problem(404, _("No such officer."), kind="not-found")
        await _visible(actor, post["branch"])
        until = data.until or date.today()
        if until < post["since"]:
            raise _invalid("until", _("A term cannot end before it starts."),
                           _("Pick a date after the start."))  # fmt: skip
        await OfficerRow.update({OfficerRow.until: until}).where(OfficerRow.id == officer_id)
        logged = {"officer": officer_id, "until": {"before": post["until"], "after": until}}
        await audit.record(actor, "branch.officer", "branch", post["branch"], logged)
    return await _described_one(post["branch"])


# For journeys and tasks: the person's branch, and who holds a post in it ---------------------


async def branch_of(person_id: int, on: date | None = None) -> Branch | None:
    """The person's branch: that of their current membership, else the active branch that
    covers their municipality, else their region (the lowest id when several do). As the
    system: not scoped, not audited; the caller audits what it shows."""
    on = on or date.today()
    joined = (
        await MembershipRow.select(MembershipRow.branch_id)
        .where(
            (MembershipRow.person == person_id)
            & MembershipRow.branch_id.is_not_null()
            & current_where(on)
        )
        .order_by(MembershipRow.since, ascending=False)
        .first()
    )
    if joined is not None:
        return await _described_one(joined["branch_id"])
    person = await people.row_of(person_id)
    if person is None:
        return None
    for code in (person["district"], person["region"]):
        if not code:
            continue
        found = (
            await AreaRow.select(AreaRow.branch)
            .where((AreaRow.code == code) & (AreaRow.branch.active == True))  # noqa: E712
            .order_by(AreaRow.branch)
            .first()
        )
        if found is not None:
            return await _described_one(found["branch"])
    return None


async def officer_of(branch_id: int, role: str, on: date | None = None) -> Officer | None:
    """Who holds ``role`` (chair, secretary, treasurer) in the branch on ``on``, if anyone."""
    on = on or date.today()
    row = (
        await OfficerRow.select()
        .where(
            (OfficerRow.branch == branch_id)
            & (OfficerRow.role == role)
            & (OfficerRow.since <= on)
            & (OfficerRow.until.is_null() | (OfficerRow.until >= on))
        )
        .order_by(OfficerRow.since, ascending=False)
        .first()
    )
    if row is None:
        return None
    names = await people.names_of([row["person"]])
    return _officer(row, names.get(row["person"], ""), on)


async def linked(branch_id: int | None, text: str) -> tuple[int | None, str]:
    """The branch (id) and the name to keep on a new membership: ``branch_id`` when given
    (an active branch, else 400), else the one branch named ``text``, if there is one."""
    if branch_id is not None:
        row = await BranchRow.select().where(BranchRow.id == branch_id).first()
        if row is None or not row["active"]:
            raise _invalid("branch_id", _("No such branch."), _("Pick the branch from the list."))
        return int(row["id"]), str(row["name"])
    text = text.strip()
    branches = [(r["id"], r["name"], r["key"]) for r in await BranchRow.select().where(
        BranchRow.active == True  # noqa: E712
    )]  # fmt: skip
    match = rules.match_text(text, branches, [])
    return match.branch_id, text


# Migrating the free text of before ------------------------------------------------------------


def _town_name(name: str) -> str:
    """A municipality's name as a branch is called: "Middelburg (Z.)" → "Middelburg"."""
    return re.sub(r"\s*\([^)]*\)", "", name).strip() or name


async def migrate_free_text(actor: Actor) -> BranchMigration:
    """Link every membership whose branch is free text to a branch: the one of that name,
    or a new one for the municipality of that name. A text several branches or
    municipalities fit, or none, is reported with its memberships, which keep their text;
    nothing is lost. Running it again links only what is still free text."""
    async with db.transaction():
        texts: dict[str, list[int]] = {}
        for m in await MembershipRow.select(MembershipRow.id, MembershipRow.branch).where(
            MembershipRow.branch_id.is_null() & (MembershipRow.branch != "")
        ):
            texts.setdefault(m["branch"], []).append(m["id"])
        branches = [(r["id"], r["name"], r["key"]) for r in await BranchRow.select()]
        towns = [
            (code, area.name)
            for code, area in (await districts.current_areas()).items()
            if area.kind == "municipality"
        ]
        result = BranchMigration(migrated=[], ambiguous=[], unmatched=[])
        for text in sorted(texts, key=str.casefold):
            ids = texts[text]
            match = rules.match_text(text, branches, towns)
            branch_id, created = match.branch_id, False
            if branch_id is None and match.area is not None:
                name = _town_name(dict(towns)[match.area])
                branch_id, created = await _branch_for_town(name, match.area), True
                branches.append((branch_id, name, rules.slug(name)))
            if branch_id is None:
                unresolved = UnresolvedText(
                    text=text, memberships=len(ids), candidates=list(match.candidates),
                    membership_ids=ids,
                )  # fmt: skip
                (result.ambiguous if match.ambiguous else result.unmatched).append(unresolved)
                continue
            await MembershipRow.update({MembershipRow.branch_id: branch_id}).where(
                MembershipRow.id.is_in(ids)
            )
            name = next(n for i, n, _k in branches if i == branch_id)
            result.migrated.append(MigratedText(text=text, memberships=len(ids),
                                                branch_id=branch_id, branch_name=name,
                                                created=created))  # fmt: skip
        await audit.record(actor, "branch.migrate", "branch", "", {
            "linked": sum(t.memberships for t in result.migrated),
            "created": [t.branch_id for t in result.migrated if t.created],
            "ambiguous": len(result.ambiguous), "unmatched": len(result.unmatched),
        })  # fmt: skip
    return result


async def _branch_for_town(name: str, code: str) -> int:
    key = base = rules.slug(name) or "branch"
    n = 1
    while await BranchRow.exists().where(BranchRow.key == key):
        n += 1
        key = f"{base}-{n}"
    row = BranchRow(key=key, name=name, active=True, created_at=datetime.now(UTC))
    await row.save()
    await AreaRow(branch=row.id, code=code).save()
    return int(row.id)
