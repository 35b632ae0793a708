"""The seat an office serves, and what a new parliament or map does to it.

An office serves a representative, and through them a seat: the chamber and the area
(``house`` for ``US-NY-12``, ``council`` for ``NL-GM-almere``). When a newer file closes the
representative's term, the seat has a new holder, stands vacant or — when the new map has
no such area any more (a redrawn state, two municipalities merged) — is gone. The office is
then flagged: nothing passes to a successor by itself, because case files belong to the
member and the constituent, not to the seat (see casework/handover.py for the decisions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from achterban.districts.tables import Jurisdiction, Office, Representative

SeatStatus = Literal["held", "new_holder", "vacant", "gone"]


@dataclass(frozen=True)
class Seat:
    chamber: str
    code: str
    status: SeatStatus
    ended: date | None  # the last day of the office's representative's term, once it ended
    successor_offices: tuple[int, ...]  # active offices of the seat's holder now


def _serving(on: date) -> Any:
    return (Representative.valid_from <= on) & (
        Representative.valid_to.is_null() | (Representative.valid_to >= on)
    )


async def seats(offices: list[dict[str, Any]], on: date | None = None) -> dict[int, Seat]:
    """The seat of each office (rows with ``id`` and ``representative``), a few queries."""
    on = on or date.today()
    rep_ids = [o["representative"] for o in offices if o["representative"]] or [0]
    rows = await Representative.select().where(Representative.id.is_in(rep_ids))
    reps = {r["id"]: r for r in rows}
    area_ids = {r["jurisdiction"] for r in reps.values()}
    codes = {
        r["id"]: r["code"]
        for r in await Jurisdiction.select(Jurisdiction.id, Jurisdiction.code).where(
            Jurisdiction.id.is_in(list(area_ids) or [0])
        )
    }
    seat_codes = set(codes.values()) or {""}
    same_code = await Jurisdiction.select(
        Jurisdiction.id, Jurisdiction.code, Jurisdiction.valid_from, Jurisdiction.valid_to
    ).where(Jurisdiction.code.is_in(list(seat_codes)))
    on_map = {
        r["code"] for r in same_code
        if r["valid_from"] <= on and (r["valid_to"] is None or r["valid_to"] >= on)
    }  # fmt: skip
    code_of = {r["id"]: r["code"] for r in same_code}
    holders: dict[tuple[str, str], list[tuple[int, date]]] = {}
    for r in await Representative.select(
        Representative.id, Representative.chamber, Representative.jurisdiction,
        Representative.valid_from,
    ).where(Representative.jurisdiction.is_in(list(code_of) or [0]) & _serving(on)):  # fmt: skip
        seat = (r["chamber"], code_of[r["jurisdiction"]])
        holders.setdefault(seat, []).append((r["id"], r["valid_from"]))
    holder_ids = [i for ids in holders.values() for i, _ in ids] or [0]
    offices_of: dict[int, list[int]] = {}
    for o in await Office.select(Office.id, Office.representative).where(
        Office.representative.is_in(holder_ids) & (Office.active == 1)
    ):
        offices_of.setdefault(o["representative"], []).append(o["id"])
    result = {}
    for office in offices:
        rep = reps.get(office["representative"]) if office["representative"] else None
        if rep is None:
            continue
        code = codes.get(rep["jurisdiction"], "")
        ended = rep["valid_to"] if rep["valid_to"] is not None and rep["valid_to"] < on else None
        # a successor took the seat after this term ended (a state's other senator holds
        # another seat of the same chamber and area: not a successor)
        others = [
            i for i, start in holders.get((rep["chamber"], code), [])
            if ended is not None and start > ended
        ]  # fmt: skip
        successors = tuple(sorted(o for i in others for o in offices_of.get(i, [])))
        status: SeatStatus
        if ended is None:
            status = "held"
        elif code not in on_map:
            status = "gone"
        elif others:
            status = "new_holder"
        else:
            status = "vacant"
        result[office["id"]] = Seat(rep["chamber"], code, status, ended, successors)
    return result
