"""A new Congress loads as data: on its first day the members who left are closed, a
re-elected member keeps their record and offices, a new member takes the seat, and the
districts stay the same areas (the map is another file)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from achterban.districts import loaders, service
from achterban.districts.tables import Jurisdiction, Office, Representative

TERM_1, TERM_2 = date(2025, 1, 3), date(2027, 1, 3)


def _member(bioguide: str, name: str, kind: str, district: int | None = None) -> dict:
    term = {"type": kind, "state": "ZZ", "party": "Independent"}
    if district is not None:
        term["district"] = district
    return {"id": {"bioguide": bioguide}, "name": {"official_full": name}, "terms": [term]}


def _files(tmp: Path, name: str, members: list[dict]) -> tuple[Path, Path]:
    people, offices = tmp / f"{name}.yaml", tmp / f"{name}-offices.yaml"
    people.write_text(yaml.safe_dump(members))
    offices.write_text(yaml.safe_dump([
        {"id": {"bioguide": m["id"]["bioguide"]},
         "offices": [{"city": "Zedville", "address": "1 Main St", "state": "ZZ", "zip": "00001"}]}
        for m in members
    ]))  # fmt: skip
    return people, offices


async def _rows(bioguide: str) -> list[dict]:
    return await Representative.select().where(Representative.external_id == bioguide)


async def _seat(code: str, on: date) -> list[str]:
    loaders.invalidate()
    index = await service.index(on)
    return sorted(r.name for r in index.reps.get(code, []))


async def test_the_next_congress_closes_who_left_and_keeps_who_returned(app, tmp_dir):
    first = _files(tmp_dir, "term1", [
        _member("ZZA001", "Alice Again", "rep", 1), _member("ZZB001", "Bob Gone", "rep", 2),
        _member("ZZC001", "Carol Vacant", "sen"),
    ])  # fmt: skip
    assert await loaders.load_us_legislators(*first, valid_from=TERM_1) == 3
    assert await loaders.load_us_legislators(*first, valid_from=TERM_1) == 0  # again: nothing
    alice = (await _rows("ZZA001"))[0]
    offices_before = await Office.count().where(Office.representative == alice["id"])

    second = _files(tmp_dir, "term2", [
        _member("ZZA001", "Alice Again", "rep", 1), _member("ZZD001", "Dan New", "rep", 2),
    ])  # fmt: skip
    assert await loaders.load_us_legislators(*second, valid_from=TERM_2) == 1  # only Dan

    # Alice: one record, her offices (and so their staff and topics) stay hers
    assert [r["id"] for r in await _rows("ZZA001")] == [alice["id"]]
    assert await Office.count().where(Office.representative == alice["id"]) == offices_before
    # Bob and the senator leave the day before; Dan starts on the day
    assert [r["valid_to"] for r in await _rows("ZZB001")] == [date(2027, 1, 2)]
    assert [r["valid_to"] for r in await _rows("ZZC001")] == [date(2027, 1, 2)]
    assert [r["valid_from"] for r in await _rows("ZZD001")] == [TERM_2]
    # before and after the date: who holds each seat
    assert await _seat("US-ZZ-2", date(2026, 6, 1)) == ["Bob Gone"]
    assert await _seat("US-ZZ-2", date(2027, 2, 1)) == ["Dan New"]
    assert await _seat("US-ZZ-1", date(2027, 2, 1)) == ["Alice Again"]
    assert await _seat("US-ZZ", date(2027, 2, 1)) == []  # the vacant Senate seat
    # a parliament is not a map: the districts are the same areas as before
    for code in ("US-ZZ-1", "US-ZZ-2"):
        rows = await Jurisdiction.select().where(Jurisdiction.code == code)
        assert [(r["valid_from"], r["valid_to"]) for r in rows] == [(TERM_1, None)]
    # members of other states are untouched by a file that names only this one
    ended = await Representative.select(Representative.external_id).where(
        Representative.chamber.is_in(["house", "senate"]) & Representative.valid_to.is_not_null()
    )
    assert {r["external_id"] for r in ended} == {"ZZB001", "ZZC001"}
