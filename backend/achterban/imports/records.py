"""One CSV row → a clean person record, or a readable reason why the row cannot land."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from achterban.people import addresses, normalise

YES = {"1", "y", "yes", "j", "ja", "true", "waar", "x"}
NO = {"0", "n", "no", "nee", "false", "onwaar", ""}


class RowError(ValueError):
    pass


@dataclass(slots=True)
class Record:
    line: int
    first_name: str = ""
    infix: str = ""
    last_name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    address: dict[str, Any] = field(default_factory=dict)
    household_key: str | None = None
    values: dict[str, Any] = field(default_factory=dict)  # other person columns present
    tags: list[str] = field(default_factory=list)
    consent: dict[tuple[str, str], str] = field(default_factory=dict)
    external_ref: str | None = None
    sort_name: str = ""


def _flag(value: str, name: str) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise RowError(f"{name}: {value!r} is not yes or no")


def _address(row: dict[str, str]) -> addresses.ParsedAddress | None:
    if row.get("address", "").strip():
        raw = row["address"]
        if row.get("postcode") and row["postcode"] not in raw:
            raw = f"{raw}, {row['postcode']} {row.get('city', '')}".strip()
        return addresses.parse_address(raw, row.get("country"))
    parts = [
        row.get("street", ""),
        row.get("house_number", ""),
        row.get("house_number_addition", ""),
    ]
    line1 = " ".join(p.strip() for p in parts if p.strip())
    line2 = " ".join(p.strip() for p in (row.get("postcode", ""), row.get("city", "")) if p.strip())
    if row.get("state"):
        line2 = " ".join(
            p.strip()
            for p in (row.get("city", ""), row["state"], row.get("postcode", ""))
            if p.strip()
        )
    raw = ", ".join(p for p in (line1, line2) if p)
    return addresses.parse_address(raw, row.get("country")) if raw else None


def build(line: int, row: dict[str, str]) -> Record:
    """Raise RowError with a readable reason for a row that must not land."""
    record = Record(line=line)
    if row.get("full_name") and not (row.get("first_name") or row.get("last_name")):
        record.first_name, record.infix, record.last_name = normalise.split_name(row["full_name"])
    else:
        record.first_name = row.get("first_name", "").strip()
        record.infix = row.get("infix", "").strip()
        record.last_name = row.get("last_name", "").strip()
    record.sort_name = normalise.sort_name(record.first_name, record.infix, record.last_name)
    parsed = _address(row)
    country = (
        (parsed.country if parsed else "") or addresses.country_code(row.get("country")) or "NL"
    )
    for key in ("email", "email2"):
        if row.get(key, "").strip():
            try:
                record.emails.append(normalise.normalise_email(row[key]))
            except ValueError as exc:
                raise RowError(str(exc)) from exc
    for key in ("phone", "phone2"):
        if row.get(key, "").strip():
            try:
                record.phones.append(normalise.normalise_phone(row[key], country))
            except ValueError as exc:
                raise RowError(str(exc)) from exc
    if parsed is not None:
        record.address = {
            "address_raw": parsed.raw, "street": parsed.street, "house_number": parsed.house_number,
            "house_number_addition": parsed.house_number_addition, "unit": parsed.unit,
            "postcode": addresses.normalise_postcode(parsed.postcode, parsed.country),
            "city": parsed.city, "state": parsed.state, "country": parsed.country,
            "address_status": parsed.status, "address_note": parsed.note,
            "region": addresses.region_code(parsed),
        }  # fmt: skip
        record.household_key = addresses.household_key(parsed)
    if not (record.first_name or record.last_name or record.emails or record.phones or parsed):
        raise RowError("no name, e-mail address, phone number or address")
    _extras(record, row)
    return record


def _extras(record: Record, row: dict[str, str]) -> None:
    values = record.values
    if row.get("language", "").strip():
        language = row["language"].strip().lower()[:2]
        if language not in ("nl", "en"):
            raise RowError(f"language: {row['language']!r} is not nl or en")
        values["language"] = language
    if row.get("date_of_birth", "").strip():
        try:
            values["date_of_birth"] = date.fromisoformat(row["date_of_birth"].strip())
        except ValueError as exc:
            raise RowError(f"date_of_birth: {row['date_of_birth']!r} is not YYYY-MM-DD") from exc
    if row.get("support_level", "").strip():
        text = row["support_level"].strip()
        if not text.isdigit() or not 1 <= int(text) <= 5:
            raise RowError(f"support_level: {text!r} is not 1 to 5")
        values["support_level"] = int(text)
    for flag in ("voted_for_us", "is_volunteer"):
        if flag in row:
            values[flag] = _flag(row[flag], flag)
    if row.get("source", "").strip():
        values["source"] = row["source"].strip()[:100]
    if row.get("external_ref", "").strip():
        record.external_ref = row["external_ref"].strip()[:100]
    if row.get("tags", "").strip():
        record.tags = sorted(
            {t.strip().lower()[:80] for t in row["tags"].replace(";", ",").split(",") if t.strip()}
        )
    for key, value in row.items():
        if key.startswith("consent_"):
            purpose, _sep, channel = key[len("consent_") :].rpartition("_")
            if value.strip():
                record.consent[(purpose, channel)] = "granted" if _flag(value, key) else "withdrawn"
