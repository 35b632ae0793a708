"""One CSV row → a clean person record, or a readable reason why the row cannot land.

A value that cannot be used (an invalid phone number, an e-mail address that is not
one) is left out and reported on its line; the person is imported without it. Only a
row with nothing to know the person by, or a line that is not text, does not land.
Reasons are stored as a message id with its values and translated when read.
"""

from __future__ import annotations

import gc
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from achterban.addresses import parse as addresses
from achterban.consent.rules import CHANNELS, PURPOSES
from achterban.imports import mapping
from achterban.people import normalise
from achterban.people.record import Record, new_row
from achterban.platform.children import die_with_parent
from achterban.platform.i18n import _, translate

YES = {"1", "y", "yes", "j", "ja", "true", "waar", "x", "subscribed", "opted in", "opt in"}
NO = {"0", "n", "no", "nee", "false", "onwaar", "", "unsubscribed", "opted out", "opt out"}
LANGUAGES = {"nl": "nl", "en": "en", "dutch": "nl", "nederlands": "nl", "english": "en",
             "engels": "en"}  # fmt: skip
EMAIL_FIELDS = ("email", "email2", "email3", "email4", "email5")
PHONE_FIELDS = ("phone", "phone2", "phone3")
DO_NOT = {"do_not_email": "email", "do_not_phone": "phone", "do_not_sms": "sms",
          "do_not_mail": "post"}  # fmt: skip
BULK_PURPOSES = ("newsletter", "fundraising", "surveys")

# why a value was left out (the person is imported) or a line did not land
BAD_EMAIL = _("{field}: {value} is not a valid e-mail address")
BAD_PHONE = _("{field}: {value} is not a valid phone number")
BAD_FLAG = _("{field}: {value} is not yes or no; left out")
BAD_LANGUAGE = _("{field}: {value} is not nl or en; left out")
BAD_DATE = _("{field}: {value} is not a date (YYYY-MM-DD); left out")
BAD_SUPPORT = _("{field}: {value} is not 1 to 5; left out")
NOBODY = _("no name, e-mail address, phone number or address")
NUL_LINE = _("the line holds a NUL byte: not text; it was not imported")
LONG_FIELD = _("a field of this line is longer than {limit} KB; it was not imported")


def reason(msgid: str, *, kept: bool = False, **values: Any) -> str:
    """A reason as stored: the message id and its values, translated when it is read."""
    shown = {k: repr(v)[:200] if k == "value" else str(v)[:200] for k, v in values.items()}
    return json.dumps({"msgid": msgid, "values": shown, "kept": kept}, ensure_ascii=False)


def reason_text(stored: str, language: str | None) -> tuple[str, bool]:
    """(the reason in ``language``, whether the person was imported nonetheless)."""
    if not stored.startswith('{"msgid"'):
        return stored, False  # written before reasons were stored as message ids
    try:
        data = json.loads(stored)
        values: dict[str, Any] = dict(data.get("values") or {})
        if "field" in values:
            values["field"] = mapping.label(values["field"], language)
        return translate(data["msgid"], language, **values), bool(data.get("kept"))
    except (ValueError, KeyError, IndexError):
        return stored, False


class RowError(ValueError):
    def __init__(self, msgid: str, also: list[str] | None = None, **values: Any) -> None:
        super().__init__(reason(msgid, **values))
        self.msgid = msgid
        self.values = values
        self.also = [_not_kept(r) for r in also or []]  # the values that were not enough

    def __str__(self) -> str:
        return reason(self.msgid, **self.values)


def _not_kept(stored: str) -> str:
    data = json.loads(stored)
    data["kept"] = False
    return json.dumps(data, ensure_ascii=False)


class BadLine(list[str]):
    """The cells of a line that could not be read as text, with the reason."""

    def __init__(self, why: str) -> None:
        super().__init__()
        self.why = why


def consent_of(records: list[Record], people: dict[int, int]) -> dict[tuple[int, str, str], str]:
    """The batch's consent as (person, purpose, channel) → status; ``people`` maps each
    record's index to the person it landed on (the later line wins for one person)."""
    return {
        (people[i], purpose, channel): status
        for i, r in enumerate(records)
        for (purpose, channel), status in r.consent.items()
    }


def check(
    key: str, line: int, cells: list[str], columns: dict[int, str]
) -> tuple[Record | None, list[dict[str, Any]]]:
    """A line of the file → (the record or None, the issues to report on its line)."""
    from achterban.imports import reader

    if isinstance(cells, BadLine):
        return None, [{"job_key": key, "line": line, "reason": cells.why, "raw_line": ""}]
    row = {name: cells[i] for i, name in columns.items() if i < len(cells)}
    raw = reader.raw_line(cells)[:2000]
    try:
        record = build(line, row)
    except RowError as exc:
        return None, [
            {"job_key": key, "line": line, "reason": r[:500], "raw_line": raw}
            for r in (str(exc), *exc.also)
        ]
    issues = [{"job_key": key, "line": line, "reason": r[:500], "raw_line": raw}
              for r in record.issues]  # fmt: skip
    return record, issues


@dataclass(slots=True)
class Parsed:
    records: list[Record] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    last_line: int = 0


def parsing_process(parent_pid: int) -> None:
    """The start of an import's parsing process: it ends with the importing one, and its
    garbage collector runs seldom (it makes records by the thousand, none in a cycle)."""
    die_with_parent(parent_pid)
    gc.set_threshold(100_000, *gc.get_threshold()[1:])


def parse_chunk(key: str, chunk: list[tuple[int, list[str]]], columns: dict[int, str]) -> Parsed:
    """Check a chunk of rows; pure, so an import runs it in its parsing process (which
    imports this module and what it needs alone, so it starts quickly)."""
    parsed = Parsed(rows=len(chunk), last_line=chunk[-1][0] if chunk else 0)
    for line, cells in chunk:
        record, issues = check(key, line, cells, columns)
        if record is not None:
            parsed.records.append(record)
        parsed.issues += issues
    return parsed


def _flag(record: Record, value: str, name: str) -> bool | None:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    record.issues.append(reason(BAD_FLAG, kept=True, field=name, value=value.strip()))
    return None


_DOUBLE_SPACE = re.compile(r"\s{2,}")


def _address(row: dict[str, str]) -> addresses.ParsedAddress | None:
    if row.get("address", "").strip():
        raw = row["address"]
        if row.get("postcode") and row["postcode"] not in raw:
            raw = f"{raw}, {row['postcode']} {row.get('city', '')}".strip()
        if "," not in raw and len(_DOUBLE_SPACE.split(raw.strip())) >= 3:
            # Mailchimp writes an address's parts two spaces apart, without commas;
            # it is parsed in the usual order and kept as written
            text, country = _spaced_address(raw)
            parsed = addresses.parse_address(text, country or row.get("country"))
            return replace(parsed, raw=raw)
        return addresses.parse_address(raw, row.get("country"))
    parts = [
        row.get("street", ""),
        row.get("house_number", ""),
        row.get("house_number_addition", ""),
    ]
    line1 = " ".join(p.strip() for p in parts if p.strip())
    extra = [row.get(k, "").strip() for k in ("address2", "address3") if row.get(k, "").strip()]
    line2 = " ".join(p.strip() for p in (row.get("postcode", ""), row.get("city", "")) if p.strip())
    dutch = addresses.country_code(row.get("country")) == "NL" or bool(
        re.match(r"^\s*\d{4}\s?[A-Za-z]{2}\s*$", row.get("postcode", ""))
    )
    if row.get("state", "").strip() and not dutch:  # a Dutch province follows from the postcode
        line2 = " ".join(
            p.strip()
            for p in (row.get("city", ""), row["state"], row.get("postcode", ""))
            if p.strip()
        )
    raw = ", ".join(p for p in (" ".join([line1, *extra]).strip(), line2) if p)
    return addresses.parse_address(raw, row.get("country")) if raw else None


_POSTAL = re.compile(r"^(\d{4}\s?[A-Za-z]{2}|\d{5}(-\d{4})?)$")


def _spaced_address(raw: str) -> tuple[str, str]:
    """Mailchimp's "street  line 2  city  state  zip  country" as "street, zip city" (NL)
    or "street line 2, city, state zip" (US), with the country code apart."""
    parts = [p.strip() for p in _DOUBLE_SPACE.split(raw.strip()) if p.strip()]
    country = ""
    if len(parts[-1]) == 2 and parts[-1].isalpha():
        country = addresses.country_code(parts.pop()) or ""
    postcode = parts.pop() if parts and _POSTAL.match(parts[-1]) else ""
    street, rest = parts[0], parts[1:]
    dutch = country == "NL" or bool(re.match(r"^\d{4}\s?[A-Za-z]{2}$", postcode))
    if dutch:
        city = next((p for p in rest if not re.search(r"\d", p)), "")
        return f"{street}, {postcode} {city}".strip(" ,"), country or "NL"
    state = rest.pop() if rest and len(rest[-1]) == 2 and rest[-1].isalpha() else ""
    city = rest.pop() if rest else ""
    line1 = " ".join([street, *rest])
    return ", ".join(p for p in (line1, city, f"{state} {postcode}".strip()) if p), country


def _names(record: Record, row: dict[str, str]) -> None:
    if row.get("full_name") and not (row.get("first_name") or row.get("last_name")):
        record.first_name, record.infix, record.last_name = normalise.split_name(row["full_name"])
        return
    first = " ".join(p for p in (row.get("first_name", "").strip(),
                                 row.get("middle_name", "").strip()) if p)  # fmt: skip
    infix, last = row.get("infix", "").strip(), row.get("last_name", "").strip()
    record.first_name, record.infix, record.last_name = first, infix, last


def build(line: int, row: dict[str, str]) -> Record:
    """Raise RowError with a readable reason for a row that must not land."""
    record = Record(line=line)
    _names(record, row)
    record.sort_name = normalise.sort_name(record.first_name, record.infix, record.last_name)
    parsed = _address(row)
    country = (
        (parsed.country if parsed else "") or addresses.country_code(row.get("country")) or "NL"
    )
    for key in EMAIL_FIELDS:
        if row.get(key, "").strip():
            try:
                email = normalise.normalise_email(row[key])
            except ValueError:
                record.issues.append(
                    reason(BAD_EMAIL, kept=True, field=key, value=row[key].strip())
                )
                continue
            if email not in record.emails:
                record.emails.append(email)
    for key in PHONE_FIELDS:
        if row.get(key, "").strip():
            try:
                phone = normalise.normalise_phone(row[key], country)
            except ValueError:
                record.issues.append(
                    reason(BAD_PHONE, kept=True, field=key, value=row[key].strip())
                )
                continue
            if phone not in record.phones:
                record.phones.append(phone)
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
        raise RowError(NOBODY, also=record.issues)
    _extras(record, row)
    _consent(record, row)
    # here, not in the writer: an import works this out in its parsing process
    record.search_text = normalise.search_text(
        record.first_name, record.infix, record.last_name, record.emails, record.phones,
        record.address.get("postcode", ""), record.address.get("city", ""),
    )  # fmt: skip
    record.row = new_row(record)
    return record


def _date(text: str) -> date | None:
    text = text.strip()[:10]
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _extras(record: Record, row: dict[str, str]) -> None:
    values = record.values
    if row.get("language", "").strip():
        text = row["language"].strip().lower()
        language = LANGUAGES.get(text) or LANGUAGES.get(text[:2].rstrip("_-"))
        if language is None:
            record.issues.append(
                reason(BAD_LANGUAGE, kept=True, field="language", value=row["language"].strip())
            )
        else:
            values["language"] = language
    if row.get("date_of_birth", "").strip():
        born = _date(row["date_of_birth"])
        if born is None:
            record.issues.append(reason(BAD_DATE, kept=True, field="date_of_birth",
                                        value=row["date_of_birth"].strip()))  # fmt: skip
        else:
            values["date_of_birth"] = born
    if row.get("support_level", "").strip():
        text = row["support_level"].strip()
        if not text.isdigit() or not 1 <= int(text) <= 5:
            record.issues.append(reason(BAD_SUPPORT, kept=True, field="support_level", value=text))
        else:
            values["support_level"] = int(text)
    for flag in ("voted_for_us", "is_volunteer"):
        if flag in row:
            answer = _flag(record, row[flag], flag)
            if answer is not None:
                values[flag] = answer
    if "do_not_contact" in row and _flag(record, row["do_not_contact"], "do_not_contact"):
        values["do_not_contact"] = True  # a "no" never lifts a block set here
    if row.get("source", "").strip():
        values["source"] = row["source"].strip()[:100]
    if row.get("external_ref", "").strip():
        record.external_ref = row["external_ref"].strip()[:100]
    if row.get("tags", "").strip():
        record.tags = sorted({
            t.strip().strip("\"'").strip().lower()[:80]
            for t in row["tags"].replace(";", ",").split(",")
            if t.strip().strip("\"'").strip()
        })  # fmt: skip
    if row.get("notes", "").strip():
        record.notes = row["notes"].strip()[:10_000]


def _consent(record: Record, row: dict[str, str]) -> None:
    """Opt-ins and do-not-contact flags of the old tool as consent events."""
    consent = record.consent
    for key, value in row.items():
        if key.startswith("consent_") and value.strip():
            purpose, _sep, channel = key[len("consent_") :].rpartition("_")
            answer = _flag(record, value, key)
            if answer is not None and purpose in PURPOSES and channel in CHANNELS:
                consent[(purpose, channel)] = "granted" if answer else "withdrawn"
    for key in ("newsletter_opt_in_at", "newsletter_confirmed_at"):
        if row.get(key, "").strip():
            consent[("newsletter", "email")] = "granted"
    if row.get("newsletter_opt_out_at", "").strip():
        consent[("newsletter", "email")] = "withdrawn"
    if row.get("email_opt_out", "").strip() and _flag(
        record, row["email_opt_out"], "email_opt_out"
    ):
        for purpose in BULK_PURPOSES:
            consent[(purpose, "email")] = "withdrawn"
    for key, channel in DO_NOT.items():
        if row.get(key, "").strip() and _flag(record, row[key], key):
            for purpose in PURPOSES:
                consent[(purpose, channel)] = "withdrawn"
