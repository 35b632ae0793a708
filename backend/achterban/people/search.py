"""The people list: filters, sorting, paging with a total, within the actor's scope."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar.params import FromQuery, QueryParameter

from achterban.audit import service as audit
from achterban.memberships.tables import Membership
from achterban.people import normalise, roles, scope
from achterban.people.schemas import PersonFilter, PersonPage, PersonSummary, Role, SortKey
from achterban.people.service import display_name
from achterban.people.tables import ContactPoint, Person, PersonTag
from achterban.platform.auth import Actor

SUMMARY_COLUMNS = (
    Person.id, Person.first_name, Person.infix, Person.last_name, Person.email, Person.phone,
    Person.postcode, Person.city, Person.region, Person.district, Person.support_level,
    Person.voted_for_us, Person.is_volunteer, Person.is_ambassador, Person.last_contact_at,
    Person.address_status,
)  # fmt: skip

SORTS = {
    "name": (Person.sort_name, True),
    "-name": (Person.sort_name, False),
    "created": (Person.id, True),
    "-created": (Person.id, False),
    "last_contact": (Person.last_contact_at, True),
    "-last_contact": (Person.last_contact_at, False),
    "postcode": (Person.postcode, True),
}


def fold(text: str) -> str:
    """Lower-case without accents, as ``sort_name`` is stored."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def _escape_like(value: str) -> str:
    return value.replace("\\", "").replace("%", "").replace("_", "")


def conditions(actor: Actor, f: PersonFilter, today: date | None = None) -> list[Any]:
    """Where clauses for a filter; shared by the list, exports and segments."""
    where: list[Any] = [Person.erased_at.is_null(), Person.merged_into.is_null()]
    visible = scope.visible_where(actor)
    if visible is not None:
        where.append(visible)
    if f.q:
        term = f.q.strip()
        if "@" in term:
            where.append(Person.id.is_in(
                ContactPoint.select(ContactPoint.person).where(
                    (ContactPoint.kind == "email") & (ContactPoint.value == term.lower())
                )
            ))  # fmt: skip
        else:
            where.append(Person.sort_name.like(_escape_like(fold(term)) + "%"))
    if f.email:
        where.append(Person.id.is_in(
            ContactPoint.select(ContactPoint.person).where(
                (ContactPoint.kind == "email") & (ContactPoint.value == f.email.strip().lower())
            )
        ))  # fmt: skip
    if f.phone:
        try:
            phone = normalise.normalise_phone(f.phone, "NL")
        except ValueError:
            phone = f.phone.strip()
        where.append(Person.id.is_in(
            ContactPoint.select(ContactPoint.person).where(
                (ContactPoint.kind == "phone") & (ContactPoint.value == phone)
            )
        ))  # fmt: skip
    if f.postcode:
        prefix = f.postcode.strip().upper()
        where.append(Person.postcode.like(_escape_like(prefix) + "%"))
    if f.district:
        where.append(Person.district == f.district)
    if f.region:
        where.append(Person.region == f.region)
    if f.tag:
        where.append(Person.id.is_in(
            PersonTag.select(PersonTag.person).where(PersonTag.tag == f.tag.strip().lower())
        ))  # fmt: skip
    if f.support_level_min is not None:
        where.append(Person.support_level >= f.support_level_min)
    if f.branch:
        where.append(Person.id.is_in(
            Membership.select(Membership.person).where(
                (Membership.branch == f.branch)
                & roles.current_membership_where(today or date.today())
            )
        ))  # fmt: skip
    if f.last_contact_before:
        where.append(
            Person.last_contact_at.is_null() | (Person.last_contact_at < f.last_contact_before)
        )
    if f.last_contact_after:
        where.append(Person.last_contact_at >= f.last_contact_after)
    if f.address_status:
        where.append(Person.address_status == f.address_status)
    if f.role:
        where.append(_role_condition(f.role, today or date.today()))
    return where


def _role_condition(role: str, today: date) -> Any:
    if role == "loyal_voter":
        return (Person.voted_for_us == True) & (Person.support_level >= 4)  # noqa: E712
    if role == "member":
        return Person.id.is_in(roles.member_ids_query(today))
    if role == "donor":
        return Person.id.is_in(roles.donor_ids_query())
    if role == "volunteer":
        return Person.is_volunteer == True  # noqa: E712
    if role == "ambassador":
        return Person.is_ambassador == True  # noqa: E712
    return Person.id == -1  # constituent: comes with casework


def combine(where: list[Any]) -> Any:
    clause = where[0]
    for item in where[1:]:
        clause = clause & item
    return clause


async def search(actor: Actor, f: PersonFilter, *, limit: int = 50, offset: int = 0) -> PersonPage:
    clause = combine(conditions(actor, f))
    column, ascending = SORTS[f.sort]
    query = (
        Person.select(*SUMMARY_COLUMNS)
        .where(clause)
        .order_by(column, ascending=ascending)
        .order_by(Person.id, ascending=ascending)
        .limit(limit)
        .offset(offset)
    )
    rows = await query
    total = await Person.count().where(clause)
    return PersonPage(items=await summaries(rows), total=total, limit=limit, offset=offset)


async def list_people(
    actor: Actor, f: PersonFilter, *, limit: int = 50, offset: int = 0
) -> PersonPage:
    """The list as staff see it: who searched for what, and how many they saw, is audited."""
    page = await search(actor, f, limit=limit, offset=offset)
    filters = {k: str(v) for k, v in msgspec.structs.asdict(f).items() if v not in (None, "")}
    await audit.record(actor, "person.search", "people", "", {
        "filters": filters, "total": page.total, "shown": len(page.items), "offset": offset,
    })  # fmt: skip
    return page


async def summaries(rows: list[dict[str, Any]]) -> list[PersonSummary]:
    ids = [r["id"] for r in rows]
    tags: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for t in await PersonTag.select(PersonTag.person, PersonTag.tag).where(
            PersonTag.person.is_in(ids)
        ):
            tags[t["person"]].append(t["tag"])
    person_roles = await roles.roles_for(rows)
    return [
        PersonSummary(
            id=r["id"],
            display_name=display_name(r),
            email=r["email"],
            phone=r["phone"],
            postcode=r["postcode"],
            city=r["city"],
            region=r["region"],
            district=r["district"],
            tags=sorted(tags[r["id"]]),
            roles=person_roles[r["id"]],
            support_level=r["support_level"],
            last_contact_at=r["last_contact_at"],
            address_status=r["address_status"],
        )
        for r in rows
    ]


async def person_filter(
    q: FromQuery[str | None] = None,
    email: FromQuery[str | None] = None,
    phone: FromQuery[str | None] = None,
    postcode: FromQuery[str | None] = None,
    district: FromQuery[str | None] = None,
    region: FromQuery[str | None] = None,
    tag: FromQuery[str | None] = None,
    role: FromQuery[Role | None] = None,
    support_level_min: Annotated[int | None, QueryParameter(ge=1, le=5)] = None,
    branch: FromQuery[str | None] = None,
    last_contact_before: FromQuery[datetime | None] = None,
    last_contact_after: FromQuery[datetime | None] = None,
    address_status: FromQuery[str | None] = None,
    sort: FromQuery[SortKey] = "name",
) -> PersonFilter:
    """The people list's filters from the query string (shared by the list and exports)."""
    return PersonFilter(
        q=q, email=email, phone=phone, postcode=postcode, district=district, region=region,
        tag=tag, role=role, support_level_min=support_level_min, branch=branch,
        last_contact_before=last_contact_before, last_contact_after=last_contact_after,
        address_status=address_status, sort=sort,
    )  # fmt: skip
