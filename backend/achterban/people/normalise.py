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
    text = text or ""
    if text.isascii():  # most names and places: nothing to decompose (imports fold millions)
        return text.lower().strip()
    decomposed = unicodedata.normalize("NFKD", text)
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


# --- the search column -------------------------------------------------------------

_WORD = re.compile(r"[^\w@.+'-]+")
_PIECES = re.compile(r"[.@_+'-]+")
_NL_POSTCODE = re.compile(r"^(\d{4})\s*([a-z]{2})$")


def _words(text: str) -> list[str]:
    return [w.strip(".-'") for w in _WORD.split(fold(text)) if w.strip(".-'")]


def phone_forms(e164: str) -> list[str]:
    """Digits a person may type for a number: international, and national with a 0."""
    digits = "".join(c for c in e164 if c.isdigit())
    forms = [digits] if digits else []
    try:
        number = phonenumbers.parse(e164, None)
        national = "".join(
            c
            for c in phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            if c.isdigit()
        )
    except phonenumbers.NumberParseException:
        national = ""
    if national and national not in forms:
        forms.append(national)
    return forms


def search_text(
    first: str = "",
    infix: str = "",
    last: str = "",
    emails: list[str] | tuple[str, ...] = (),
    phones: list[str] | tuple[str, ...] = (),
    postcode: str = "",
    city: str = "",
) -> str:
    """The words a person can be found by, accent-folded and lower-case, one space apart.

    Names word by word (and the surname with its infix as one word: "devries"), every
    e-mail address whole and in pieces, every phone number's digits in international and
    national form, the postcode without its space, the city. The text starts with a space
    so a word's start is always " word": the search matches word prefixes.
    """
    words: list[str] = []
    names = _words(" ".join((first, infix, last)))
    words += names
    surname = "".join(_words(f"{infix} {last}"))
    if surname and surname not in words:
        words.append(surname)
    for email in emails:
        address = email.strip().lower()
        if address:
            words.append(address)
            words += [p for p in _PIECES.split(address) if p]
    for phone in phones:
        words += phone_forms(phone)
    code = fold(postcode).replace(" ", "")
    if code:
        words.append(code)
    words += _words(city)
    unique = list(dict.fromkeys(w for w in words if w))
    return " " + " ".join(unique) + " " if unique else ""


def query_terms(text: str, default_region: str = "NL") -> list[str]:
    """The words of a search as stored in ``search_text``; each must start a stored word."""
    folded = fold(text)
    if not folded:
        return []
    compact = folded.replace(" ", "")
    postcode = _NL_POSTCODE.match(folded)
    if postcode:
        return [postcode.group(1) + postcode.group(2)]
    digits = "".join(c for c in folded if c.isdigit())
    if len(digits) >= 6 and re.fullmatch(r"[\d\s()+./-]+", folded):
        try:
            return [phone_forms(normalise_phone(folded, default_region))[0]]
        except ValueError:
            return [digits.lstrip("0") if compact.startswith("+") else digits]
    return _words(folded)
