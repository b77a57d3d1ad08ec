"""Every component id of the page, in one place.

`StrEnum` so that ``f"#{Ids.MAP}"`` is ``'#map'`` (a plain ``(str, Enum)`` formats as ``'Ids.MAP'``
on Python 3.11). The values are a stable contract (see README, "Contract for automation").
"""

from enum import StrEnum


class Ids(StrEnum):
    """Component ids used by layout, callbacks and tests."""

    PAGE = "page"  # the page root (its ``lang`` follows the language toggle)
    TEXT = "t"  # the ``type`` of a static text the language toggle rewrites (``layout.strings.tx``)
    URL = "url"
    MAP = "map"
    AREAS = "areas"
    AREA_DOTS = "area-dots"
    BASE_LAYERS = "base-layers"
    KOMMUN_OUTLINE = "kommun-outline"
    KOMMUN_OVERLAY = "kommun-overlay"  # its entry in the layers control
    REGION_OUTLINE = "region-outline"
    REGION_OVERLAY = "region-overlay"
    SWEDEN_OUTLINE = "sweden-outline"
    AREA_SEARCH = "area-search"
    INDICATOR = "indicator"
    PERIOD = "period"
    PERIOD_KIND = "period-kind"
    PERIOD_BAR = "period-bar"  # under the header: what the period holds, the two default periods
    PERIOD_NOTE = "period-note"
    PERIOD_LATEST = "period-latest"  # "senaste perioden"
    PERIOD_REAL = "period-real"  # "senaste med verkliga data"
    REAL_ONLY = "real-only"  # the "endast verkliga data" switch (view key ``real``)
    COMPARISON = "comparison"
    LIST_YEAR = "list-year"
    TREND = "trend"
    LAGESBILD = "lagesbild"
    HOTSPOT_TOGGLE = "hotspot-toggle"
    HOTSPOTS = "hotspots"
    HOTSPOT_CARD = "hotspot-card"
    HOTSPOT_METHOD = "hotspot-method"
    POI_CHECK = "poi-check"
    EVENTS = "events"
    EVENTS_TOGGLE = "events-toggle"
    POIS = "pois"
    POI_TOGGLE = "poi-toggle"
    COMPARE_TABLE = "compare-table"
    EXPORT = "export"
    LANG = "lang"
    LEGEND = "legend"  # the areas' legend (categories or the indicator's classes)
    HOTSPOT_LEGEND = "hotspot-legend"
    EVENT_LEGEND = "event-legend"
    POI_LEGEND = "poi-legend"
    MAP_LABELS = "map-labels"  # kommun and police region names on the offline map
    TILES = "tiles"  # the basemap from LAGESBILD_TILE_URL (only when set)
    SOURCES = "sources"
    AREA_PANEL = "area-panel"
    AREA_HEAD = "area-head"
    INDICATOR_CARDS = "indicator-cards"
    CARDS_DATA = "cards-data"
    CARD_PICK = "card-pick"
    COVERAGE = "coverage"
    COVERAGE_LINE = "coverage-line"  # the area panel's sentence on data coverage
    OVERVIEW = "overview"
    OVERVIEW_ITEM = "overview-item"  # the ``type`` of an overview row's button (pattern-matching id)
    BANNER = "banner"
    STATE = "state"
    VIEW = "view"
    LAYER_VIEW = "layer-view"
    PANEL_VIEW = "panel-view"  # the view for the cards and the trend, set only when they change
    LAGESBILD_VIEW = "lagesbild-view"  # the view for the written lägesbild, set only when it changes
    COMPARE_VIEW = "compare-view-state"
    COMPARE_VISIBLE = "compare-visible"  # set by assets/lagesbild.js: is the compare view on screen
    LANG_STORE = "lang-store"
    COPY_LINK = "copy-link"
    COPY_STATUS = "copy-status"
    ERROR_BANNER = "error-banner"
    REGION = "region"
    COMPARE_CSV = "compare-csv"
    COMPARE_XLSX = "compare-xlsx"
    COMPARE_DOWNLOAD = "compare-download"
    SMALL_MULTIPLES = "small-multiples"
    COMPARE_SECTION = "compare-view"  # the compare card (assets/lagesbild.js watches it scroll into view)
    COMPARE_DATATABLE = "compare-datatable"  # the ``type`` of the table bridge's pattern-matching id
    # the compare view (layout/compare.py)
    COMPARE_GRID = "compare-grid"  # the areas × indicators DataTable inside ``compare-table``
    COMPARE_PERIODS = "compare-periods"
    COMPARE_REAL = "compare-real"  # column chooser: real series
    COMPARE_SYNTHETIC = "compare-synthetic"  # column chooser: synthetic demo indicators
    COMPARE_ONLY_REAL = "compare-only-real"
    COMPARE_ALL_COLUMNS = "compare-all-columns"
    COMPARE_COLUMNS_SUMMARY = "compare-columns-summary"
    COMPARE_SHAPE = "compare-shape"  # download: the table as shown | long format
    COMPARE_NOTE = "compare-note"
    COMPARE_COUNT = "compare-count"  # what is shown and what is hidden, in words
    COMPARE_CELL_INFO = "compare-cell-info"  # the selected cell's reason (keyboard and touch)
    SMALL_MULTIPLES_NOTE = "small-multiples-note"
    SMALL_MULTIPLES_MARK = "small-multiples-mark"  # clientside: the selected area's highlight
    MAP_METRIC = "map-metric"
    EXPORT_TIER = "export-tier"
    EXPORT_PURPOSE = "export-purpose"
    EXPORT_PDF = "export-pdf"
    EXPORT_DOCX = "export-docx"
    EXPORT_CSV = "export-csv"
    EXPORT_XLSX = "export-xlsx"
    EXPORT_DOWNLOAD = "export-download"
    EXPORT_STATUS = "export-status"
    NOTE_EDITOR = "note-editor"
    NOTE_TEXT = "note-text"
    NOTE_INTERNAL = "note-internal"
    NOTE_META = "note-meta"
    NOTE_SAVE = "note-save"
    NOTE_STATUS = "note-status"
    NOTES_SAVED = "notes-saved"  # a store bumped by a save: the lägesbild redraws with the new note
    TREND_CARD = "trend-card"
    # EST samverkan (issue 14): the kommun's weekly meeting, the tertial follow-up, the § 4 document
    EST = "samverkan"  # the section (the header link #samverkan opens it)
    EST_LINK = "est-link"
    EST_KOMMUN = "est-kommun"
    EST_WEEK = "est-week"
    EST_TABS = "est-tabs"
    EST_PRINT = "est-print"
    EST_FLAGS = "est-flags"  # the week's flags (police tier only; events analysis)
    EST_MAP = "est-map"
    EST_OBSERVATIONS = "est-observations"  # partners' observations as a map layer (GeoJSON)
    EST_OBS_LIST = "est-obs-list"
    EST_ACTIONS = "est-actions"  # open actions due
    EST_PLACES = "est-places"  # platser nästa vecka
    EST_PLACE_NAME = "est-place-name"
    EST_PLACE_OWNER = "est-place-owner"
    EST_PLACE_REASON = "est-place-reason"
    EST_PLACE_ADD = "est-place-add"
    EST_PLACE_STATUS = "est-place-status"
    EST_ACTION_PICK = "est-action-pick"  # the ledger on the page: which action
    EST_ACTION_STATE = "est-action-state"  # its new status
    EST_ACTION_DONE = "est-action-done"  # its done date (YYYY-MM-DD; empty: today when 'klar')
    EST_ACTION_SAVE = "est-action-save"
    EST_ACTION_MSG = "est-action-msg"
    EST_PLACES_SAVED = "est-places-saved"  # bumped by an added place: the list redraws
    EST_TERTIAL = "est-tertial"
    EST_FOLLOWUP = "est-followup"
    EST_FOLLOWUP_PDF = "est-followup-pdf"
    EST_FOLLOWUP_DOCX = "est-followup-docx"
    EST_L4_PERIOD = "est-l4-period"
    EST_L4_PDF = "est-l4-pdf"
    EST_L4_DOCX = "est-l4-docx"
    EST_DOWNLOAD = "est-download"
    EST_STATUS = "est-status"
    EST_PRINT_TITLE = "est-print-title"  # kommun and week, shown only on the printed A4
    EST_PRIORITY = "est-priority"  # the tertial's ranking of the kommun's areas (parts shown)
    EST_PRIO_SAVE = "est-prio-save"
    EST_PRIO_STATUS = "est-prio-status"
    EST_OBS_DATE = "est-obs-date"  # one observation entered on the page (kommun accounts too)
    EST_OBS_CATEGORY = "est-obs-category"
    EST_OBS_AREA = "est-obs-area"
    EST_OBS_PLACE = "est-obs-place"
    EST_OBS_ORG = "est-obs-org"
    EST_OBS_ROLE = "est-obs-role"
    EST_OBS_ADD = "est-obs-add"
    EST_OBS_STATUS = "est-obs-status"


#: the generated list of ids for the browser's scripts (loaded first: Dash serves ``assets/`` in
#: alphabetical order and ``_`` sorts before the letters)
JS_PATH = "assets/_ids.js"


def js_source() -> str:
    """``assets/_ids.js``: every :class:`Ids` member as ``window.LAGESBILD_IDS.<NAME>``, so the
    scripts in ``assets/`` never retype an id (a test checks the file equals this; regenerate it
    with ``python ids.py``)."""
    import json

    lines = [f"  {member.name}: {json.dumps(member.value)}," for member in Ids]
    return ("/* Generated from ids.py (python ids.py): every component id the page's scripts use. Do not edit. */\n"
            "window.LAGESBILD_IDS = Object.freeze({\n" + "\n".join(lines) + "\n});\n")


if __name__ == "__main__":
    from pathlib import Path

    (Path(__file__).resolve().parent / JS_PATH).write_text(js_source(), encoding="utf-8")
    print(f"wrote {JS_PATH}")
