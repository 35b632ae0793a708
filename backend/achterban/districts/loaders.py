"""Load maps and parliaments as data: US ZCTA → congressional district, US legislators and
their offices, Dutch PC4 → municipality → province. Loading the same file twice adds
nothing; a later ``valid_from`` is a new version that closes the one before."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import yaml

from achterban.addresses.nl import province_code
from achterban.districts.tables import Jurisdiction, Office, PostcodeArea, Representative
from achterban.platform import bulk, db

DATA = Path(__file__).resolve().parent.parent / "data"
US_ZCCD = DATA / "us" / "zccd.csv"
US_LEGISLATORS = DATA / "us" / "legislators-current.yaml"
US_OFFICES = DATA / "us" / "legislators-district-offices.yaml"
NL_PC4 = DATA / "nl" / "pc4_gemeente.csv"
CONGRESS_119 = date(2025, 1, 3)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def district_code(state: str, cd: int) -> str:
    """US-NY-12; an at-large seat (cd 0) is US-AK-AL."""
    return f"US-{state}-{'AL' if cd == 0 else cd}"


def slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


class Versioned:
    """Jurisdictions of one load: reuse a row of the same version, close older versions."""

    def __init__(self, valid_from: date, source: str, *, reuse_current: bool = False) -> None:
        self.valid_from, self.source = valid_from, source
        self.ids: dict[str, int] = {}
        # a parliament is not a map: its seats are the areas already current on its date
        self.reuse_current = reuse_current

    async def get(self, code: str, name: str, kind: str, parent: str | None = None) -> int:
        if code in self.ids:
            return self.ids[code]
        rows = await Jurisdiction.select().where(Jurisdiction.code == code)
        same = [r for r in rows if r["valid_from"] == self.valid_from]
        if self.reuse_current and not same:
            on = self.valid_from
            same = [r for r in rows if r["valid_from"] <= on and (r["valid_to"] or on) >= on]
        if same:
            self.ids[code] = same[0]["id"]
            return self.ids[code]
        for older in rows:
            if older["valid_to"] is None and older["valid_from"] < self.valid_from:
                await Jurisdiction.update(
                    {Jurisdiction.valid_to: self.valid_from - timedelta(days=1)}
                ).where(Jurisdiction.id == older["id"])
        row = Jurisdiction(
            code=code, name=name, kind=kind, valid_from=self.valid_from, source=self.source,
            parent=self.ids.get(parent) if parent else None,
        )  # fmt: skip
        await row.save()
        self.ids[code] = row.id
        return int(row.id)

    async def close_missing(self, kind: str, within: Callable[[str], bool]) -> list[str]:
        """Areas of ``kind`` this file covers (``within`` their code) but no longer holds end
        the day before it: a district a redrawn state dropped, two municipalities merged
        into one. The representatives of those seats leave with them."""
        on = self.valid_from
        rows = await Jurisdiction.select(Jurisdiction.id, Jurisdiction.code).where(
            (Jurisdiction.kind == kind) & (Jurisdiction.valid_from < on)
            & (Jurisdiction.valid_to.is_null() | (Jurisdiction.valid_to >= on))
        )  # fmt: skip
        gone = [r for r in rows if r["code"] not in self.ids and within(r["code"])]
        if not gone:
            return []
        ids = [r["id"] for r in gone]
        last_day = on - timedelta(days=1)
        await Jurisdiction.update({Jurisdiction.valid_to: last_day}).where(
            Jurisdiction.id.is_in(ids)
        )
        await Representative.update({Representative.valid_to: last_day}).where(
            Representative.jurisdiction.is_in(ids)
            & (Representative.valid_to.is_null() | (Representative.valid_to >= on))
        )
        return sorted(r["code"] for r in gone)


async def _postcodes(country: str, areas: list[tuple[str, int, int]]) -> int:
    """Add (postcode, jurisdiction id, weight) rows that are not there yet."""
    ids = list({j for _, j, _ in areas})
    rows = await bulk.select_in(PostcodeArea, ["postcode", "jurisdiction"], {"jurisdiction": ids})
    have = {(r["postcode"], r["jurisdiction"]) for r in rows}
    new = [
        {"country": country, "postcode": p, "jurisdiction": j, "weight": w}
        for p, j, w in areas
        if (p, j) not in have
    ]
    await bulk.insert(PostcodeArea, new)
    return len(new)


async def load_us_zccd(path: Path = US_ZCCD, valid_from: date = CONGRESS_119) -> int:
    """A ZCTA → district file, for all states or for the states it names (a redrawn state's
    new map): its districts are a new version from ``valid_from``; a district of those
    states that the file no longer has ends the day before."""
    versions = Versioned(valid_from, f"zccd:{path.name}")
    states: set[str] = set()
    async with db.transaction():
        # the country and its states are the same areas whatever the district map
        country = Versioned(valid_from, versions.source, reuse_current=True)
        await country.get("US", "United States", "country")
        versions.ids["US"] = country.ids["US"]
        areas = []
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                state, cd = row["state_abbr"], int(row["cd"])
                if state not in states:
                    states.add(state)
                    versions.ids[f"US-{state}"] = await country.get(
                        f"US-{state}", state, "state", "US"
                    )
                code = district_code(state, cd)
                name = f"{state} {'at-large' if cd == 0 else cd}"
                district = await versions.get(code, name, "congressional_district", f"US-{state}")
                areas.append((row["zcta"], district, 0))
        await versions.close_missing(
            "congressional_district", lambda code: code.split("-")[1] in states
        )
        added = await _postcodes("US", areas)
    invalidate()
    return added


async def load_us_legislators(
    current: Path = US_LEGISLATORS, offices: Path = US_OFFICES, valid_from: date = CONGRESS_119
) -> int:
    people = yaml.load(current.read_text(), Loader=Loader)
    office_list = {
        o["id"]["bioguide"]: o.get("offices", [])
        for o in yaml.load(offices.read_text(), Loader=Loader)
    }
    versions = Versioned(valid_from, f"legislators:{current.name}", reuse_current=True)
    added = 0
    serving: set[str] = set()
    async with db.transaction():
        await versions.get("US", "United States", "country")
        for person in people:
            term = person["terms"][-1]
            state = term["state"]
            await versions.get(f"US-{state}", state, "state", "US")
            if term["type"] == "sen":
                chamber, code = "senate", f"US-{state}"
            else:
                chamber, code = "house", district_code(state, int(term.get("district") or 0))
                district = int(term.get("district") or 0)
                await versions.get(code, f"{state} {'at-large' if district == 0 else district}",
                                   "congressional_district", f"US-{state}")  # fmt: skip
            bioguide = person["id"]["bioguide"]
            serving.add(bioguide)
            if await _still_serving(bioguide, chamber, versions.ids[code], valid_from):
                continue  # re-elected to the same seat: the same row, its offices and staff
            name = (
                person["name"].get("official_full")
                or f"{person['name']['first']} {person['name']['last']}"
            )
            rep = Representative(
                external_id=bioguide, name=name, chamber=chamber, party=term.get("party", ""),
                jurisdiction=versions.ids[code], valid_from=valid_from,
                contact={"phone": term.get("phone", ""), "url": term.get("url", ""),
                         "address": term.get("address", "")},
            )  # fmt: skip
            await rep.save()
            added += 1
            for office in office_list.get(bioguide, []):
                parts = (
                    office.get("address"),
                    office.get("suite"),
                    office.get("building"),
                    office.get("city"),
                    f"{office.get('state', '')} {office.get('zip', '')}",
                )
                address = ", ".join(str(p).strip() for p in parts if p and str(p).strip())
                await Office(
                    name=f"{name} — {office.get('city', '')}", representative=rep.id,
                    address=address, phone=office.get("phone", ""), kind="district",
                ).save()  # fmt: skip
        await _end_terms(serving, {p["terms"][-1]["state"] for p in people}, valid_from)
    invalidate()
    return added


async def _still_serving(bioguide: str, chamber: str, seat: int, on: date) -> bool:
    """Does ``bioguide`` hold this seat already on ``on``? Else their open term (another
    seat, another chamber) ends the day before."""
    rows = await Representative.select().where(
        (Representative.external_id == bioguide) & (Representative.valid_from <= on)
        & (Representative.valid_to.is_null() | (Representative.valid_to >= on))
    )  # fmt: skip
    seat_code = await _code(seat)
    for row in rows:
        if row["chamber"] == chamber and await _code(row["jurisdiction"]) == seat_code:
            return True
        await Representative.update({Representative.valid_to: on - timedelta(days=1)}).where(
            Representative.id == row["id"]
        )
    return False


async def _code(jurisdiction_id: int) -> str:
    row = await Jurisdiction.select(Jurisdiction.code).where(Jurisdiction.id == jurisdiction_id)
    return str(row[0]["code"]) if row else ""


async def _end_terms(serving: set[str], states: set[str], on: date) -> None:
    """Members of Congress of these states missing from the new file leave on its date."""
    rows = await Representative.select(
        Representative.id, Representative.external_id, Representative.jurisdiction
    ).where(
        Representative.chamber.is_in(["house", "senate"]) & (Representative.valid_from < on)
        & (Representative.valid_to.is_null() | (Representative.valid_to >= on))
    )  # fmt: skip
    for row in rows:
        state = (await _code(row["jurisdiction"])).split("-")[1:2]
        if row["external_id"] not in serving and state and state[0] in states:
            await Representative.update({Representative.valid_to: on - timedelta(days=1)}).where(
                Representative.id == row["id"]
            )


async def load_nl_pc4(path: Path = NL_PC4, valid_from: date = date(2026, 1, 1)) -> int:
    versions = Versioned(valid_from, f"pc4:{path.name}")
    async with db.transaction():
        await versions.get("NL", "Nederland", "country")
        areas = []
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                province = province_code(row["provincie"]) or f"NL-{slug(row['provincie'])}"
                await versions.get(province, row["provincie"], "province", "NL")
                code = f"NL-GM-{slug(row['gemeente'])}"
                municipality = await versions.get(code, row["gemeente"], "municipality", province)
                areas.append((row["pc4"], municipality, int(row["n_addresses"] or 0)))
        # the file covers the whole country: a municipality it lacks was merged into another
        await versions.close_missing("municipality", lambda code: code.startswith("NL-"))
        added = await _postcodes("NL", areas)
    invalidate()
    return added


def invalidate() -> None:
    from achterban.districts import service

    service.cache.clear()
    service.office_cache.clear()
