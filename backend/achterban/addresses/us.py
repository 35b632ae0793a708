"""US addresses, parsed with usaddress and mapped to Achterban's fields."""

from __future__ import annotations

import re
from collections import OrderedDict

import usaddress

STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}  # fmt: skip
_BY_NAME = {name.lower(): code for code, name in STATES.items()}
_BY_NAME.update({"d.c.": "DC", "washington dc": "DC", "washington d.c.": "DC", "calif": "CA",
                 "mass": "MA", "penn": "PA", "penna": "PA", "wash": "WA", "fla": "FL",
                 "ill": "IL", "tex": "TX", "mich": "MI", "minn": "MN", "wis": "WI"})  # fmt: skip
STREET_LABELS = (
    "StreetNamePreModifier", "StreetNamePreDirectional", "StreetNamePreType", "StreetName",
    "StreetNamePostType", "StreetNamePostDirectional", "StreetNamePostModifier",
)  # fmt: skip
ZIP = re.compile(r"^(\d{5})(?:[-\s]?(\d{4}))?$")
STATE_ZIP = re.compile(r"\b([A-Z]{2})\s+\d{5}(?:-\d{4})?\b")


def _clean(token: str) -> str:
    return token.strip().strip(",;").strip()


def normalise_state(value: str) -> str:
    text = _clean(value).rstrip(".")
    if text.upper().replace(".", "") in STATES:
        return text.upper().replace(".", "")
    return _BY_NAME.get(text.lower(), _BY_NAME.get(text.lower().rstrip("."), ""))


def split_zip(value: str) -> tuple[str, str]:
    digits = _clean(value).rstrip(".")
    match = ZIP.match(digits)
    if match:
        return match.group(1), match.group(2) or ""
    if len(digits) == 9 and digits.isdigit():
        return digits[:5], digits[5:]
    return "", ""


def _tag(raw: str) -> tuple[dict[str, str], str, str]:
    """usaddress.tag, recovering from RepeatedLabelError by keeping each label's first run."""
    try:
        tagged, kind = usaddress.tag(raw)
        return dict(tagged), kind, ""
    except usaddress.RepeatedLabelError as exc:
        first: OrderedDict[str, str] = OrderedDict()
        previous = None
        for token, label in exc.parsed_string:
            if label not in first:
                first[label] = token
            elif label == previous and label in first:
                first[label] += " " + token
            previous = label
        return dict(first), "Ambiguous", "the address repeats a part; check it"


def looks_us(raw: str) -> bool:
    return bool(STATE_ZIP.search(raw.upper()))


def parse_us(raw: str) -> dict[str, str]:
    """Fields for ParsedAddress; ``status`` is ok or review with a readable ``note``."""
    try:
        tagged, kind, note = _tag(raw)
    except Exception as exc:  # usaddress can fail on odd input; the raw text is kept
        return {"status": "review", "note": f"could not be parsed ({type(exc).__name__})"}
    fields: dict[str, str] = {"country": "US"}
    street = " ".join(_clean(tagged[label]) for label in STREET_LABELS if label in tagged)
    if "USPSBoxID" in tagged:
        street = f"{_clean(tagged.get('USPSBoxType', 'PO Box'))} {_clean(tagged['USPSBoxID'])}"
    fields["street"] = street.strip()
    fields["house_number"] = _clean(tagged.get("AddressNumber", ""))
    fields["house_number_addition"] = _clean(tagged.get("AddressNumberSuffix", ""))
    unit = " ".join(
        _clean(tagged[k]) for k in ("OccupancyType", "OccupancyIdentifier") if k in tagged
    )
    fields["unit"] = unit
    fields["city"] = _clean(tagged.get("PlaceName", ""))
    fields["state"] = normalise_state(tagged.get("StateName", ""))
    fields["postcode"], fields["plus_four"] = split_zip(tagged.get("ZipCode", ""))
    problems = [note] if note else []
    if kind == "Ambiguous" and not note:
        problems.append("the parts of the address are unclear")
    if not fields["street"] or not (fields["house_number"] or "USPSBoxID" in tagged):
        problems.append("no street and house number found")
    if tagged.get("ZipCode") and not fields["postcode"]:
        problems.append(f"unreadable ZIP code {tagged['ZipCode']!r}")
    if tagged.get("StateName") and not fields["state"]:
        problems.append(f"unknown state {tagged['StateName']!r}")
    fields["status"] = "review" if problems else "ok"
    if not problems and not fields["postcode"]:
        problems.append("no ZIP code")
    fields["note"] = "; ".join(problems)
    return fields
