"""Location precision classes of point events (a stable vocabulary stored with every point).

Finest first. Only classes in ``HOTSPOT_ELIGIBLE`` take part in hotspot statistics or in
point-in-polygon area assignment; the coarser ones are centroids of an administrative unit and would
create false hotspots.
"""

from __future__ import annotations

from texts import LANGS, by_prefix

EXACT = "exact"  # coordinates recorded at the scene / geocoded address
STREET = "street"  # geocoded to a street or a place name within a town
DESO = "deso"  # only known to lie in a DeSO (drawn at the DeSO's representative point)
AREA_TEXT = "area_text"  # the text names the area; position is the kommun centre
KOMMUN = "kommun"  # kommun centre point (polisen.se events API)
LAN = "lan"  # län centre point (polisen.se events API)

PRECISION_CLASSES: tuple[str, ...] = (EXACT, STREET, DESO, AREA_TEXT, KOMMUN, LAN)
HOTSPOT_ELIGIBLE: frozenset[str] = frozenset({EXACT, STREET})
POINT_IN_POLYGON_ELIGIBLE: frozenset[str] = frozenset({EXACT, STREET})

#: the classes in words, per language (the catalogue's ``page.precision.<class>``)
LABELS: dict[str, dict[str, str]] = {lang: by_prefix("page.precision.", lang) for lang in LANGS}
