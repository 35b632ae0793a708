"""One condition language for the people list, exports, segments and journeys.

A definition is a tree. A group is ``{"all": [...]}``, ``{"any": [...]}`` or
``{"none": [...]}``; a leaf is ``{"field": "region", "op": "is", "value": "NL-FR"}``. Fields
are a registry each domain adds to (``register``), so later work adds conditions without
touching this engine. A tree compiles to one SQL where clause over ``person`` — subqueries
and parameters, never SQL built from user input — and bad input is a ``TreeError`` naming
the path in the tree (``conditions[2].any[0].field``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from piccolo.columns.combination import WhereRaw

from achterban.platform.auth import Actor

GROUPS = ("all", "any", "none")
MAX_DEPTH = 8
MAX_LEAVES = 200

# what kind of value an operator takes: the SPA shows the matching input
# (choice_days: {"choice": one of the field's choices, "days": N}, "by e-mail in 90 days")
VALUE_KINDS = ("none", "text", "choice", "choices", "number", "days", "date", "year", "segment",
               "choice_days")  # fmt: skip


@dataclass(frozen=True)
class Operator:
    key: str
    label: str  # a msgid
    value: str  # one of VALUE_KINDS


@dataclass(frozen=True, eq=False)
class Choice:
    value: str
    label: str  # a msgid, or a name as it is (``translate=False``)
    translate: bool = True
    labels: dict[str, str] | None = None  # the label per language, where data names it


@dataclass
class Context:
    """What a compile needs beyond the tree: who asks, the day, and the saved segments the
    tree names (loaded before compiling, their own trees already checked for cycles)."""

    actor: Actor
    today: date
    segments: dict[int, Any] = field(default_factory=dict)  # id → compiled where clause


Compile = Callable[[str, Any, Context], Any]


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # a msgid
    group: str  # person, membership, donations, consent, contact, segments
    operators: tuple[Operator, ...]
    compile: Compile
    choices: Callable[[], Awaitable[list[Choice]]] | None = None
    # may this actor use the field at all (casework: office staff only)
    allowed: Callable[[Actor], bool] = lambda actor: True
    # a value outside a fixed set: the reason, else None
    check: Callable[[Any], str | None] = lambda value: None
    # may a segment using it be shared with the organisation (casework: never)
    shareable: bool = True


FIELDS: dict[str, Field] = {}


def register(*fields: Field) -> None:
    for item in fields:
        FIELDS[item.key] = item


class TreeError(Exception):
    """Bad input in a definition: each problem with its path in the tree."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors))
        self.errors = errors


def _coerce(kind: str, value: Any) -> Any:
    """The value an operator of ``kind`` takes, or ValueError."""
    if kind == "none":
        return None
    if kind in ("text", "choice"):
        if not isinstance(value, str) or not value.strip() or len(value) > 200 or "\x00" in value:
            raise ValueError("a text of 1 to 200 characters")
        return value.strip()
    if kind == "choices":
        if not isinstance(value, list) or not value or len(value) > 100:
            raise ValueError("a list of 1 to 100 values")
        return [_coerce("text", v) for v in value]
    if kind in ("number", "days", "year", "segment"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("a whole number")
        low, high = {"number": (0, 10**12), "days": (0, 36500), "year": (1900, 2200),
                     "segment": (1, 2**31 - 1)}[kind]  # fmt: skip
        if not low <= value <= high:
            raise ValueError(f"a number from {low} to {high}")
        return value
    if kind == "choice_days":
        if not isinstance(value, dict) or set(value) != {"choice", "days"}:
            raise ValueError('{"choice": …, "days": …}')
        return {"choice": _coerce("choice", value["choice"]),
                "days": _coerce("days", value["days"])}  # fmt: skip
    if kind == "date":
        try:
            return date.fromisoformat(value) if isinstance(value, str) else _bad()
        except ValueError:
            raise ValueError("a date written YYYY-MM-DD") from None
    raise ValueError(f"an unknown kind of value {kind!r}")


def _bad() -> date:
    raise ValueError("a date written YYYY-MM-DD")


@dataclass(frozen=True)
class Leaf:
    field: Field
    op: str
    value: Any


@dataclass(frozen=True)
class Group:
    join: str  # all, any, none
    items: tuple[Group | Leaf, ...]


def parse(tree: Any, actor: Actor | None = None, path: str = "conditions") -> Group:
    """Check a definition; a TreeError lists every problem with its path."""
    errors: list[tuple[str, str]] = []
    counted = [0]
    group = _group(tree, path, 0, errors, counted, actor)
    if errors:
        raise TreeError(errors)
    assert group is not None
    return group


def _group(
    node: Any, path: str, depth: int, errors: list[tuple[str, str]], counted: list[int],
    actor: Actor | None,
) -> Group | None:  # fmt: skip
    if not isinstance(node, dict) or len(node) != 1 or next(iter(node)) not in GROUPS:
        errors.append((path, "a group is one of all, any or none with a list of conditions"))
        return None
    join = next(iter(node))
    items = node[join]
    if not isinstance(items, list):
        errors.append((f"{path}.{join}", "a list of conditions"))
        return None
    if depth >= MAX_DEPTH:
        errors.append((f"{path}.{join}", f"groups nest at most {MAX_DEPTH} deep"))
        return None
    parsed: list[Group | Leaf] = []
    for i, item in enumerate(items):
        here = f"{path}.{join}[{i}]"
        if isinstance(item, dict) and "field" not in item:
            sub = _group(item, here, depth + 1, errors, counted, actor)
            if sub is not None:
                parsed.append(sub)
            continue
        counted[0] += 1
        if counted[0] > MAX_LEAVES:
            errors.append((here, f"at most {MAX_LEAVES} conditions"))
            return None
        leaf = _leaf(item, here, errors, actor)
        if leaf is not None:
            parsed.append(leaf)
    return Group(join, tuple(parsed))


def _leaf(node: Any, path: str, errors: list[tuple[str, str]], actor: Actor | None) -> Leaf | None:
    if not isinstance(node, dict) or set(node) - {"field", "op", "value"}:
        errors.append((path, "a condition has a field, an operator (op) and a value"))
        return None
    key = node.get("field")
    found = FIELDS.get(key) if isinstance(key, str) else None
    if found is None or (actor is not None and not found.allowed(actor)):
        errors.append((f"{path}.field", f"no such field {node.get('field')!r}"))
        return None
    operator = next((o for o in found.operators if o.key == node.get("op")), None)
    if operator is None:
        names = ", ".join(o.key for o in found.operators)
        errors.append((f"{path}.op", f"{found.key} takes the operators {names}"))
        return None
    try:
        value = _coerce(operator.value, node.get("value"))
    except ValueError as exc:
        errors.append((f"{path}.value", f"{found.key} {operator.key} takes {exc}"))
        return None
    checked = value if isinstance(value, list) else [value]
    if isinstance(value, dict):
        checked = [value["choice"]]
    for one in checked:
        reason = found.check(one) if one is not None else None
        if reason:
            errors.append((f"{path}.value", f"{found.key}: {reason}"))
            return None
    return Leaf(found, operator.key, value)


def one_of(values: Sequence[str]) -> Callable[[Any], str | None]:
    """A ``check``: the value must be one of ``values``."""
    allowed = set(values)
    return lambda value: None if value in allowed else f"{value!r} is not one of {sorted(allowed)}"


def fields_used(group: Group) -> set[str]:
    """The keys of every field a tree uses."""
    found: set[str] = set()
    for item in group.items:
        found |= fields_used(item) if isinstance(item, Group) else {item.field.key}
    return found


def segments_named(group: Group) -> set[int]:
    """The saved segments a tree refers to (its own level, not theirs)."""
    found: set[int] = set()
    for item in group.items:
        if isinstance(item, Group):
            found |= segments_named(item)
        elif item.field.key == "segment":
            found.add(int(item.value))
    return found


TRUE = WhereRaw("1 = 1")
FALSE = WhereRaw("1 = 0")


def negate(clause: Any) -> Any:
    """NOT, where a NULL (an unknown) counts as false: "none of" never drops a NULL row."""
    return WhereRaw("NOT COALESCE(({}), FALSE)", clause.querystring)


def both(clauses: Sequence[Any]) -> Any:
    if not clauses:
        return TRUE
    clause = clauses[0]
    for item in clauses[1:]:
        clause = clause & item
    return clause


def either(clauses: Sequence[Any]) -> Any:
    if not clauses:
        return FALSE
    clause = clauses[0]
    for item in clauses[1:]:
        clause = clause | item
    return clause


def compile_group(group: Group, ctx: Context) -> Any:
    clauses = [
        compile_group(i, ctx) if isinstance(i, Group) else i.field.compile(i.op, i.value, ctx)
        for i in group.items
    ]
    if group.join == "all":
        return both(clauses)
    if group.join == "any":
        return either(clauses)
    return negate(either(clauses)) if clauses else TRUE
