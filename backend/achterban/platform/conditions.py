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
from datetime import UTC, date, datetime, time
from typing import Any

from piccolo.columns.combination import And, Or, WhereRaw
from piccolo.querystring import QueryString

from achterban.platform.auth import Actor
from achterban.platform.i18n import _, translate

GROUPS = ("all", "any", "none")
MAX_DEPTH = 8
MAX_LEAVES = 200

# what kind of value an operator takes: the SPA shows the matching input
# (choice_days: {"choice": one of the field's choices, "days": N}, "by e-mail in 90 days")
# (moment: a day, or a moment written in ISO 8601 — the people list's "last contact before")
VALUE_KINDS = ("none", "text", "choice", "choices", "number", "days", "date", "year", "segment",
               "choice_days", "moment")  # fmt: skip


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
    # is a value one the field knows (a value outside a fixed set is refused)
    check: Callable[[Any], bool] = lambda value: True
    # may a segment using it be shared with the organisation (casework: never)
    shareable: bool = True


FIELDS: dict[str, Field] = {}


def register(*fields: Field) -> None:
    for item in fields:
        FIELDS[item.key] = item


@dataclass(frozen=True)
class Mistake:
    """One problem in a tree: where, and what (a msgid with its values, translated for the
    reader: the API in the request's language, the command line in English)."""

    path: str
    message: str  # a msgid
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, language: str = "en") -> str:
        return translate(self.message, language, **self.values)

    def __str__(self) -> str:
        return self.text()


class Mistakes(list[Mistake]):
    """A tree's mistakes as one line, in the reader's language."""

    def text(self, language: str = "en") -> str:
        return "; ".join(f"{m.path}: {m.text(language)}" for m in self)

    def __str__(self) -> str:
        return self.text()


class TreeError(Exception):
    """Bad input in a definition: each problem with its path in the tree."""

    def __init__(self, errors: list[Mistake]) -> None:
        super().__init__("; ".join(f"{m.path}: {m.text()}" for m in errors))
        self.errors = errors


class BadValue(ValueError):
    def __init__(self, message: str, **values: Any) -> None:
        super().__init__(message)
        self.message, self.values = message, values


def _coerce(kind: str, value: Any) -> Any:
    """The value an operator of ``kind`` takes, or ValueError."""
    if kind == "none":
        return None
    if kind in ("text", "choice"):
        if not isinstance(value, str) or not value.strip() or len(value) > 200 or "\x00" in value:
            raise BadValue(_("this condition takes a text of 1 to 200 characters"))
        return value.strip()
    if kind == "choices":
        if not isinstance(value, list) or not value or len(value) > 100:
            raise BadValue(_("this condition takes a list of 1 to 100 values"))
        return [_coerce("text", v) for v in value]
    if kind in ("number", "days", "year", "segment"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadValue(_("this condition takes a whole number"))
        low, high = {"number": (0, 10**12), "days": (0, 36500), "year": (1900, 2200),
                     "segment": (1, 2**31 - 1)}[kind]  # fmt: skip
        if not low <= value <= high:
            raise BadValue(
                _("this condition takes a number from {low} to {high}"), low=low, high=high
            )
        return value
    if kind == "choice_days":
        if not isinstance(value, dict) or set(value) != {"choice", "days"}:
            raise BadValue(_("this condition takes a choice and a number of days"))
        return {"choice": _coerce("choice", value["choice"]),
                "days": _coerce("days", value["days"])}  # fmt: skip
    if kind == "moment":
        return _moment(value)
    if kind == "date":
        try:
            return date.fromisoformat(value) if isinstance(value, str) else _bad()
        except ValueError:
            raise BadValue(_("this condition takes a date written YYYY-MM-DD")) from None
    raise BadValue(_("this condition takes an unknown kind of value {kind}"), kind=kind)


def _moment(value: Any) -> datetime:
    """A day (its midnight, UTC) or a moment with its offset (UTC where it names none)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and len(value) <= 40:
        try:
            day = date.fromisoformat(value)
            return datetime.combine(day, time(), tzinfo=UTC)
        except ValueError:
            pass
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        except ValueError:
            pass
    raise BadValue(_("this condition takes a date written YYYY-MM-DD"))


def _bad() -> date:
    raise BadValue(_("this condition takes a date written YYYY-MM-DD"))


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
    errors: list[Mistake] = []
    counted = [0]
    group = _group(tree, path, 0, errors, counted, actor)
    if errors:
        raise TreeError(errors)
    assert group is not None
    return group


def _group(
    node: Any, path: str, depth: int, errors: list[Mistake], counted: list[int],
    actor: Actor | None,
) -> Group | None:  # fmt: skip
    if not isinstance(node, dict) or len(node) != 1 or next(iter(node)) not in GROUPS:
        errors.append(Mistake(path, _("a group is one of all, any or none with a list of "
                                      "conditions")))  # fmt: skip
        return None
    join = next(iter(node))
    items = node[join]
    if not isinstance(items, list):
        errors.append(Mistake(f"{path}.{join}", _("a list of conditions")))
        return None
    if depth >= MAX_DEPTH:
        errors.append(Mistake(f"{path}.{join}", _("groups nest at most {n} deep"),
                              {"n": MAX_DEPTH}))  # fmt: skip
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
            errors.append(Mistake(here, _("at most {n} conditions"), {"n": MAX_LEAVES}))
            return None
        leaf = _leaf(item, here, errors, actor)
        if leaf is not None:
            parsed.append(leaf)
    return Group(join, tuple(parsed))


def _leaf(node: Any, path: str, errors: list[Mistake], actor: Actor | None) -> Leaf | None:
    if not isinstance(node, dict) or set(node) - {"field", "op", "value"}:
        errors.append(Mistake(path, _("a condition has a field, an operator (op) and a value")))
        return None
    key = node.get("field")
    found = FIELDS.get(key) if isinstance(key, str) else None
    if found is None or (actor is not None and not found.allowed(actor)):
        errors.append(Mistake(f"{path}.field", _("no such field {field}"),
                              {"field": repr(node.get("field"))}))  # fmt: skip
        return None
    operator = next((o for o in found.operators if o.key == node.get("op")), None)
    if operator is None:
        names = ", ".join(o.key for o in found.operators)
        errors.append(Mistake(f"{path}.op", _("{field} takes the operators {names}"),
                              {"field": found.key, "names": names}))  # fmt: skip
        return None
    try:
        value = _coerce(operator.value, node.get("value"))
    except BadValue as exc:
        errors.append(Mistake(f"{path}.value", exc.message, exc.values))
        return None
    checked = value if isinstance(value, list) else [value]
    if isinstance(value, dict):
        checked = [value["choice"]]
    for one in checked:
        if one is not None and not found.check(one):
            errors.append(Mistake(f"{path}.value", _("{value} is not one of the choices"),
                                  {"value": repr(one)}))  # fmt: skip
            return None
    return Leaf(found, operator.key, value)


def one_of(values: Sequence[str]) -> Callable[[Any], bool]:
    """A ``check``: the value must be one of ``values``."""
    allowed = set(values)
    return lambda value: value in allowed


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


class Semi(WhereRaw):
    """ "The person has a row in ``table`` that meets ``where``": EXISTS, whose negation is
    NOT EXISTS — an anti-join, which the planner can start from the smaller side — rather
    than a NOT over a subquery, which makes it read every person to filter them.

    ``where`` is a Piccolo condition on ``table`` or fixed SQL with ``{}`` placeholders
    (written here, never from user input); ``outer`` the person column it belongs to."""

    __slots__ = ("inner", "outer", "table")

    def __init__(self, table: str, where: Any = None, *args: Any, outer: Any = None) -> None:
        if where is None:
            inner = QueryString("TRUE")
        elif isinstance(where, str):
            inner = QueryString(where, *args)
        else:
            inner = where.querystring
        self.table, self.inner = table, inner
        self.outer = (
            outer._meta.get_full_name(with_alias=False) if outer is not None else ("person.id")
        )
        super().__init__(self._sql("EXISTS"), inner)

    def _sql(self, exists: str) -> str:
        return (
            f"{exists} (SELECT 1 FROM {self.table} WHERE {self.table}.person = {self.outer} "
            "AND ({}))"
        )

    def negated(self) -> WhereRaw:
        return WhereRaw(self._sql("NOT EXISTS"), self.inner)


class AnySemi(WhereRaw):
    """Several "has a row" conditions joined by OR, as one semi-join over their rows
    (``person.id IN (SELECT person FROM a WHERE … UNION ALL SELECT person FROM b WHERE …)``):
    the planner starts from those rows instead of testing every person against each. Its
    negation is each one's NOT EXISTS."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[Semi]) -> None:
        self.parts = tuple(parts)
        union = " UNION ALL ".join(f"SELECT person FROM {p.table} WHERE ({{}})" for p in parts)
        super().__init__(f"{parts[0].outer} IN ({union})", *(p.inner for p in parts))

    def negated(self) -> Any:
        return both([p.negated() for p in self.parts])


def negate(clause: Any) -> Any:
    """NOT, where a NULL (an unknown) counts as false: "none of" never drops a NULL row.

    Pushed down through AND and OR (which that reading of NULL allows), so each "has a
    row" condition becomes its own NOT EXISTS."""
    if isinstance(clause, (Semi, AnySemi)):
        return clause.negated()
    if isinstance(clause, Or):
        return negate(clause.first) & negate(clause.second)
    if isinstance(clause, And):
        return negate(clause.first) | negate(clause.second)
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
    semis = [c for c in clauses if isinstance(c, Semi)]
    semis = [c for c in semis if c.outer == semis[0].outer] if semis else []
    if len(semis) > 1:  # one semi-join over the rows of them all
        merged = {id(c) for c in semis}
        clauses = [AnySemi(semis), *(c for c in clauses if id(c) not in merged)]
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
    return both([negate(c) for c in clauses])  # none of them
