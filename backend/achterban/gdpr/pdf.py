"""The subject-access export as a readable PDF, in the person's language."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from achterban.platform.i18n import _, translate

TEMPLATES = Path(__file__).resolve().parent / "templates"
LABELS = [
    _("What we hold about you"), _("Generated on"), _("Your details"),
    _("E-mail addresses and phone numbers"),
    _("Tags"), _("Consent"), _("Memberships"), _("Posts in a branch"), _("Gifts"),
    _("Direct-debit mandates"),
    _("Contact moments"), _("Who looked at or changed your record"), _("None."), _("Name"),
    _("Address"), _("Language"), _("Date of birth"), _("Your cases"),
    _("How much you support us (1-5), as we noted it"),
]  # fmt: skip

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def cell(value: Any, field: str) -> str:
    """A table cell as a reader expects it: minutes, not microseconds; euros, not cents."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if field == "amount_cents" and isinstance(value, int):
        return f"{value / 100:.2f}"
    return str(value)


_env.filters["cell"] = cell


def render(export: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    language = export["person"].get("language") or "nl"
    html = _env.get_template("subject_access.html").render(
        export=export, t=lambda text: translate(text, language), language=language
    )
    return bytes(HTML(string=html).write_pdf())
