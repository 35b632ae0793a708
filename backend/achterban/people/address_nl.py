"""Dutch addresses by rule: street, house number with addition, postcode "1234 AB", city."""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

PC4_FILE = Path(__file__).resolve().parent.parent / "data" / "nl" / "pc4_gemeente.csv"
POSTCODE = re.compile(r"\b([1-9][0-9]{3})\s?(?!SA|SD|SS)([A-Za-z]{2})\b")
# house number (digits) with an optional addition: 12A, 12 A, 12-3, 12 bis, 12 hs, 12-II
NUMBER = re.compile(
    r"^(?P<street>.*?\D)\s*(?P<number>\d{1,5})"
    r"(?:\s*[-/]\s*(?P<joined>[A-Za-z0-9]{1,4})|\s*(?P<letters>[A-Za-z]{1,4}))?\s*$"
)
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
    number = NUMBER.match(street_part)
    if box:
        fields["street"] = f"{box.group(1).capitalize()} {box.group(2)}"
    elif number:
        fields["street"] = number.group("street").strip(" ,")
        fields["house_number"] = number.group("number")
        addition = number.group("joined") or number.group("letters") or ""
        fields["house_number_addition"] = addition.upper()
        if fields["house_number_addition"] in ("BIS", "HS", "ZW", "RD"):
            fields["house_number_addition"] = fields["house_number_addition"].lower()
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
