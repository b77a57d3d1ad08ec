"""Fixed wording of the lägesbild report: thin wrappers over the text catalogue (``texts/``,
keys ``rep.…``), Swedish first, English on toggle."""

from __future__ import annotations

from texts import LANGS, t

#: the 4P sections in report order (the same keys as ``store.notes.SECTIONS``)
SECTIONS = ("framsteg", "problem", "prioriteringar", "atgarder")

#: section key → its title in each language of ``texts.LANGS`` (Swedish, English), from the
#: catalogue (``rep.section.<key>``); kept for the page's strings table, which reads the pairs
SECTION_TITLES: dict[str, tuple[str, ...]] = {
    key: tuple(t(f"rep.section.{key}", lang) for lang in LANGS) for key in SECTIONS
}


def L(key: str, lang: str = "sv", **kwargs: object) -> str:
    """Label ``key`` (catalogue key ``rep.<key>``) in ``lang``, formatted with ``kwargs``."""
    return t(f"rep.{key}", lang, **kwargs)


def section_title(key: str, lang: str = "sv") -> str:
    """The title of the 4P section ``key`` (``'framsteg'`` → ``'Framsteg'``/``'Progress'``)."""
    return t(f"rep.section.{key}", lang)


def hotspot_label(cls: str, lang: str = "sv") -> str:
    """The map legend's name of a Gi* class (``'hot99'`` → ``'Hotspot 99 %'``)."""
    return t(f"rep.hotspot.{cls}", lang)
