"""Which CSV column feeds which field: guessed from common headers, overridable by the user."""

from __future__ import annotations

import re

from achterban.consent.rules import CHANNELS, PURPOSES

FIELDS = {
    "first_name", "infix", "last_name", "full_name", "email", "email2", "phone", "phone2",
    "address", "street", "house_number", "house_number_addition", "postcode", "city", "state",
    "country", "language", "date_of_birth", "tags", "support_level", "voted_for_us",
    "is_volunteer", "source", "external_ref",
} | {f"consent_{p}_{c}" for p in PURPOSES for c in CHANNELS}  # fmt: skip

SYNONYMS = {
    "first_name": ["first name", "firstname", "given name", "voornaam", "roepnaam", "first"],
    "infix": ["infix", "tussenvoegsel", "tussenv", "prefix"],
    "last_name": ["last name", "lastname", "surname", "family name", "achternaam", "last"],
    "full_name": ["name", "full name", "naam", "volledige naam"],
    "email": [
        "email",
        "e mail",
        "email address",
        "e mail address",
        "e mailadres",
        "emailadres",
        "mail",
    ],
    "email2": ["email 2", "email2", "second email"],
    "phone": [
        "phone",
        "telephone",
        "phone number",
        "mobile",
        "telefoon",
        "telefoonnummer",
        "mobiel",
        "tel",
    ],
    "phone2": ["phone 2", "phone2", "telefoon 2"],
    "address": ["address", "adres", "full address", "postal address", "address line"],
    "street": ["street", "straat", "straatnaam", "street name", "address1", "address 1"],
    "house_number": ["house number", "housenumber", "huisnummer", "number", "nr", "huisnr"],
    "house_number_addition": [
        "addition",
        "toevoeging",
        "huisnummertoevoeging",
        "house number addition",
    ],
    "postcode": ["postcode", "postal code", "zip", "zipcode", "zip code", "post code"],
    "city": ["city", "town", "woonplaats", "plaats", "place"],
    "state": ["state", "province", "provincie", "region"],
    "country": ["country", "land", "country code"],
    "language": ["language", "taal", "lang"],
    "date_of_birth": ["date of birth", "dob", "birthdate", "birth date", "geboortedatum"],
    "tags": ["tags", "labels", "tag", "label"],
    "support_level": ["support level", "support", "steun"],
    "voted_for_us": ["voted for us", "voted", "loyal voter", "gestemd"],
    "is_volunteer": ["volunteer", "is volunteer", "vrijwilliger"],
    "source": ["source", "bron"],
    "external_ref": [
        "external ref",
        "external id",
        "id",
        "ref",
        "reference",
        "kenmerk",
        "lidnummer",
        "member id",
    ],
}


class MappingError(ValueError):
    pass


def _key(header: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", header.strip().lower()).strip()


_LOOKUP = {_key(s): field for field, names in SYNONYMS.items() for s in [field, *names]}


def guess(headers: list[str]) -> dict[int, str]:
    """Column index → field for the headers we recognise; each field is used once."""
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = _key(header)
        field = _LOOKUP.get(key) or (
            key.replace(" ", "_") if key.replace(" ", "_") in FIELDS else None
        )
        if field and field not in used:
            mapping[index] = field
            used.add(field)
    return mapping


def build(headers: list[str], overrides: dict[str, str] | None = None) -> dict[int, str]:
    """The guessed mapping with the user's ``column=field`` choices applied."""
    mapping = guess(headers)
    for column, field in (overrides or {}).items():
        if column not in headers:
            raise MappingError(f"the file has no column {column!r}")
        index = headers.index(column)
        if field in ("", "-", "ignore"):
            mapping.pop(index, None)
            continue
        if field not in FIELDS:
            raise MappingError(f"unknown field {field!r} for column {column!r}")
        for other, existing in list(mapping.items()):
            if existing == field:
                del mapping[other]
        mapping[index] = field
    return mapping


def unmapped(headers: list[str], mapping: dict[int, str]) -> list[str]:
    return [h for i, h in enumerate(headers) if i not in mapping]
