"""Translations with Babel: ``nl`` and ``en`` catalogs read from the .po files.

Mark a string a person reads with ``_()`` where it is defined, and translate it
with :func:`translate` where the language is known (a request, a recipient).
"""

from __future__ import annotations

import functools
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def _(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later by :func:`translate`."""
    return message


class Message(str):
    """A message id used as a value in another message: translated along with it."""


@functools.cache
def catalog(language: str) -> Catalog:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def translate(message: str, language: str | None, /, **values: object) -> str:
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    entry = catalog(language).get(message)
    text = entry.string if entry is not None and isinstance(entry.string, str) else ""
    text = text or message
    if not values:
        return text
    values = {k: translate(v, language) if isinstance(v, Message) else v for k, v in values.items()}
    return text.format(**values)


def negotiate(accept_language: str | None) -> str:
    """Pick ``nl`` or ``en`` from an Accept-Language header."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    preferred = []
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().replace("-", "_")
        if tag:
            preferred.append(tag)
    return negotiate_locale(preferred, list(LANGUAGES), sep="_") or DEFAULT_LANGUAGE


def locale(language: str) -> Locale:
    return Locale.parse("nl_NL" if language == "nl" else "en_US")
