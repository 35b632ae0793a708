"""The people list: filters, sorting, paging with a total, within the actor's scope."""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar.params import FromQuery, QueryParameter
from piccolo.columns.combination import WhereRaw
from piccolo.querystring import QueryString

from achterban.audit import service as audit
from achterban.people import conditions as _registers  # noqa: F401 - the list's fields
from achterban.people import normalise, roles, scope
from achterban.people.schemas import PersonFilter, PersonPage, PersonSummary, Role, SortKey
from achterban.people.service import display_name
from achterban.people.tables import Person, PersonTag
from achterban.platform import conditions as engine
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _

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


def _like_literal(value: str) -> str:
    """``value`` for a LIKE pattern with ``ESCAPE '\\'``: matched as written."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True, slots=True)
class Term:
    """One word of a search: it must start a word of ``search_text`` (or, with ``inside``,
    appear anywhere in it: a fragment of an e-mail address)."""

    word: str
    inside: bool = False

    @property
    def pattern(self) -> str:
        return ("%" if self.inside else "% ") + _like_literal(self.word) + "%"

    @property
    def whole_word(self) -> str:
        return "% " + _like_literal(self.word) + " %"


def terms(q: str) -> list[Term]:
    return [Term(w, inside="@" in w or "." in w or "_" in w) for w in normalise.query_terms(q)]


def _text_condition(q: str, fuzzy: bool) -> Any:
    """Every word of ``q`` found; with ``fuzzy`` (PostgreSQL) also a near miss (a typo)."""
    words = terms(q)
    if not words:
        return None
    clause: Any = None
    for term in words:
        item: Any = WhereRaw("search_text LIKE {} ESCAPE '\\'", term.pattern)
        if fuzzy and len(term.word) >= 4:
            # pg_trgm: a word of search_text within a trigram similarity of 0.6 of this one
            item = item | WhereRaw("search_text %> {}", term.word)
        clause = item if clause is None else clause & item
    return clause


def _rank(q: str, fuzzy: bool) -> QueryString:
    """Lower is better: whole words before word starts; near misses by their similarity."""
    words = terms(q)
    if fuzzy:
        return QueryString("1 - word_similarity({}, search_text)", " ".join(t.word for t in words))
    if not words:
        return QueryString("0")
    parts = " + ".join("CASE WHEN search_text LIKE {} ESCAPE '\\' THEN 0 ELSE 1 END" for _ in words)
    return QueryString(parts, *[t.whole_word for t in words])


def conditions(
    actor: Actor,
    f: PersonFilter,
    today: date | None = None,
    *,
    fuzzy: bool = False,
    cases: list[int] | None = None,
    extra: Sequence[Any] = (),
) -> list[Any]:
    """Where clauses for a filter; shared by the list, exports and segments.

    ``q`` matches words a person is known by (see ``normalise.search_text``): names in
    any order, with or without infix, e-mail fragments, phone numbers as typed,
    postcodes with or without the space, the city. ``fuzzy`` adds near misses
    (PostgreSQL's pg_trgm); the list uses it when the plain search finds nobody.
    ``cases``: people whose case has the reference ``q`` (found as well, within scope).
    """
    where: list[Any] = [Person.erased_at.is_null(), Person.merged_into.is_null(), *extra]
    visible = scope.visible_where(actor)
    if visible is not None:
        where.append(visible)
    if f.q and f.q.strip():
        text = _text_condition(f.q, fuzzy)
        if cases:
            by_case = Person.id.is_in(cases)
            text = by_case if text is None else text | by_case
        where.append(text if text is not None else Person.id == -1)
    found = filter_conditions(f)
    if found:
        where.append(_compiled(actor, found, today or date.today()))
    return where


# the list's filters, each a condition of the one condition language (platform/conditions.py)
FILTER_FIELDS: dict[str, tuple[str, str]] = {
    "email": ("email", "is"), "phone": ("phone", "is"), "postcode": ("postcode", "starts_with"),
    "district": ("district", "is"), "region": ("region", "is"), "tag": ("tag", "has"),
    "support_level_min": ("support_level", "at_least"), "branch_id": ("branch", "is"),
    "branch": ("branch_name", "is"), "last_contact_before": ("last_contact", "before"),
    "last_contact_after": ("last_contact", "after"), "address_status": ("address_status", "is"),
    "role": ("role", "has"),
}  # fmt: skip


def filter_conditions(f: PersonFilter) -> list[tuple[str, dict[str, Any]]]:
    """The list's filters (each with its query parameter's name) as the conditions of a
    segment: one language for both."""
    found = []
    for name, (field, op) in FILTER_FIELDS.items():
        value = getattr(f, name)
        if value is None or value == "":
            continue
        found.append(
            (
                name,
                {
                    "field": field,
                    "op": op,
                    "value": value.isoformat() if isinstance(value, datetime) else value,
                },
            )
        )
    return found


def _compiled(actor: Actor, found: list[tuple[str, dict[str, Any]]], today: date) -> Any:
    try:
        group = engine.parse({"all": [leaf for _name, leaf in found]}, None, "filters")
    except engine.TreeError as exc:
        raise Problem(
            400, _("The filters are not valid: {reason}"), kind="validation",
            values={"reason": engine.Mistakes(exc.errors)},
            errors=[{"key": _filter_name(m.path, found), "message": m} for m in exc.errors],
        ) from exc  # fmt: skip
    return engine.compile_group(group, engine.Context(actor=actor, today=today))


def _filter_name(path: str, found: list[tuple[str, dict[str, Any]]]) -> str:
    """The query parameter a mistake's path (``filters.all[2].value``) points at."""
    try:
        return found[int(path.split("[", 1)[1].split("]", 1)[0])][0]
    except (IndexError, ValueError):
        return path


def combine(where: list[Any]) -> Any:
    clause = where[0]
    for item in where[1:]:
        clause = clause & item
    return clause


# A search counts its matches up to this many; beyond, the page says "more than" this
# number (``PersonPage.total_capped``), and ranks within a bounded set of candidates:
# this many matching people and this many who match every word whole (the best matches).
# A common first name finds tens of thousands at a million people: reading them all to
# count and rank them is what a search would otherwise cost.
TOTAL_CAP = 1000

# Cases, whose references a search also finds, sit above people: casework hands down
# (wiring.py) the people whose case has the reference ``q`` and whose contents the actor
# may read; none when ``q`` is not a case reference or the case is not theirs.
REFERENCE_PEOPLE: list[Callable[[Actor, str], Awaitable[list[int]]]] = []
# Segments sit above people: the where clause of a saved segment (``segment=`` in the list,
# an export) is handed down (wiring.py); a segment the actor may not use is a 404.
SEGMENT_WHERE: list[Callable[[Actor, int], Awaitable[Any]]] = []


async def segment_clauses(actor: Actor, f: PersonFilter) -> list[Any]:
    """The clause of the filter's saved segment, if it names one."""
    if f.segment is None:
        return []
    if not SEGMENT_WHERE:
        raise RuntimeError("segments are not wired (achterban.wiring.connect)")
    return [await SEGMENT_WHERE[0](actor, f.segment)]


async def search(actor: Actor, f: PersonFilter, *, limit: int = 50, offset: int = 0) -> PersonPage:
    """A page of the list. With ``q``, best matches first (sort ``relevance``); when
    nobody matches every word, PostgreSQL looks again for near misses (a typo). ``q`` may
    also be a case reference: the case's constituent, for the case's own office."""
    cases = await reference_people(actor, f.q)
    extra = await segment_clauses(actor, f)
    page = await _search(actor, f, limit, offset, fuzzy=False, cases=cases, extra=extra)
    if page.total == 0 and f.q and db.is_postgres() and _may_be_typo(f.q):
        page = await _search(actor, f, limit, offset, fuzzy=True, cases=cases, extra=extra)
    return page


async def reference_people(actor: Actor, q: str | None) -> list[int]:
    """The people a search ``q`` finds as the constituent of a case (see REFERENCE_PEOPLE)."""
    if not q or not q.strip() or len(q.split()) != 1:
        return []
    if not REFERENCE_PEOPLE:
        raise RuntimeError("case references are not wired (achterban.wiring.connect)")
    return await REFERENCE_PEOPLE[0](actor, q.strip())


def _may_be_typo(q: str) -> bool:
    words = terms(q)
    # numbers (phones, postcodes) are exact: a near miss would be someone else
    digits = any(c.isdigit() for t in words for c in t.word)
    return bool(words) and not digits and len(q.strip()) >= 3


def _whole_words(q: str) -> QueryString | None:
    """Every word of ``q`` found whole: the best a match can be."""
    words = terms(q)
    if not words:
        return None
    sql = " AND ".join("search_text LIKE {} ESCAPE '\\'" for _ in words)
    return QueryString(sql, *[t.whole_word for t in words])


def _candidates(clause: Any, q: str, fuzzy: bool, need: int) -> QueryString:
    """The ids a search ranks: up to ``TOTAL_CAP + 1`` matches, and when there are more
    but fewer than ``need`` (the pages up to this one) among them match every word whole,
    as many of those who do. Fewer matches: all of them, so the count is exact."""
    best = _whole_words(q)
    if fuzzy or best is None:
        some = Person.select(Person.id).where(clause).limit(TOTAL_CAP + 1)
        return QueryString("SELECT c.id FROM ({}) c", some.querystrings[0])
    flag = QueryString("CASE WHEN {} THEN 1 ELSE 0 END", best, alias="best")
    some = Person.select(Person.id, flag).where(clause).limit(TOTAL_CAP + 1)
    whole = Person.select(Person.id).where(clause & WhereRaw("{}", best)).limit(TOTAL_CAP + 1)
    return QueryString(
        "WITH some_match AS ({}) SELECT id FROM some_match UNION "
        "SELECT b.id FROM ({}) b WHERE (SELECT count(*) FROM some_match) > {} "
        "AND (SELECT count(*) FROM some_match WHERE best = 1) < {}",
        some.querystrings[0],
        whole.querystrings[0],
        TOTAL_CAP,
        need,
    )


def _order(query: Any, f: PersonFilter, fuzzy: bool) -> Any:
    if f.sort == "relevance" and f.q:
        query = query.order_by(_rank(f.q, fuzzy)).order_by(Person.sort_name)
        return query.order_by(Person.id)
    column, ascending = SORTS["name" if f.sort == "relevance" else f.sort]
    return query.order_by(column, ascending=ascending).order_by(Person.id, ascending=ascending)


async def _search(
    actor: Actor, f: PersonFilter, limit: int, offset: int, *, fuzzy: bool, cases: list[int],
    extra: Sequence[Any] = (),
) -> PersonPage:  # fmt: skip
    clause = combine(conditions(actor, f, fuzzy=fuzzy, cases=cases, extra=extra))
    if f.q and f.q.strip():
        # a search reads a bounded set of candidates once: the page and their count
        found = QueryString("count(*) OVER ()", alias="found")
        within = Person.id.is_in(_candidates(clause, f.q, fuzzy, offset + limit))
        query = _order(Person.select(*SUMMARY_COLUMNS, found).where(within), f, fuzzy)
        rows = await query.limit(limit).offset(offset)
        total = int(rows[0]["found"]) if rows else await Person.count().where(within)
        capped = total > TOTAL_CAP
        return PersonPage(
            items=await summaries(rows),
            total=min(total, TOTAL_CAP),
            total_capped=capped,
            limit=limit,
            offset=offset,
        )
    # a list picks its page by what the filters and the order need (an index can hold
    # that), then reads the page's people
    page = _order(Person.select(Person.id).where(clause), f, fuzzy).limit(limit).offset(offset)
    ids = [r["id"] for r in await page]
    rows = (
        await _order(Person.select(*SUMMARY_COLUMNS).where(Person.id.is_in(ids)), f, fuzzy)
        if ids
        else []
    )
    total = await Person.count().where(clause)
    return PersonPage(items=await summaries(rows), total=total, limit=limit, offset=offset)


async def list_people(
    actor: Actor, f: PersonFilter, *, limit: int = 50, offset: int = 0
) -> PersonPage:
    """The list as staff see it: who searched for what, and how many they saw, is audited."""
    page = await search(actor, f, limit=limit, offset=offset)
    filters = {k: str(v) for k, v in msgspec.structs.asdict(f).items() if v not in (None, "")}
    detail: dict[str, Any] = {
        "filters": filters, "total": page.total, "shown": len(page.items), "offset": offset,
    }  # fmt: skip
    if page.total_capped:
        detail["total_capped"] = True  # more than total matched
    await audit.record(actor, "person.search", "people", "", detail)
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
    # a dependency's integers are not among the route's own that check_request bounds
    branch_id: Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)] = None,
    segment: Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)] = None,
    last_contact_before: FromQuery[datetime | None] = None,
    last_contact_after: FromQuery[datetime | None] = None,
    address_status: FromQuery[str | None] = None,
    sort: FromQuery[SortKey | None] = None,
) -> PersonFilter:
    """The people list's filters from the query string (shared by the list and exports).

    Without ``sort`` a search (``q``) shows the best matches first, a list is by name."""
    sort = sort or ("relevance" if q and q.strip() else "name")
    return PersonFilter(
        q=q, email=email, phone=phone, postcode=postcode, district=district, region=region,
        tag=tag, role=role, support_level_min=support_level_min, branch=branch,
        branch_id=branch_id, segment=segment, last_contact_before=last_contact_before,
        last_contact_after=last_contact_after, address_status=address_status, sort=sort,
    )  # fmt: skip
