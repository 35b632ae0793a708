"""Dutch council members, aldermen and mayors per municipality, from a CSV file.

The file has a header row and one person per seat:

    gemeente,naam,partij,functie,vanaf,tot
    Almere,Fatima el Amrani,Achterban,raadslid,2026-03-26,
    Almere,Jan de Wit,Achterban,wethouder,2026-05-01,2030-03-27

``gemeente`` is the municipality's name as in the loaded map (or its code, ``NL-GM-almere``);
``functie`` is ``raadslid``, ``wethouder`` or ``burgemeester``; dates are ``YYYY-MM-DD`` and
``tot`` may stay empty. English headers (municipality, name, party, seat, from, until) work
too. Loading the same file again changes nothing; a row for someone already loaded with the
same start updates their party and end date. A bad row is reported with its line number and
the good rows land.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from achterban.districts.loaders import invalidate, slug
from achterban.districts.tables import Jurisdiction, Representative
from achterban.platform import db
from achterban.platform.i18n import _

SEATS = {"raadslid": "council", "wethouder": "alderman", "burgemeester": "mayor",
         "council member": "council", "alderman": "alderman", "mayor": "mayor"}  # fmt: skip
HEADERS = {"gemeente": "municipality", "naam": "name", "partij": "party", "functie": "seat",
           "vanaf": "from", "tot": "until"}  # fmt: skip


@dataclass
class CouncilLoad:
    added: int = 0
    updated: int = 0
    bad: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)  # line, msgid, values


def _date(text: str) -> date | None:
    return date.fromisoformat(text.strip()) if text.strip() else None


async def _municipalities() -> dict[str, list[tuple[date, date | None, int]]]:
    """Every version of every municipality by folded name and by code: a row is matched to
    the municipality of its term's start (a council after a merger names the new one)."""
    rows = await Jurisdiction.select(
        Jurisdiction.id, Jurisdiction.code, Jurisdiction.name, Jurisdiction.valid_from,
        Jurisdiction.valid_to,
    ).where(Jurisdiction.kind == "municipality")  # fmt: skip
    found: dict[str, list[tuple[date, date | None, int]]] = {}
    for r in rows:
        version = (r["valid_from"], r["valid_to"], r["id"])
        found.setdefault(slug(r["name"]), []).append(version)
        found.setdefault(r["code"].lower(), []).append(version)
    return found


def _place(
    places: dict[str, list[tuple[date, date | None, int]]], text: str, on: date | None
) -> int | None:
    on = on or date.today()
    versions = places.get(slug(text)) or places.get(text.lower()) or []
    for start, end, ident in versions:
        if start <= on and (end is None or end >= on):
            return ident
    return None


async def load_nl_council(text: str) -> CouncilLoad:
    """Load the rows of a council file (its text); see the module's docstring."""
    result = CouncilLoad()
    reader = csv.DictReader(io.StringIO(text))
    columns = {
        h: HEADERS.get(h.strip().lower(), h.strip().lower()) for h in reader.fieldnames or []
    }
    missing = {"municipality", "name", "seat", "from"} - set(columns.values())
    if missing:
        result.bad.append((1, _("The file lacks the columns {columns}."),
                           {"columns": ", ".join(sorted(missing))}))  # fmt: skip
        return result
    places = await _municipalities()
    for line, raw in enumerate(reader, start=2):
        row = {columns[k]: (v or "").strip() for k, v in raw.items() if k in columns}
        seat = SEATS.get(row["seat"].lower())
        try:
            start, end = _date(row["from"]), _date(row.get("until", ""))
        except ValueError:
            result.bad.append((line, _("A date is not written as YYYY-MM-DD."), {}))
            continue
        place = _place(places, row["municipality"], start)
        if place is None:
            result.bad.append((line, _("No current municipality is called {name}."),
                               {"name": row["municipality"]}))  # fmt: skip
        elif not row["name"]:
            result.bad.append((line, _("The name is empty."), {}))
        elif seat is None:
            result.bad.append((line, _("The seat {seat} is not raadslid, wethouder or "
                                       "burgemeester."), {"seat": row["seat"]}))  # fmt: skip
        elif start is None or (end is not None and end < start):
            result.bad.append((line, _("The term needs a start, and an end after it."), {}))
        else:
            await _one(result, place, row, seat, start, end)
    invalidate()
    return result


async def _one(
    result: CouncilLoad, place: int, row: dict[str, str], seat: str, start: date, end: date | None
) -> None:
    key = f"nl:{place}:{seat}:{slug(row['name'])}"[:40]
    async with db.transaction():
        existing = (
            await Representative.select(
                Representative.id, Representative.party, Representative.valid_to
            )
            .where((Representative.external_id == key) & (Representative.valid_from == start))
            .first()
        )
        party = row.get("party", "")
        if existing and (existing["party"], existing["valid_to"]) == (party, end):
            return
        if existing:
            await Representative.update(
                {Representative.party: party, Representative.valid_to: end}
            ).where(Representative.id == existing["id"])
            result.updated += 1
            return
        await Representative(
            external_id=key, name=row["name"], chamber=seat, party=party, jurisdiction=place,
            valid_from=start, valid_to=end,
        ).save()  # fmt: skip
        result.added += 1
