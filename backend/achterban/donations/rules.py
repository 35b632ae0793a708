"""Pure rules for gifts and SEPA mandates."""

from __future__ import annotations

from stdnum import iban as iban_numbers
from stdnum.exceptions import ValidationError

FAILURES_BEFORE_FAILING = 3


def normalise_iban(value: str) -> str:
    """The compact IBAN, or ValueError with a readable reason."""
    try:
        return str(iban_numbers.validate(value))
    except ValidationError as exc:
        raise ValueError(f"not a valid IBAN: {exc}") from exc


def mask_iban(value: str) -> str:
    """NL91 **** **** **** 4300: country and check digits, then only the last four."""
    if len(value) < 8:
        return "****"
    middle = "**** " * ((len(value) - 8 + 3) // 4)
    return f"{value[:4]} {middle}{value[-4:]}"


def status_after_failure(failures: int, status: str) -> str:
    if status == "cancelled":
        return status
    return "failing" if failures >= FAILURES_BEFORE_FAILING else status
