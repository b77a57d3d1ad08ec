"""UI texts, Swedish first, English on toggle: thin wrappers over the catalogue (``texts``).

The page's texts are the catalogue's ``page.<key>`` entries; an element the language callback
rewrites carries the bare key in its id (``{"type": "t", "key": "title"}``). The 4P section
titles (``section_<name>``) are the reports' own (``reports.texts.section_title``).
"""

from __future__ import annotations

from dash import html

import texts
from ids import Ids
from reports.texts import section_title

SECTION_PREFIX = "section_"


def t(key: str, lang: str = "sv", **kwargs: object) -> str:
    """The text ``key`` in ``lang`` (Swedish for a language the catalogue has not), formatted
    with ``kwargs``."""
    lang = lang if lang in texts.LANGS else "sv"
    if key.startswith(SECTION_PREFIX):
        return section_title(key[len(SECTION_PREFIX):], lang)
    return texts.t(f"page.{key}", lang, **kwargs)


def tx(key: str, lang: str, tag=html.Span, instance: str | None = None, **kwargs):
    """A text element the language callback (``callbacks/language.py``) rewrites on a toggle.

    ``instance`` tells apart several elements with the same text (their ids must differ)."""
    return tag(t(key, lang), id={"type": Ids.TEXT, "key": f"{key}#{instance}" if instance else key}, **kwargs)


def text_of(element_key: str, lang: str) -> str:
    """The text of a :func:`tx` element's key (its instance suffix dropped)."""
    return t(element_key.split("#", 1)[0], lang)
