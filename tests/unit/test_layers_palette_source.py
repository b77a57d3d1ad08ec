"""The density palette has one source, in Python: the map's style function gets it through the
hotspot layer's ``hideout`` and the browser code holds no copy."""

from __future__ import annotations

from layers.legends import hotspot_hideout, kde_legend_rows
from layers.palettes import KDE_COLORS
from tests.conftest import ROOT


def test_the_hideout_and_the_legend_carry_the_python_palette():
    assert hotspot_hideout(None, "sv")["kde"] == list(KDE_COLORS)
    fc = {"features": [{"properties": {"level": k}} for k in range(1, len(KDE_COLORS) + 1)]}
    assert [r["color"] for r in kde_legend_rows(fc, "en")] == list(KDE_COLORS)


def test_the_browser_code_has_no_copy_of_the_palette():
    js = (ROOT / "assets" / "lagesbild.js").read_text(encoding="utf-8").lower()
    assert not [c for c in KDE_COLORS if c.lower() in js]
