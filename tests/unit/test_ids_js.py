"""The browser's scripts take every component id from ``assets/_ids.js``, generated from
:class:`ids.Ids`: the file on disk is what the generator writes now (a renamed id fails here
until ``python ids.py`` is run), it loads before the other scripts, and they retype no id."""

from __future__ import annotations

import re

from ids import JS_PATH, Ids, js_source
from tests.conftest import ROOT

ASSETS = ROOT / "assets"
#: ids the scripts use (each must come from window.LAGESBILD_IDS, never a literal)
USED_IN_JS = {Ids.PAGE, Ids.MAP, Ids.INDICATOR_CARDS, Ids.CARD_PICK, Ids.TREND_CARD, Ids.AREA_SEARCH,
              Ids.ERROR_BANNER, Ids.COMPARE_SECTION, Ids.COMPARE_VISIBLE, Ids.COMPARE_GRID,
              Ids.SMALL_MULTIPLES, Ids.COMPARE_DATATABLE}


def scripts() -> list:
    return sorted(p for p in ASSETS.glob("*.js") if p.name != "_ids.js")


def test_the_generated_file_is_current():
    assert (ROOT / JS_PATH).read_text(encoding="utf-8") == js_source(), "run `python ids.py`"


def test_every_id_is_in_it():
    text = js_source()
    for member in Ids:
        assert f'  {member.name}: "{member.value}",' in text


def test_it_loads_before_the_other_scripts():
    # Dash serves the assets folder's files sorted by name
    assert sorted(p.name for p in ASSETS.glob("*.js"))[0] == "_ids.js"


def test_the_scripts_retype_no_id():
    for path in scripts():
        src = path.read_text(encoding="utf-8")
        for member in USED_IN_JS:
            literal = re.compile(r"""["'#]""" + re.escape(member.value) + r"""["' ]""")
            assert not literal.search(src), f"{path.name} retypes the id {member.value!r}: use LAGESBILD_IDS.{member.name}"
    used = "".join(p.read_text(encoding="utf-8") for p in scripts())
    assert {m for m in Ids if re.search(r"IDS\." + m.name + r"\b", used)} >= USED_IN_JS
