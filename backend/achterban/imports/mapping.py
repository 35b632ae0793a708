"""Which CSV column feeds which field: guessed from common headers, overridable by the user.

The exports of the tools a party moves from (NationBuilder, CiviCRM, Action Network,
Mailchimp) are recognised by their header: their column lists are data, one YAML file
per tool in ``formats/``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from achterban.consent.rules import CHANNELS, PURPOSES
from achterban.platform.i18n import Message, _, translate

FORMATS_DIR = Path(__file__).resolve().parent / "formats"

# every field a column can feed, with the label a staffer reads (translated at read time)
LABELS: dict[str, str] = {
    "title": _("Title (Mr., Ms.)"),
    "first_name": _("First name"),
    "middle_name": _("Middle name"),
    "infix": _("Infix (van, de)"),
    "last_name": _("Last name"),
    "full_name": _("Full name"),
    "email": _("E-mail address"),
    "email2": _("E-mail address 2"),
    "email3": _("E-mail address 3"),
    "email4": _("E-mail address 4"),
    "email5": _("E-mail address 5"),
    "phone": _("Phone number"),
    "phone2": _("Phone number 2"),
    "phone3": _("Phone number 3"),
    "address": _("Address (in one field)"),
    "street": _("Street (and house number)"),
    "address2": _("Address line 2"),
    "address3": _("Address line 3"),
    "house_number": _("House number"),
    "house_number_addition": _("House number addition"),
    "postcode": _("Postcode"),
    "city": _("City"),
    "state": _("State or province"),
    "country": _("Country"),
    "language": _("Language"),
    "date_of_birth": _("Date of birth"),
    "tags": _("Tags"),
    "notes": _("Notes"),
    "support_level": _("Support level (1-5)"),
    "voted_for_us": _("Voted for us"),
    "is_volunteer": _("Volunteer"),
    "source": _("Source"),
    "external_ref": _("Reference in the old system"),
    "do_not_contact": _("Do not contact"),
    "do_not_email": _("Do not e-mail"),
    "do_not_phone": _("Do not phone"),
    "do_not_sms": _("Do not text"),
    "do_not_mail": _("Do not send post"),
    "email_opt_out": _("Opted out of bulk e-mail"),
    "newsletter_opt_in_at": _("Subscribed to the newsletter since"),
    "newsletter_confirmed_at": _("Subscription to the newsletter confirmed on"),
    "newsletter_opt_out_at": _("Unsubscribed from the newsletter on"),
}
CONSENT_LABEL = _("Consent: {purpose} by {channel}")
PURPOSE_LABELS = {
    "newsletter": _("newsletter"),
    "fundraising": _("fundraising"),
    "surveys": _("surveys"),
    "casework_followup": _("follow-up of a case"),
}
CHANNEL_LABELS = {
    "email": _("e-mail"),
    "post": _("post"),
    "phone": _("phone"),
    "sms": _("text message"),
}

FIELDS = set(LABELS) | {f"consent_{p}_{c}" for p in PURPOSES for c in CHANNELS}

SYNONYMS = {
    "title": ["prefix", "salutation", "aanhef", "titel", "individual prefix"],
    "first_name": ["first name", "firstname", "given name", "voornaam", "roepnaam", "first"],
    "middle_name": ["middle name", "middlename", "tweede voornaam"],
    "infix": ["infix", "tussenvoegsel", "tussenvoegsels", "tussenv"],
    "last_name": ["last name", "lastname", "surname", "family name", "achternaam", "last"],
    "full_name": ["name", "full name", "naam", "volledige naam"],
    "email": [
        "email", "e mail", "email address", "e mail address", "e mailadres", "emailadres", "mail",
    ],
    "email2": ["email 2", "email2", "second email"],
    "phone": [
        "phone", "telephone", "phone number", "telefoon", "telefoonnummer", "tel",
    ],
    "phone2": ["phone 2", "phone2", "telefoon 2", "mobile", "mobiel", "mobile number", "cell"],
    "phone3": ["phone 3", "phone3", "work phone", "work phone number", "werk telefoon"],
    "address": ["address", "adres", "full address", "postal address", "address line"],
    "street": ["street", "straat", "straatnaam", "street name", "address1", "address 1"],
    "address2": ["address2", "address 2", "address line 2"],
    "house_number": ["house number", "housenumber", "huisnummer", "number", "nr", "huisnr"],
    "house_number_addition": [
        "addition", "toevoeging", "huisnummertoevoeging", "house number addition",
    ],
    "postcode": ["postcode", "postal code", "zip", "zipcode", "zip code", "post code"],
    "city": ["city", "town", "woonplaats", "plaats", "place"],
    "state": ["state", "province", "provincie", "region"],
    "country": ["country", "land", "country code"],
    "language": ["language", "taal", "lang"],
    "date_of_birth": ["date of birth", "dob", "birthdate", "birth date", "geboortedatum"],
    "tags": ["tags", "labels", "tag", "label", "tag list"],
    "notes": ["notes", "note", "notities", "opmerkingen", "remarks"],
    "support_level": ["support level", "support", "steun"],
    "voted_for_us": ["voted for us", "voted", "loyal voter", "gestemd"],
    "is_volunteer": ["volunteer", "is volunteer", "vrijwilliger"],
    "source": ["source", "bron"],
    "external_ref": [
        "external ref", "external id", "id", "ref", "reference", "kenmerk", "lidnummer",
        "member id",
    ],
    "do_not_contact": ["do not contact", "niet benaderen"],
    "do_not_email": ["do not email", "niet mailen"],
    "do_not_phone": ["do not phone", "do not call", "niet bellen"],
}  # fmt: skip


class MappingError(ValueError):
    pass


def _key(header: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", header.strip().lower()).strip()


_LOOKUP = {_key(s): field for field, names in SYNONYMS.items() for s in [field, *names]}


@dataclass(frozen=True, slots=True)
class Format:
    """A tool's people export: the columns that tell it apart, and what each column holds."""

    key: str
    name: str
    detect: tuple[str, ...]
    columns: dict[str, str]


@functools.cache
def formats() -> tuple[Format, ...]:
    found = []
    for path in sorted(FORMATS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        columns = {_key(h): f for h, f in (data.get("columns") or {}).items()}
        unknown = sorted({f for f in columns.values() if f not in FIELDS and f != "ignore"})
        if unknown:
            raise MappingError(f"{path.name}: unknown fields {unknown}")
        found.append(
            Format(path.stem, data["name"], tuple(_key(h) for h in data["detect"]), columns)
        )
    return tuple(found)


def detect(headers: list[str]) -> Format | None:
    """The tool whose export this is: all its telling columns present, most columns known."""
    keys = {_key(h) for h in headers}
    best: tuple[int, Format] | None = None
    for candidate in formats():
        if not all(_present(telling, keys) for telling in candidate.detect):
            continue
        score = len(keys & candidate.columns.keys())
        if best is None or score > best[0]:
            best = (score, candidate)
    return best[1] if best else None


def _present(telling: str, keys: set[str]) -> bool:
    if telling.endswith("*"):  # a prefix the tool's own columns share ("can2_")
        return any(k.startswith(telling[:-1].strip()) for k in keys)
    return telling in keys


def guess(headers: list[str]) -> dict[int, str]:
    """Column index → field for the headers we recognise; each field is used once."""
    tool = detect(headers)
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = _key(header)
        if tool is not None and key in tool.columns:
            field: str | None = tool.columns[key]
            if field == "ignore":
                continue
        else:
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


def label(field: str, language: str | None) -> str:
    """What a staffer reads for a field, in their language."""
    if field in LABELS:
        return translate(LABELS[field], language)
    if field.startswith("consent_"):
        for purpose in PURPOSES:
            for channel in CHANNELS:
                if field == f"consent_{purpose}_{channel}":
                    return translate(
                        CONSENT_LABEL,
                        language,
                        purpose=Message(PURPOSE_LABELS[purpose]),
                        channel=Message(CHANNEL_LABELS[channel]),
                    )
    return field


def labels(language: str | None) -> dict[str, str]:
    return {field: label(field, language) for field in sorted(FIELDS)}
