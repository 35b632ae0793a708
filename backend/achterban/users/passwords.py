"""Passwords are hashed with argon2id; an unknown user costs the same time as a wrong password."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from achterban.platform.errors import Problem
from achterban.platform.i18n import _

_hasher = PasswordHasher()  # argon2id with the library's current defaults
_DUMMY_HASH = _hasher.hash("no such user: spend the same time")
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def hash_field(password: str, key: str) -> str:
    """:func:`hash_password` for a form: a weak password's error names the form's field."""
    try:
        return hash_password(password)
    except Problem as exc:
        exc.extra["errors"] = [{**e, "key": key} for e in exc.extra.get("errors") or []]
        raise


def verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise Problem(
            400,
            _("The password needs at least {n} characters."),
            kind="validation",
            values={"n": MIN_LENGTH},
            errors=[{"key": "password", "message": f"at least {MIN_LENGTH} characters"}],
        )
