"""Every user-facing text of Lägesbild: one catalogue per language.

``texts/sv.py`` and ``texts/en.py`` each hold one table ``MESSAGES`` (key → text, ``str.format``
fields in braces); a test checks that every key exists in both with the same fields. Code asks
for a text by key and language and never branches on the language itself (a test walks the code
for ``lang == "sv"``-style comparisons and bilingual dict literals outside this package).

Keys are dotted by domain: ``fmt.`` number and date formats, ``page.`` the page and its
callbacks, services, commands and CLI, ``ind.`` indicators and map layers, ``rep.`` reports.

>>> t("fmt.decimal", "sv"), t("fmt.decimal", "en")
(',', '.')
>>> t("fmt.percent", "sv", value="12")
'12\\xa0%'
"""

from __future__ import annotations

from collections.abc import Mapping

from texts import en, sv

LANGS = ("sv", "en")
CATALOGUES: Mapping[str, Mapping[str, str]] = {"sv": sv.MESSAGES, "en": en.MESSAGES}


class MissingText(KeyError):
    """A key that is not in the catalogue of the language asked for."""


def catalogue(lang: str) -> Mapping[str, str]:
    """The whole table of ``lang`` (``ValueError`` for a language that has none)."""
    try:
        return CATALOGUES[lang]
    except KeyError:
        raise ValueError(f"language {lang!r}: expected one of {LANGS}") from None


def t(key: str, lang: str = "sv", /, **fields: object) -> str:
    """The text ``key`` in ``lang``, its ``{fields}`` filled in."""
    try:
        template = catalogue(lang)[key]
    except KeyError:
        raise MissingText(f"no text {key!r} in the {lang!r} catalogue") from None
    return template.format(**fields) if fields else template


def has(key: str) -> bool:
    """Whether ``key`` is in the catalogue (the parity test makes this language-independent)."""
    return key in sv.MESSAGES


def by_prefix(prefix: str, lang: str) -> dict[str, str]:
    """Every text whose key starts with ``prefix``, keyed by the rest of the key (a table of
    category names, month names …), in catalogue order."""
    return {k[len(prefix):]: v for k, v in catalogue(lang).items() if k.startswith(prefix)}
