"""Segments shared as files: the shipped ones load, a bad file is refused with its file,
line and reason, and loading again changes only what the files changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from achterban.segments import files
from achterban.segments.tables import Segment
from achterban.settings import get_settings

SHIPPED = get_settings().campaigns_dir / "segments"


def test_the_shipped_segments_are_valid():
    keys = {s.key for s in files.read(SHIPPED)}
    assert {"lybunt-donors", "lapsed-members-last-year", "loyal-voters-untouched-90-days"} <= keys


@pytest.mark.parametrize(
    "text,reason",
    [
        ("- key: a\n  name: A\n  definition: {all: []}\n- key: b\n  name: B\n"
         "  definition:\n    all:\n      - {field: shoe_size, op: is, value: 42}\n",
         ":4: definition.all[0].field: no such field 'shoe_size'"),
        ("key: Not A Slug\nname: X\ndefinition: {all: []}\n", ":1: key must be a slug"),
        ("- key: a\n  name: A\n  definition: {all: []}\n- key: a\n  name: B\n"
         "  definition: {all: []}\n", ":4: the key a is used twice"),
        ("key: a\nname: A\ncolour: red\ndefinition: {all: []}\n", ":1: unknown keys ['colour']"),
        ("key: a\nname: A\ndefinition: {all: [\n", "not YAML"),
    ],
)  # fmt: skip
def test_a_bad_file_names_its_line_and_reason(tmp_path: Path, text: str, reason: str):
    (tmp_path / "bad.yaml").write_text(text)
    with pytest.raises(files.SegmentFileError) as caught:
        files.read(tmp_path)
    assert str(tmp_path / "bad.yaml") in str(caught.value) and reason in str(caught.value)


async def test_sync_keeps_the_database_to_the_files(app, tmp_path: Path):
    await files.sync(tmp_path)  # no file segments (a served app may have loaded the shipped)
    (tmp_path / "s.yaml").write_text(
        "- key: test-one\n  name: One\n  definition: {all: [{field: tag, op: has, value: x}]}\n"
    )
    assert await files.sync(tmp_path) == ["test-one"]
    assert await files.sync(tmp_path) == []  # again: nothing changes
    (tmp_path / "s.yaml").write_text("- key: test-two\n  name: Two\n  definition: {all: []}\n")
    assert sorted(await files.sync(tmp_path)) == ["test-one", "test-two"]
    rows = await Segment.select(Segment.key, Segment.shared, Segment.owner_id).where(
        Segment.key.like("test-%")
    )
    assert rows == [{"key": "test-two", "shared": True, "owner_id": None}]
    await files.sync(SHIPPED)
