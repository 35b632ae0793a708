"""Reading a CSV file as a stream: encoding and delimiter detected, physical line numbers kept."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

SAMPLE = 64 * 1024


class FileError(ValueError):
    pass


def sniff(path: Path) -> tuple[str, str]:
    """(encoding, delimiter) from the first 64 KB."""
    if not path.is_file():
        raise FileError(f"no such file: {path}")
    head = path.open("rb").read(SAMPLE)
    if b"\x00" in head:
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
    """(line number, cells) for every row after the header; header is line 1."""
    encoding, delimiter = sniff(path)
    with path.open(newline="", encoding=encoding, errors="replace") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        next(reader, None)
        start = reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
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
