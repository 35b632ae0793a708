"""Resolve an address to its districts and representatives, from an in-memory index.

The index (postcode → districts, district → representatives → offices) is built once per
process from the current versions and dropped when a loader runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from achterban.addresses.parse import ParsedAddress, parse_address
from achterban.districts import rules
from achterban.districts.schemas import Candidate, RepresentativeRef, Resolution
from achterban.districts.tables import (
    CaseworkerTopic,
    Jurisdiction,
    Office,
    PostcodeArea,
    Representative,
)

cache: dict[date, Index] = {}
# another process (an admin's new office, a loaded map) changes what the map holds: a built
# map is used for a minute at most, this process's own changes drop it at once
MAP_SECONDS = 60.0
_built_at: dict[date, float] = {}
office_cache: dict[int, tuple[str, ...]] = {}


@dataclass
class Index:
    areas: dict[tuple[str, str], list[rules.Area]] = field(default_factory=dict)
    by_code: dict[str, rules.Area] = field(default_factory=dict)
    reps: dict[str, list[RepresentativeRef]] = field(default_factory=dict)


def _current(on: date) -> Any:
    return (Jurisdiction.valid_from <= on) & (
        Jurisdiction.valid_to.is_null() | (Jurisdiction.valid_to >= on)
    )


async def index(on: date | None = None) -> Index:
    on = on or date.today()
    if on in cache and time.monotonic() - _built_at.get(on, 0.0) < MAP_SECONDS:
        return cache[on]
    built = Index()
    rows = await Jurisdiction.select().where(_current(on))
    codes = {r["id"]: r["code"] for r in rows}
    all_codes = {
        r["id"]: r["code"] for r in await Jurisdiction.select(Jurisdiction.id, Jurisdiction.code)
    }
    for r in rows:
        built.by_code[r["code"]] = rules.Area(
            r["code"], r["name"], r["kind"], all_codes.get(r["parent"], "")
        )
    for r in await PostcodeArea.select(
        PostcodeArea.country, PostcodeArea.postcode, PostcodeArea.jurisdiction
    ):
        code = codes.get(r["jurisdiction"])
        if code:
            built.areas.setdefault((r["country"], r["postcode"]), []).append(built.by_code[code])
    offices: dict[int, list[int]] = {}
    for o in await Office.select(Office.id, Office.representative).where(Office.active == 1):
        if o["representative"]:
            offices.setdefault(o["representative"], []).append(o["id"])
    reps = await Representative.select().where(
        (Representative.valid_from <= on)
        & (Representative.valid_to.is_null() | (Representative.valid_to >= on))
    )
    for r in reps:
        code = all_codes.get(r["jurisdiction"])
        if code:
            built.reps.setdefault(code, []).append(RepresentativeRef(
                id=r["id"], name=r["name"], chamber=r["chamber"], party=r["party"],
                office_ids=sorted(offices.get(r["id"], [])),
            ))  # fmt: skip
    cache.clear()
    cache[on] = built
    _built_at[on] = time.monotonic()
    return built


def _postcode_key(parsed: ParsedAddress) -> str:
    if parsed.country == "NL":
        return parsed.postcode[:4]
    return parsed.postcode


async def resolve(address: str, country: str | None = None, on: date | None = None) -> Resolution:
    parsed = parse_address(address, country)
    idx = await index(on)
    key = _postcode_key(parsed)
    areas = idx.areas.get((parsed.country, key), []) if key else []
    fallback = "no postcode could be read: the district is unknown"
    if key and not areas:
        fallback = f"postcode {key} is not on the map (a PO box or unique ZIP?)"
    if not areas and parsed.state:
        state = f"US-{parsed.state}" if parsed.country == "US" else ""
        if state in idx.by_code:
            areas = []
            fallback += f"; matched on the state {parsed.state} only"
            candidates = [Candidate(
                district=state, name=idx.by_code[state].name, kind="state",
                representatives=idx.reps.get(state, []),
                note="the state's senators; pick the district when the address is known",
            )]  # fmt: skip
            return Resolution(
                parsed=_parsed(parsed), candidates=candidates, ambiguous=True, reason=fallback
            )
    ambiguous, why = rules.reason(key, areas, fallback)
    candidates = rules.candidates_for(areas, lambda code: idx.reps.get(code, []))
    if any(c.note for c in candidates):
        why += "; " + "; ".join(c.note for c in candidates if c.note)
    return Resolution(
        parsed=_parsed(parsed), candidates=candidates, ambiguous=ambiguous, reason=why
    )


async def district_of(country: str, postcode: str, on: date | None = None) -> str:
    """The one district of a postcode (on the map of ``on``, today by default), or "" when it
    spans several or is unknown."""
    return (await district_lookup(on))(country, postcode)


async def district_lookup(on: date | None = None) -> Callable[[str, str], str]:
    """``district_of`` without a wait per postcode: for a batch of thousands (imports)."""
    areas = (await index(on)).areas

    def of(country: str, postcode: str) -> str:
        found = areas.get((country, postcode[:4] if country == "NL" else postcode))
        return found[0].code if found and len(found) == 1 else ""

    return of


async def current_areas(on: date | None = None) -> dict[str, rules.Area]:
    """Every current jurisdiction by code, with its name, kind and parent (the in-memory
    map; a branch's areas are checked and named from it)."""
    return dict((await index(on)).by_code)


async def office_districts(office_id: int) -> tuple[str, ...]:
    """The districts an office serves: those of its representative (cached per process)."""
    if office_id not in office_cache:
        office_cache[office_id] = await _office_districts(office_id)
    return office_cache[office_id]


async def _office_districts(office_id: int) -> tuple[str, ...]:
    office = await Office.select(Office.representative).where(Office.id == office_id).first()
    if office is None or office["representative"] is None:
        return ()
    rep = (
        await Representative.select(Representative.jurisdiction)
        .where(Representative.id == office["representative"])
        .first()
    )
    if rep is None:
        return ()
    row = (
        await Jurisdiction.select(Jurisdiction.code)
        .where(Jurisdiction.id == rep["jurisdiction"])
        .first()
    )
    return (row["code"],) if row else ()


def district_for(resolution: Resolution) -> str:
    """The one district of an unambiguous resolution, else ""."""
    return (
        resolution.candidates[0].district
        if len(resolution.candidates) == 1 and not resolution.ambiguous
        else ""
    )


_FIELDS = tuple(f.name for f in fields(ParsedAddress))


def _parsed(parsed: ParsedAddress) -> dict[str, Any]:
    return {k: v for k in _FIELDS if (v := getattr(parsed, k))}


async def specialists(office_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each office's caseworker per topic (the first one recorded, when several)."""
    topics = await CaseworkerTopic.select().where(CaseworkerTopic.office.is_in(office_ids or [-1]))
    by_office: dict[int, dict[str, int]] = {}
    for t in topics:
        by_office.setdefault(t["office"], {}).setdefault(t["topic"], t["user_id"])
    return by_office


async def map_dates(on: date | None = None) -> list[date]:
    """The dates from which a loaded map or parliament is in force, up to ``on``."""
    on = on or date.today()
    starts = {
        r["valid_from"]
        for r in await Jurisdiction.select(Jurisdiction.valid_from).distinct()
        if r["valid_from"] <= on
    }
    return sorted(starts)


async def describe_office(actor: Any, office_id: int) -> Any:
    """An office as its page shows it, seat included (404 outside the actor's reach)."""
    from achterban.districts import offices

    return await offices.describe(actor, office_id)


async def active_office_names(ids: list[int] | None = None) -> dict[int, str]:
    """The names of active offices (of ``ids``, or all of them)."""
    query = Office.select(Office.id, Office.name).where(Office.active == 1)
    if ids is not None:
        query = query.where(Office.id.is_in(ids or [0]))
    return {r["id"]: r["name"] for r in await query.order_by(Office.name)}
