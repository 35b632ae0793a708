"""Reading a CSV file as a stream: encoding and delimiter detected, physical line numbers kept."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

SAMPLE = 64 * 1024
FIELD_LIMIT_KB = 128  # a longer field is a bad line (csv's own limit), not a failed import


class FileError(ValueError):
    pass


def sniff(path: Path) -> tuple[str, str]:
    """(encoding, delimiter) from the first 64 KB."""
    if not path.is_file():
        raise FileError(f"no such file: {path}")
    head = path.open("rb").read(SAMPLE)
    # a stray NUL is a bad line (see rows); a header with one, or many, is not a CSV file
    if b"\x00" in head.split(b"\n", 1)[0] or head.count(b"\x00") > len(head) // 100:
        raise FileError(f"{path.name} is not a text (CSV) file")
    try:
        text = head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sample's end
            text, encoding = head.decode("latin-1"), "latin-1"
        else:
            text, encoding = head[: exc.start].decode("utf-8-sig"), "utf-8-sig"
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise FileError(f"{path.name} is empty")
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    delimiter = max(counts, key=lambda d: counts[d])
    return encoding, delimiter if counts[delimiter] else ","


def count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


def rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every row after the header; header is line 1.

    A line that is not text (a NUL byte) or holds a field over 128 KB comes as
    ``records.BadLine`` with the reason: reported on its line, the rest still lands.
    """
    from achterban.imports.records import LONG_FIELD, NUL_LINE, BadLine, reason

    encoding, delimiter = sniff(path)
    with path.open(newline="", encoding=encoding, errors="replace") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        next(reader, None)
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:  # the field size limit: the reader goes on at the next line
                yield start, BadLine(reason(LONG_FIELD, limit=FIELD_LIMIT_KB))
                start = reader.line_num + 1
                continue
            if any("\x00" in c for c in cells):
                yield start, BadLine(reason(NUL_LINE))
            elif any(c.strip() for c in cells):
                yield start, cells
            start = reader.line_num + 1


def header(path: Path) -> list[str]:
    encoding, delimiter = sniff(path)
    with path.open(newline="", encoding=encoding, errors="replace") as handle:
        return [h.strip() for h in next(csv.reader(handle, delimiter=delimiter), [])]


def first_rows(path: Path, count: int) -> list[list[str]]:
    result = []
    for _, cells in rows(path):
        result.append(cells)
        if len(result) >= count:
            break
    return result


def raw_line(cells: list[str], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerow(cells)
    return out.getvalue().rstrip("\r\n")
