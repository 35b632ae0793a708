"""Pure rules for gifts and SEPA mandates."""

from __future__ import annotations

import re

from stdnum import iban as iban_numbers
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from achterban.platform.i18n import Message, _

FAILURES_BEFORE_FAILING = 3
# SEPA mandate references: at most 35 of the Latin characters banks accept, no spaces
MANDATE_REFERENCE = re.compile(r"[A-Za-z0-9/?:().,'+-]{1,35}")
IBAN_PROBLEMS: list[tuple[type[ValidationError], Message]] = [
    (InvalidChecksum, Message(_("the check digits do not match, perhaps a typing error"))),
    (InvalidLength, Message(_("the length is wrong for its country"))),
    (InvalidComponent, Message(_("the country or bank code is unknown"))),
    (InvalidFormat, Message(_("its length or characters do not fit its country"))),
]


class BadIban(ValueError):
    """Why an IBAN is refused: ``reason`` is a message to translate."""

    @property
    def reason(self) -> Message:
        return Message(self.args[0])


def normalise_iban(value: str) -> str:
    """The compact IBAN, or BadIban naming what is wrong with it."""
    try:
        return str(iban_numbers.validate(value))
    except ValidationError as exc:
        reason = next(
            (text for kind, text in IBAN_PROBLEMS if isinstance(exc, kind)),
            Message(_("it is not a valid IBAN")),
        )
        raise BadIban(reason) from exc


def valid_reference(value: str) -> bool:
    return MANDATE_REFERENCE.fullmatch(value) is not None


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
