"""Postal addresses: parsed when possible, always kept raw, never rejected.

An address that cannot be parsed well gets status ``review`` with a readable note;
the raw text is kept exactly as given.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from achterban.addresses import nl as address_nl
from achterban.addresses import us as address_us

MAX_LENGTH = 1000
COUNTRY_NAMES = {
    "us": "US", "usa": "US", "united states": "US", "united states of america": "US",
    "nl": "NL", "nederland": "NL", "netherlands": "NL", "the netherlands": "NL", "holland": "NL",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    street: str = ""
    house_number: str = ""
    house_number_addition: str = ""
    unit: str = ""
    postcode: str = ""
    plus_four: str = ""
    city: str = ""
    state: str = ""
    country: str = ""
    status: str = "ok"
    note: str = ""
    raw: str = ""


_FIELDS = {f.name for f in fields(ParsedAddress)}


def country_code(value: str | None) -> str:
    return COUNTRY_NAMES.get((value or "").strip().lower(), "")


def parse_address(raw: str, country: str | None = None) -> ParsedAddress:
    """Parse a one-line (or multi-line) address; never raises, never drops the input."""
    if raw is None or not raw.strip():
        return ParsedAddress(raw=raw or "", status="none")
    text = raw.strip()
    if len(text) > MAX_LENGTH:
        return ParsedAddress(raw=raw, status="review", note="the address is too long to parse")
    code = country_code(country)
    if not code:
        code = "NL" if address_nl.looks_dutch(text) else "US" if address_us.looks_us(text) else ""
    try:
        if code == "NL":
            parsed = address_nl.parse_nl(text)
        elif code == "US":
            parsed = address_us.parse_us(text.replace("\n", ", "))
        else:
            parsed = {"status": "review", "note": "the country could not be recognised"}
    except Exception as exc:  # a parser bug must not lose the address
        parsed = {"status": "review", "note": f"could not be parsed ({type(exc).__name__})"}
    return ParsedAddress(**{k: v for k, v in parsed.items() if k in _FIELDS}, raw=raw)


def normalise_postcode(value: str, country: str) -> str:
    if country == "NL":
        return address_nl.normalise_postcode(value)
    if country == "US":
        return address_us.split_zip(value)[0] or value.strip()
    return (value or "").strip().upper()


def household_key(p: ParsedAddress) -> str | None:
    """One key per postal address; None without a postcode and house number (or for PO boxes)."""
    if not p.postcode or not p.house_number:
        return None
    postcode = p.postcode.replace(" ", "").upper()
    parts = [p.country, postcode, p.house_number.upper(), p.house_number_addition.upper()]
    if p.country == "US":
        parts.append(p.unit.upper().replace(" ", ""))
    return "|".join(parts)


def region_code(p: ParsedAddress) -> str:
    if p.country == "US" and p.state:
        return f"US-{p.state}"
    if p.country == "NL" and p.state:
        return address_nl.province_code(p.state)
    return ""
