"""Journeys the organisation writes as files: ``campaigns/journeys/*.yaml``, one a file.

Each is checked at start-up against the Structs of ``definition.py`` and then for sense:
step ids unique, every jump goes to a step that exists, no step unreachable, the content of
every message and task in both nl and en, conditions in the segment condition language, and
a party journey neither triggered by nor branching on casework. A bad file stops start-up
with its file, line, path in the file and reason. ``sync`` stores each journey's definition
as a version: a new version only when the file's content changed.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import yaml

from achterban.journeys import definition as d
from achterban.journeys.tables import Journey, JourneyVersion
from achterban.platform import conditions as engine
from achterban.platform import db

LANGUAGES = ("nl", "en")
SCHEMA_PATH = Path("schema") / "journey.schema.json"  # under campaigns/


class JourneyFileError(Exception):
    """A file under campaigns/journeys that cannot be loaded: where and why."""


@dataclass(frozen=True)
class FileJourney:
    key: str
    path: Path
    journey: d.Journey
    steps: list[d.Step]

    @property
    def definition(self) -> dict[str, Any]:
        """The canonical definition as stored: every default written out."""
        out: dict[str, Any] = msgspec.to_builtins(self.journey)
        out["steps"] = [msgspec.to_builtins(s) for s in self.steps]
        return out

    @property
    def hash(self) -> str:
        text = json.dumps(self.definition, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


# -- where in the file ----------------------------------------------------------------------

_PART = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]")


def _line(root: yaml.Node, path: str) -> int:
    """The line (1-based) of the deepest node of ``path`` (``steps[2].cases[0].when``)."""
    node = root
    for name, index in _PART.findall("." + path if path and path[0] != "[" else path):
        child = None
        if name and isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == name), None)
        elif index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            child = node.value[int(index)]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


class _Refused(Exception):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path, self.reason = path, reason


def _convert(value: Any, into: type[Any], prefix: str) -> Any:
    try:
        return msgspec.convert(value, into)
    except msgspec.ValidationError as exc:
        message = str(exc)
        found = re.search(r" - at `\$(.*)`$", message)
        where = (prefix + (found.group(1) if found else "")).lstrip(".")
        reason = message[: found.start()] if found else message
        missing = re.match(r"Object missing required field `(\w+)`", reason)
        if missing:  # name the field that is missing in the path too
            where = f"{where}.{missing.group(1)}".lstrip(".")
        unknown = re.match(r"Object contains unknown field `([\w-]+)`", reason)
        if unknown:
            where = f"{where}.{unknown.group(1)}".lstrip(".")
        raise _Refused(where, reason) from exc


# -- reading --------------------------------------------------------------------------------


def _content_missing(content_dir: Path) -> Any:
    cache: dict[str, list[str]] = {}

    def missing(key: str) -> list[str]:
        if key not in cache:
            cache[key] = [lang for lang in LANGUAGES
                          if not _message_ok(content_dir / lang / f"{key}.yaml")]  # fmt: skip
        return cache[key]

    return missing


def _message_ok(path: Path) -> bool:
    """A message file: a mapping with a subject and a body, both text."""
    if not path.is_file():
        return False
    try:
        item = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return False
    return (isinstance(item, dict) and isinstance(item.get("subject"), str)
            and isinstance(item.get("body"), str) and bool(item["body"].strip()))  # fmt: skip


def _split_trigger_leaves(
    tree: Any, path: str, event: str | None, problems: list[tuple[str, str]]
) -> Any:
    """The tree with each ``trigger.<data>`` leaf checked and replaced by an empty group (so
    the paths of the rest stay where they are for ``conditions.parse``)."""
    if isinstance(tree, dict) and len(tree) == 1 and next(iter(tree)) in engine.GROUPS:
        join = next(iter(tree))
        items = tree[join]
        if not isinstance(items, list):
            return tree
        out: list[Any] = []
        for i, item in enumerate(items):
            here = f"{path}.{join}[{i}]"
            field = item.get("field") if isinstance(item, dict) else None
            if isinstance(field, str) and field.startswith("trigger."):
                _check_trigger_leaf(item, here, event, problems)
                out.append({"all": []})
            else:
                out.append(_split_trigger_leaves(item, here, event, problems))
        return {join: out}
    return tree


def _check_trigger_leaf(
    leaf: dict[str, Any], path: str, event: str | None, problems: list[tuple[str, str]]
) -> None:
    name = leaf["field"].removeprefix("trigger.")
    data = d.TRIGGER_DATA.get(event or "", {})
    if name not in data:
        known = ", ".join(f"trigger.{k}" for k in data) or "none"
        problems.append((f"{path}.field", f"the trigger brings no {name} (it brings: {known})"))
        return
    kind = data[name]
    if leaf.get("op") not in d.TRIGGER_OPERATORS[kind]:
        problems.append((f"{path}.op", f"trigger.{name} takes the operators "
                                       f"{', '.join(d.TRIGGER_OPERATORS[kind])}"))  # fmt: skip
        return
    value = leaf.get("value")
    if kind == "euros" and (isinstance(value, bool) or not isinstance(value, int | float)
                            or value < 0):  # fmt: skip
        problems.append((f"{path}.value", f"trigger.{name} takes an amount in euros"))
    if kind == "text" and (not isinstance(value, str) or not value.strip()):
        problems.append((f"{path}.value", f"trigger.{name} takes a text"))


def _condition_checker(journey: d.Journey, problems: list[tuple[str, str]]) -> Any:
    event = journey.trigger.event if isinstance(journey.trigger, d.EventTrigger) else None

    def check(tree: Any, path: str) -> None:
        rest = _split_trigger_leaves(tree, path, event, problems)
        try:
            parsed = engine.parse(rest, None, path)
        except engine.TreeError as exc:
            problems.extend((m.path, m.text()) for m in exc.errors)
            return
        if journey.owner == "party":
            for leaf_path, leaf in _leaves(parsed, path):
                if not leaf.field.shareable:
                    problems.append((f"{leaf_path}.field",
                                     f"a party journey does not branch on casework "
                                     f"({leaf.field.key}: an office's cases stay with the "
                                     f"office)"))  # fmt: skip

    return check


def _leaves(group: engine.Group, path: str) -> list[tuple[str, engine.Leaf]]:
    found = []
    for i, item in enumerate(group.items):
        here = f"{path}.{group.join}[{i}]"
        if isinstance(item, engine.Leaf):
            found.append((here, item))
        else:
            found.extend(_leaves(item, here))
    return found


def _check_trigger(journey: d.Journey, segment_keys: set[str] | None) -> list[tuple[str, str]]:
    t = journey.trigger
    problems: list[tuple[str, str]] = []
    if isinstance(t, d.EventTrigger):
        if t.event in d.CASEWORK_EVENTS and journey.owner == "party":
            problems.append(("trigger.event", f"a party journey does not start on casework "
                                              f"({t.event}: an office's cases stay with the "
                                              f"office)"))  # fmt: skip
        if (t.event == "entered_segment") != (t.segment is not None and t.every_hours is not None):
            problems.append(("trigger.segment", "entered_segment names the segment and how "
                                                "often it is evaluated (every_hours), and only "
                                                "it does"))  # fmt: skip
        if (t.event == "tag_added") != (t.tag is not None):
            problems.append(("trigger.tag", "tag_added names the tag, and only it does"))
    if isinstance(t, d.DateTrigger) and t.days_before and t.days_after:
        problems.append(("trigger.days_after", "days before or days after, not both"))
    segment = getattr(t, "segment", None)
    if segment is not None and segment_keys is not None and segment not in segment_keys:
        problems.append(("trigger.segment",
                         f"no segment {segment} in campaigns/segments"))  # fmt: skip
    if journey.owner == "office" and journey.purpose not in (d.CASEWORK_PURPOSE, "service"):
        problems.append(("purpose", "an office's journey serves casework: casework_followup "
                                    "or service"))  # fmt: skip
    if journey.owner == "party" and journey.purpose == d.CASEWORK_PURPOSE:
        problems.append(("purpose", "the casework purpose is an office's, not the party's"))
    return problems


def _check_steps(journey: d.Journey, steps: list[d.Step], content: Any) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    index: dict[str, int] = {}
    for i, step in enumerate(steps):
        if step.id in index:
            problems.append((f"steps[{i}].id", f"the step id {step.id} is used twice"))
        index.setdefault(step.id, i)
    checker = _condition_checker(journey, problems)
    edges: dict[int, list[int]] = {}
    for i, step in enumerate(steps):
        kind = d.STEPS[step.__struct_config__.tag]  # type: ignore[index]
        checking = d.Checking(journey, f"steps[{i}]", content, checker)
        kind.check(step, checking)
        problems.extend(checking.problems)
        targets = list(kind.targets(step))
        if step.next is not None:
            if not kind.falls_through:
                problems.append((f"steps[{i}].next", f"a {kind.key} step has no next"))
            targets.append(("next", step.next))
        edges[i] = []
        for where, target in targets:
            if target not in index:
                problems.append((f"steps[{i}].{where}", f"no step with the id {target}"))
            elif index[target] == i:
                problems.append((f"steps[{i}].{where}", "a step does not go to itself"))
            else:
                edges[i].append(index[target])
        if kind.falls_through and step.next is None and i + 1 < len(steps):
            edges[i].append(i + 1)
    seen, todo = {0}, [0]
    while todo:
        for j in edges.get(todo.pop(), []):
            if j not in seen:
                seen.add(j)
                todo.append(j)
    for i, step in enumerate(steps):
        if i not in seen:
            problems.append((f"steps[{i}]", f"the step {step.id} is never reached"))
    return problems


def _read_one(path: Path, segment_keys: set[str] | None, content: Any) -> FileJourney:
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise JourneyFileError(f"{path}: not YAML: {exc}") from exc
    if root is None:
        raise JourneyFileError(f"{path}: the file is empty")

    def refused(where: str, reason: str) -> JourneyFileError:
        return JourneyFileError(f"{path}:{_line(root, where)}: {where or '(top)'}: {reason}")

    raw = yaml.safe_load(yaml.serialize(root))
    try:
        journey: d.Journey = _convert(raw, d.Journey, "")
        steps = []
        for i, item in enumerate(journey.steps):
            kind = item.get("kind")
            if kind not in d.STEPS:
                raise _Refused(f"steps[{i}].kind", f"no step kind {kind!r} (the kinds: "
                                                   f"{', '.join(sorted(d.STEPS))})")  # fmt: skip
            steps.append(_convert(item, d.STEPS[kind].struct, f"steps[{i}]"))
    except _Refused as exc:
        raise refused(exc.path, exc.reason) from exc
    if path.stem != journey.key:
        raise refused("key", f"the key is the file's name ({path.stem})")
    problems = _check_trigger(journey, segment_keys) + _check_steps(journey, steps, content)
    if problems:
        where, reason = problems[0]
        raise refused(where, reason)
    return FileJourney(journey.key, path, journey, steps)


def read(campaigns_dir: Path, segment_keys: set[str] | None = None) -> list[FileJourney]:
    """Every journey of ``campaigns_dir/journeys``, checked (the segments they name among
    ``segment_keys`` when given); JourneyFileError names the first problem: its file, line,
    path and reason."""
    content = _content_missing(campaigns_dir / "content")
    found: dict[str, FileJourney] = {}
    for path in sorted((campaigns_dir / "journeys").glob("*.yaml")):
        item = _read_one(path, segment_keys, content)
        found[item.key] = item
    for item in found.values():
        for i, step in enumerate(item.steps):
            if isinstance(step, d.Enrol) and step.journey not in found:
                root = yaml.compose(item.path.read_text(encoding="utf-8"))
                assert root is not None  # it was read above
                where = f"steps[{i}].journey"
                raise JourneyFileError(
                    f"{item.path}:{_line(root, where)}: {where}: "
                    f"no journey {step.journey} in campaigns/journeys"
                )
    return list(found.values())


def schema_text() -> str:
    return json.dumps(d.schema(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def write_schema(campaigns_dir: Path) -> Path:
    target = campaigns_dir / SCHEMA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schema_text(), encoding="utf-8")
    return target


# -- into the database ----------------------------------------------------------------------


async def sync(campaigns_dir: Path, segment_keys: set[str] | None = None) -> list[str]:
    """Store the files' journeys: a new version of each whose definition changed (by its
    hash), a journey whose file is gone retired (its versions stay). The keys changed."""
    wanted = {j.key: j for j in read(campaigns_dir, segment_keys)}
    stamp = datetime.now(UTC)
    changed = []
    async with db.transaction():
        have: dict[str, dict[str, Any]] = {r["key"]: r for r in await Journey.select()}
        for key, gone in have.items():
            if key not in wanted and gone["retired_at"] is None:
                await Journey.update({Journey.retired_at: stamp, Journey.updated_at: stamp}
                                     ).where(Journey.id == gone["id"])  # fmt: skip
                changed.append(key)
        for key, item in wanted.items():
            row = have.get(key)
            if row is None:
                journey = Journey(key=key, owner=item.journey.owner, created_at=stamp,
                                  updated_at=stamp)  # fmt: skip
                await journey.save()
                journey_id, latest = journey.id, None
            else:
                journey_id = row["id"]
                latest = await JourneyVersion.select(
                    JourneyVersion.number, JourneyVersion.hash
                ).where(JourneyVersion.journey == journey_id).order_by(
                    JourneyVersion.number, ascending=False
                ).first()  # fmt: skip
            if latest is not None and latest["hash"] == item.hash:
                if row is not None and row["retired_at"] is not None:
                    await Journey.update({Journey.retired_at: None, Journey.updated_at: stamp}
                                         ).where(Journey.id == journey_id)  # fmt: skip
                    changed.append(key)
                continue
            await JourneyVersion(
                journey=journey_id, number=(latest["number"] + 1) if latest else 1,
                definition=copy.deepcopy(item.definition), hash=item.hash,
                source=str(item.path.relative_to(campaigns_dir.parent)
                           if item.path.is_relative_to(campaigns_dir.parent) else item.path),
                loaded_at=stamp,
            ).save()  # fmt: skip
            if row is not None:
                await Journey.update({Journey.owner: item.journey.owner,
                                      Journey.retired_at: None, Journey.updated_at: stamp}
                                     ).where(Journey.id == journey_id)  # fmt: skip
            changed.append(key)
    return changed
