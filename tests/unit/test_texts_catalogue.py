"""The text catalogue (issue 15): one table per language, the same keys and fields in both, and
no code outside ``texts/`` that chooses its wording by comparing the language.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from tests.conftest import ROOT
from texts import MissingText, by_prefix, en, sv, t

SKIP = {"tests", "bench", ".venv", "instance", "__pycache__", "texts", "migrations"}



def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_key_is_in_both_languages():
    assert set(sv.MESSAGES) - set(en.MESSAGES) == set(), "keys missing in texts/en.py"
    assert set(en.MESSAGES) - set(sv.MESSAGES) == set(), "keys missing in texts/sv.py"


def test_both_languages_fill_the_same_fields():
    differ = {k: (fields(sv.MESSAGES[k]), fields(en.MESSAGES[k])) for k in sv.MESSAGES
              if fields(sv.MESSAGES[k]) != fields(en.MESSAGES[k])}
    assert not differ, differ


@pytest.mark.parametrize("module", [sv, en], ids=["sv", "en"])
def test_no_key_is_in_two_sections(module):
    assert len(module.MESSAGES) == sum(len(s) for s in module.SECTIONS)


@pytest.mark.parametrize("module", [sv, en], ids=["sv", "en"])
def test_texts_are_strings_and_not_empty(module):
    bad = [k for k, v in module.MESSAGES.items() if not isinstance(v, str) or (not v and k != "fmt.thousands")]
    assert not bad, bad


def test_lookup_fills_fields_and_refuses_unknown_keys():
    assert t("fmt.percent", "en", value="+3") == "+3%"
    with pytest.raises(MissingText):
        t("no.such.key", "sv")
    with pytest.raises(ValueError):
        t("fmt.decimal", "de")
    assert by_prefix("fmt.", "sv")["decimal"] == ","


def branches_on_language(path: Path) -> list[int]:
    """Lines that compare with "sv"/"en" or build a {"sv": …, "en": …} literal."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            if any(isinstance(x, ast.Constant) and x.value in ("sv", "en") for x in (node.left, *node.comparators)):
                lines.append(node.lineno)
        elif isinstance(node, ast.Dict):
            if {k.value for k in node.keys if isinstance(k, ast.Constant)} == {"sv", "en"}:
                lines.append(node.lineno)
    return sorted(lines)


def product_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if not SKIP & set(p.relative_to(ROOT).parts))


def test_no_language_branches_outside_the_catalogue():
    found = {str(p.relative_to(ROOT)): branches_on_language(p) for p in product_files()}
    found = {k: v for k, v in found.items() if v}
    assert not found, f"texts chosen by comparing the language (use texts.t): {found}"


def test_the_scan_sees_a_branch(tmp_path):
    f = tmp_path / "x.py"
    f.write_text('def f(lang):\n    return "Röd" if lang == "sv" else "Red"\n\nX = {"sv": "a", "en": "b"}\n')
    assert branches_on_language(f) == [2, 4]


def test_the_scripts_texts_file_is_current():
    """``assets/_texts.js`` is generated from the catalogue (``python -m texts``): a text changed in
    ``texts/`` without regenerating it fails here."""
    from texts import JS_PATH, js_source

    assert (ROOT / JS_PATH).read_text(encoding="utf-8") == js_source()


def test_the_scripts_never_choose_words_by_language():
    import re

    scripts = [p for p in (ROOT / "assets").glob("*.js") if not p.name.startswith("_")]
    found = {p.name: m.group(0) for p in scripts
             for m in re.finditer(r"""[!=]==?\s*["'](sv|en)["']|["'](sv|en)["']\s*[!=]==?""",
                                  p.read_text(encoding="utf-8"))}
    assert not found, found
