"""The subject-access export as a readable PDF, in the person's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from achterban.platform.i18n import _, translate

TEMPLATES = Path(__file__).resolve().parent / "templates"
LABELS = [
    _("What we hold about you"), _("Generated on"), _("Your details"),
    _("E-mail addresses and phone numbers"),
    _("Tags"), _("Consent"), _("Memberships"), _("Gifts"), _("Direct-debit mandates"),
    _("Contact moments"), _("Who looked at or changed your record"), _("None."), _("Name"),
    _("Address"), _("Language"), _("Date of birth"),
]  # fmt: skip

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def render(export: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    language = export["person"].get("language") or "nl"
    html = _env.get_template("subject_access.html").render(
        export=export, t=lambda text: translate(text, language), language=language
    )
    return bytes(HTML(string=html).write_pdf())
