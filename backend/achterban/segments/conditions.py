"""A saved segment as a condition: in (or not in) another segment; cycles are refused
when the tree is compiled (service.compile)."""

from __future__ import annotations

from typing import Any

from achterban.platform.conditions import FALSE, Context, Field, Operator, negate, register
from achterban.platform.i18n import _


def _segment(op: str, value: Any, ctx: Context) -> Any:
    where = ctx.segments.get(int(value), FALSE)
    return where if op == "in" else negate(where)


register(
    Field("segment", _("Segment"), "segments",
          (Operator("in", _("is in"), "segment"), Operator("not_in", _("is not in"), "segment")),
          _segment),
)  # fmt: skip
