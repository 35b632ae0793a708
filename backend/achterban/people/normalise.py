"""Normalised contact data: e-mail, phone (E.164), names, salutations."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email

INFIXES = (
    "van der", "van den", "van de", "van 't", "in 't", "in de", "op de", "op den", "uit de",
    "van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "la", "le", "du", "di", "da",
)  # fmt: skip


_SIMPLE_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)


def normalise_email(value: str) -> str:
    """Lower-cased and checked; plain ASCII addresses take a fast path (imports are large)."""
    simple = value.strip().lower()
    if len(simple) <= 254 and _SIMPLE_EMAIL.match(simple):
        return simple
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(f"invalid e-mail address {value.strip()!r}: {exc}") from exc


def normalise_phone(value: str, default_region: str = "NL") -> str:
    try:
        number = phonenumbers.parse(value, default_region or "NL")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"invalid phone number {value.strip()!r}") from exc
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise ValueError(f"invalid phone number {value.strip()!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def sort_name(first: str, infix: str, last: str) -> str:
    """Lower-case "last first infix" without accents: what the name search matches on."""
    return " ".join(p for p in (fold(last), fold(first), fold(infix)) if p)


def split_name(full: str) -> tuple[str, str, str]:
    words = full.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    first, rest = words[0], " ".join(words[1:])
    lowered = rest.lower()
    for infix in INFIXES:
        if lowered.startswith(infix + " "):
            return first, rest[: len(infix)], rest[len(infix) + 1 :]
    return first, "", rest


def salutation(family_name: str, infix: str, language: str) -> str:
    name = " ".join(p for p in (infix.strip(), family_name.strip()) if p)
    name = name[:1].upper() + name[1:] if name else ""
    if language == "en":
        return f"The {name} household" if name else "Dear household"
    return f"Fam. {name}" if name else "Beste bewoners"
