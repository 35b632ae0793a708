"""Segments the organisation shares as files: ``campaigns/segments/*.yaml``.

Each file holds one segment or a list of them::

    key: lapsed-members            # unique, a slug; the segment is found by it
    name: Leden die het afgelopen jaar afhaakten
    description: ...               # optional
    definition:                    # a condition tree, as the API takes it
      all:
        - {field: member_lapsed, op: within_days, value: 365}

They are loaded and checked at start-up (``sync``): a bad file stops start-up with the
file, the line and the reason. A segment from a file is shared, owned by no one, and
changed by editing its file; one whose file entry is gone is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from achterban.platform import conditions as engine
from achterban.platform import db
from achterban.segments.tables import Segment

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


class SegmentFileError(Exception):
    """A file under campaigns/segments that cannot be loaded: where and why."""


@dataclass(frozen=True)
class FileSegment:
    key: str
    name: str
    description: str
    definition: dict[str, Any]


def _where(path: Path, node: yaml.Node) -> str:
    return f"{path}:{node.start_mark.line + 1}"


def read(directory: Path) -> list[FileSegment]:
    """Every segment of the directory's files, checked; SegmentFileError names the first
    problem with its file and line."""
    found: dict[str, FileSegment] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            root = yaml.compose(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise SegmentFileError(f"{path}: not YAML: {exc}") from exc
        if root is None:
            continue
        nodes = root.value if isinstance(root, yaml.SequenceNode) else [root]
        for node in nodes:
            item = yaml.safe_load(yaml.serialize(node))
            if not isinstance(item, dict):
                raise SegmentFileError(f"{_where(path, node)}: a segment is a mapping")
            unknown = set(item) - {"key", "name", "description", "definition"}
            if unknown:
                raise SegmentFileError(f"{_where(path, node)}: unknown keys {sorted(unknown)}")
            key, name = item.get("key"), item.get("name")
            if not isinstance(key, str) or not KEY.match(key):
                raise SegmentFileError(f"{_where(path, node)}: key must be a slug (a-z, 0-9, -)")
            if key in found:
                raise SegmentFileError(f"{_where(path, node)}: the key {key} is used twice")
            if not isinstance(name, str) or not name.strip() or len(name) > 200:
                raise SegmentFileError(f"{_where(path, node)}: name must be 1 to 200 characters")
            try:
                engine.parse(item.get("definition"), None, "definition")
            except engine.TreeError as exc:
                raise SegmentFileError(f"{_where(path, node)}: {exc}") from exc
            if engine.segments_named(engine.parse(item["definition"])):
                raise SegmentFileError(
                    f"{_where(path, node)}: a segment in a file does not refer to others by id"
                )
            found[key] = FileSegment(
                key, name.strip(), str(item.get("description") or ""), item["definition"]
            )
    return list(found.values())


async def sync(directory: Path) -> list[str]:
    """Make the database hold exactly the files' segments (by key); the keys changed."""
    wanted = {s.key: s for s in read(directory)}
    stamp = datetime.now(UTC)
    changed = []
    async with db.transaction():
        rows = await Segment.select().where(Segment.key.is_not_null()).output(load_json=True)
        have = {r["key"]: r for r in rows}
        for key, row in have.items():
            if key not in wanted:
                await Segment.delete().where(Segment.id == row["id"])
                changed.append(key)
        for key, item in wanted.items():
            values = {"name": item.name, "description": item.description,
                      "definition": item.definition}  # fmt: skip
            current = have.get(key)
            if current is None:
                await Segment(
                    key=key, owner_id=None, shared=True, created_at=stamp, updated_at=stamp,
                    name=item.name, description=item.description, definition=item.definition,
                ).save()  # fmt: skip
                changed.append(key)
            elif any(current[k] != v for k, v in values.items()):
                await Segment.update({
                    Segment.name: item.name, Segment.description: item.description,
                    Segment.definition: item.definition, Segment.updated_at: stamp,
                }).where(Segment.id == current["id"])  # fmt: skip
                changed.append(key)
    return changed
