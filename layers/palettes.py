"""Colour palettes for the map, hard-coded as hex (no matplotlib at run time).

Sequential and diverging schemes are ColorBrewer (Cynthia Brewer, Penn State), which are
colour-blind safe for these schemes; the per-size sets are ColorBrewer's own, not resamplings.
The qualitative palette is Okabe–Ito (colour-blind safe) followed by a few ColorBrewer Dark2 hues.

>>> sequential("YlOrRd", 5)
('#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026')
>>> diverging(3)
('#67a9cf', '#f7f7f7', '#ef8a62')
"""

from __future__ import annotations

import zlib

#: ColorBrewer sequential schemes, light → dark, keyed by number of classes.
SEQUENTIAL: dict[str, dict[int, tuple[str, ...]]] = {
    "YlOrRd": {
        3: ("#ffeda0", "#feb24c", "#f03b20"),
        4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
        5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
        6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
        7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
        8: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
        9: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026",
            "#800026"),
    },
    # for effort measures (more is neither better nor worse): a neutral hue
    "Blues": {
        3: ("#deebf7", "#9ecae1", "#3182bd"),
        4: ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"),
        5: ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
        6: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"),
        7: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"),
        8: ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"),
        9: ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c",
            "#08306b"),
    },
}

#: Kernel density levels on the map, lowest → highest (ColorBrewer Oranges). The one copy: the
#: legend reads it and the map's style function gets it through the layer's ``hideout``.
KDE_COLORS: tuple[str, ...] = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")

#: ColorBrewer RdBu ordered blue (low) → red (high), keyed by number of classes.
RDBU_LOW_TO_HIGH: dict[int, tuple[str, ...]] = {
    k: tuple(reversed(v))
    for k, v in {
        3: ("#ef8a62", "#f7f7f7", "#67a9cf"),
        4: ("#ca0020", "#f4a582", "#92c5de", "#0571b0"),
        5: ("#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"),
        6: ("#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"),
        7: ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"),
        8: ("#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac"),
        9: ("#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3",
            "#2166ac"),
        10: ("#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3",
             "#2166ac", "#053061"),
        11: ("#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de",
             "#4393c3", "#2166ac", "#053061"),
    }.items()
}

#: Okabe–Ito (without black) then ColorBrewer Dark2: distinguishable categorical hues.
QUALITATIVE: tuple[str, ...] = (
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
)

MISSING_COLOR = "#d9d9d9"
NEUTRAL_COLOR = "#f7f7f7"

#: Hot/cold spot classes (Gi* with FDR), ColorBrewer RdBu 7.
HOTSPOT_CLASSES: tuple[str, ...] = ("hot99", "hot95", "hot90", "ns", "cold90", "cold95", "cold99")
HOTSPOT_COLORS: dict[str, str] = dict(
    zip(HOTSPOT_CLASSES, ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"),
        strict=True)
)


def sequential(name: str = "YlOrRd", k: int = 5) -> tuple[str, ...]:
    """Return the ColorBrewer sequential scheme ``name`` with ``k`` classes (3–9)."""
    try:
        return SEQUENTIAL[name][k]
    except KeyError:
        raise ValueError(
            f"sequential palette {name!r} with {k} classes: expected one of {sorted(SEQUENTIAL)} "
            "with 3–9 classes"
        ) from None


def diverging(k: int = 7) -> tuple[str, ...]:
    """Return ColorBrewer RdBu with ``k`` classes (3–11), blue for low, red for high."""
    try:
        return RDBU_LOW_TO_HIGH[k]
    except KeyError:
        raise ValueError(f"diverging palette with {k} classes: expected 3–11 classes") from None


def qualitative_color(key: str) -> str:
    """A stable colour for a category name not in a fixed palette (same name → same colour).

    Uses CRC-32 (stable across processes), never Python's salted ``hash``.
    """
    return QUALITATIVE[zlib.crc32(key.encode("utf-8")) % len(QUALITATIVE)]
