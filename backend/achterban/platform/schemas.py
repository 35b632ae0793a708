"""Base Structs and the checks every request passes before a route sees it.

Request bodies reject unknown fields, so a typo is an error, not a no-op. No text a client
sends may hold a NUL character (PostgreSQL cannot store one, and files written from it break)
or be longer than the column it goes to: a string field is capped at the longest ``Varchar``
column of the same name (``first_name``: 100, ``email``: 254), or at ``MAX_TEXT`` for free
text, unless its type declares its own ``Meta(max_length=...)``. SQLite and PostgreSQL so
answer alike, with a 400 that names the field, instead of one storing what the other refuses.

``check_request`` does the same for what is not a body: NUL in a query string or a path,
integers beyond the database's ``INTEGER`` columns, JSON nested deeper than ``MAX_DEPTH``.
"""

from __future__ import annotations

import functools
import typing
from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import NotFoundException

MAX_TEXT = 10_000  # free text: a case description, a note
MAX_DEPTH = 32  # JSON nesting; no request body of ours comes close
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # the range of an INTEGER/SERIAL column on PostgreSQL


class InputError(ValueError):
    """A value no route accepts; the message names the field the way msgspec does."""


@functools.cache
def _column_lengths() -> dict[str, int]:
    """The longest ``Varchar`` of each column name in the app's tables (found at run time)."""
    from piccolo.columns import Varchar
    from piccolo.conf.apps import Finder

    lengths: dict[str, int] = {}
    for table in Finder().get_table_classes():
        for column in table._meta.columns:
            if isinstance(column, Varchar) and column.length:
                name = column._meta.name
                lengths[name] = max(lengths.get(name, 0), int(column.length))
    return lengths


@functools.cache
def _declared_lengths(cls: type) -> dict[str, int | None]:
    """Per field of a Struct: the max_length its type declares, or None."""
    declared: dict[str, int | None] = {}
    hints = typing.get_type_hints(cls, include_extras=True)
    for field in msgspec.structs.fields(cls):
        found = None
        for meta in _metas(hints.get(field.name)):
            if meta.max_length is not None:
                found = meta.max_length
        declared[field.name] = found
    return declared


def _metas(annotation: Any) -> list[msgspec.Meta]:
    found: list[msgspec.Meta] = []
    if typing.get_origin(annotation) is typing.Annotated:
        found += [m for m in annotation.__metadata__ if isinstance(m, msgspec.Meta)]
        annotation = typing.get_args(annotation)[0]
    for arg in typing.get_args(annotation):
        found += _metas(arg)
    return found


def max_length(field: str) -> int:
    lengths = _column_lengths()
    if field in lengths:
        return lengths[field]
    if field.endswith("s") and field[:-1] in lengths:  # tags -> tag, phones -> phone
        return lengths[field[:-1]]
    return MAX_TEXT


def check_value(value: Any, field: str, limit: int | None = None) -> None:
    """Raise InputError when a string in ``value`` holds NUL or is too long for ``field``."""
    if isinstance(value, str):
        if "\x00" in value:
            raise InputError(f"field `{field}` must not contain a NUL character")
        cap = limit if limit is not None else max_length(field)
        if len(value) > cap:
            raise InputError(f"field `{field}` is longer than {cap} characters")
    elif isinstance(value, int) and not isinstance(value, bool):
        if not INT_MIN <= value <= INT_MAX:
            raise InputError(f"field `{field}` is out of range")
    elif isinstance(value, msgspec.Struct):
        check_struct(value)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            check_value(item, field, limit)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_value(key, field, limit)
            check_value(item, field, limit)


def check_struct(struct: msgspec.Struct) -> None:
    declared = _declared_lengths(type(struct))
    for name in struct.__struct_fields__:
        check_value(getattr(struct, name), name, declared.get(name))


class Input(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Base for every request body."""

    def __post_init__(self) -> None:
        check_struct(self)


def _int_parameters(request: Request[Any, Any, Any]) -> dict[str, str]:
    """Query-string name -> parameter name, for the route's integer query parameters."""
    handler = request.route_handler
    cached = handler.opt.get("_int_query")
    if cached is None:
        cached = {}
        for name, field in handler.parsed_fn_signature.parameters.items():
            is_int = field.is_subclass_of(int) or (
                field.is_optional and field.has_inner_subclass_of(int)
            )
            if is_int and not field.is_subclass_of(bool):
                alias = getattr(field.kwarg_definition, "query", None)
                cached[alias or name] = name
        handler.opt["_int_query"] = cached
    return typing.cast(dict[str, str], cached)


def _too_deep(body: bytes) -> bool:
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return False
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def _bad_request(field: str, message: str, source: str = "query") -> Exception:
    from litestar.exceptions import ValidationException

    return ValidationException(
        detail=message, extra=[{"key": field, "message": message, "source": source}]
    )


async def check_request(request: Request[Any, Any, Any]) -> None:
    """Litestar ``before_request``: refuse input no route could store or answer."""
    if "\x00" in request.url.path:
        raise NotFoundException()
    for key, value in request.query_params.multi_items():
        try:
            check_value(key, key, MAX_TEXT)
            check_value(value, key, MAX_TEXT)
        except InputError as exc:
            raise _bad_request(key, str(exc)) from exc
    for value in request.path_params.values():
        if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= INT_MAX:
            raise NotFoundException()  # no row has such an id
        if isinstance(value, str) and "\x00" in value:
            raise NotFoundException()
    ints = _int_parameters(request)
    for key, value in request.query_params.multi_items():
        if key in ints:
            try:
                number = int(value)
            except ValueError:
                continue  # not a number: the route's own validation says so
            if not INT_MIN <= number <= INT_MAX:
                raise _bad_request(key, f"field `{key}` is out of range")
    if request.method in ("POST", "PUT", "PATCH") and "json" in (request.content_type[0] or ""):
        body = await request.body()  # cached: the route decodes the same bytes
        if _too_deep(body):
            raise _bad_request("body", f"the JSON is nested deeper than {MAX_DEPTH} levels", "body")
