"""Dutch addresses by rule: street, house number with addition, postcode "1234 AB", city."""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

PC4_FILE = Path(__file__).resolve().parent.parent / "data" / "nl" / "pc4_gemeente.csv"
POSTCODE = re.compile(r"\b([1-9][0-9]{3})\s?(?!SA|SD|SS)([A-Za-z]{2})\b")
# a house number: digits after the street, then an addition written in any of the
# usual ways: 12A, 12 A, 12-3, 12/3, 12 3, 12A-2, 12 A 2, 12a bis, 12 hs, 12-II, 12 III
HOUSE_NUMBER = re.compile(r"(?<!\d)(?P<number>\d{1,5})(?!\d)")
ADDITION_TOKEN = re.compile(
    r"\s*(?P<sep>[-/]?)\s*(?P<token>[A-Za-z]{1,4}|\d{1,3}[A-Za-z]{1,4}|\d{1,4})(?![A-Za-z\d])"
)
LOWER_WORDS = {"bis", "hs", "zw", "rd", "hg", "bv", "ws", "huis", "boven", "hoog"}
ROMAN = re.compile(r"^[IVX]{1,4}$", re.IGNORECASE)


def split_house_number(text: str) -> tuple[str, str, str] | None:
    """(street, number, addition) of "Kerkstraat 12A-2", or None without a house number.

    The first number after the street whose rest reads as an addition is the house
    number; a number as the addition ("12 2", "12-3") follows a house number of at most
    three digits, so "Plein 1944 12" is number 12 on "Plein 1944".
    """
    for match in HOUSE_NUMBER.finditer(text):
        rest = text[match.end() :]
        tokens = _addition_tokens(rest)
        if tokens is None:
            continue
        sep, first = tokens[0] if tokens else ("", "")
        if len(match.group("number")) > 3 and first.isdigit() and (not sep or len(first) > 3):
            continue  # "Plein 1944 12", "Laan 1940-1945 3": the year belongs to the street
        street = text[: match.start()].strip(" ,")
        if not street or street[-1] in "-/":
            continue
        return street, match.group("number"), _addition(tokens)
    return None


def _addition_tokens(rest: str) -> list[tuple[str, str]] | None:
    """[(separator, token)] when all of ``rest`` is an addition (at most three parts)."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while rest[position:].strip():
        match = ADDITION_TOKEN.match(rest, position)
        if match is None or len(tokens) == 3:
            return None
        tokens.append((match.group("sep"), match.group("token")))
        position = match.end()
    return tokens


def _addition(tokens: list[tuple[str, str]]) -> str:
    text = ""
    for index, (_sep, token) in enumerate(tokens):
        lower = token.lower() in LOWER_WORDS or (token[0].isdigit() and not token.isdigit())
        word = token.lower() if lower else token.upper()  # "A", "III", but "bis", "1hg"
        if index:
            text += "-" if word[0].isdigit() or ROMAN.match(word) else " "
        text += word
    return text


PO_BOX = re.compile(r"^(postbus|antwoordnummer)\s*(\d+)$", re.IGNORECASE)
PROVINCE_CODES = {
    "Drenthe": "NL-DR", "Flevoland": "NL-FL", "Friesland": "NL-FR", "Fryslân": "NL-FR",
    "Gelderland": "NL-GE", "Groningen": "NL-GR", "Limburg": "NL-LI", "Noord-Brabant": "NL-NB",
    "Noord-Holland": "NL-NH", "Overijssel": "NL-OV", "Utrecht": "NL-UT", "Zeeland": "NL-ZE",
    "Zuid-Holland": "NL-ZH",
}  # fmt: skip


@functools.cache
def pc4_table() -> dict[str, tuple[str, str]]:
    """PC4 → (gemeente, provincie), the municipality with most addresses where a PC4 spans two."""
    best: dict[str, tuple[int, str, str]] = {}
    with PC4_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            count = int(row["n_addresses"] or 0)
            if row["pc4"] not in best or count > best[row["pc4"]][0]:
                best[row["pc4"]] = (count, row["gemeente"], row["provincie"])
    return {pc4: (g, p) for pc4, (_n, g, p) in best.items()}


def looks_dutch(raw: str) -> bool:
    return bool(POSTCODE.search(raw))


def normalise_postcode(value: str) -> str:
    match = POSTCODE.search(value or "")
    return f"{match.group(1)} {match.group(2).upper()}" if match else (value or "").strip().upper()


def _city(text: str) -> str:
    text = text.strip(" ,")
    if text.isupper() or text.islower():
        parts = re.split(r"([\s-])", text.lower())
        return "".join(
            p if p in (" ", "-") or p.startswith("'") else p[:1].upper() + p[1:] for p in parts
        )
    return text


def parse_nl(raw: str) -> dict[str, str]:
    text = " ".join(raw.replace("\n", ", ").split())
    fields: dict[str, str] = {"country": "NL"}
    problems: list[str] = []
    match = POSTCODE.search(text)
    before, after = text, ""
    if match:
        fields["postcode"] = f"{match.group(1)} {match.group(2).upper()}"
        before, after = text[: match.start()], text[match.end() :]
        province = pc4_table().get(match.group(1))
        fields["state"] = province[1] if province else ""
    else:
        problems.append("no Dutch postcode found")
    before = before.strip(" ,")
    if not after.strip(" ,") and "," in before:  # "Street 1, Amsterdam" without postcode
        before, after = before.rsplit(",", 1)
    fields["city"] = _city(after)
    street_part = before.split(",")[0].strip()
    box = PO_BOX.match(street_part)
    number = split_house_number(street_part)
    if box:
        fields["street"] = f"{box.group(1).capitalize()} {box.group(2)}"
    elif number:
        fields["street"], fields["house_number"], fields["house_number_addition"] = number
    else:
        fields["street"] = street_part
        problems.append("no house number found")
    if not fields.get("city"):
        problems.append("no city found")
    fields["status"] = "review" if problems else "ok"
    fields["note"] = "; ".join(problems)
    return fields


def province_code(province: str) -> str:
    return PROVINCE_CODES.get(province, "")
