"""Precompute the default view of every area in the background (one thread per worker process).

The first click on an area otherwise pays for its summary (≈ 15 ms at national scale, the first of
a period ≈ 30 ms) and above all for its written lägesbild (hotspots of two periods, nearness tests:
seconds at 5 M events); the landing view's period, comparison and language are known, so each
worker computes them once after it starts. The
results land in the same memoisation the callbacks use (per data version: an import invalidates
them and the next request recomputes on demand).
"""

from __future__ import annotations

import logging
import threading

from texts import LANGS

log = logging.getLogger(__name__)
_started = threading.Event()
START_DELAY_S = 2.0
_done = threading.Event()


def warmup_status() -> str:
    """'idle' (not started in this process), 'running' or 'done'."""
    return "done" if _done.is_set() else ("running" if _started.is_set() else "idle")


def warm_default_views(lang: str = "sv") -> int:
    """Compute the compare table and every area's summary for the default period; returns the count."""
    from services import page
    from services.geo import area_table, default_list_year
    from services.periods import landing_period

    period = landing_period()
    if not period:
        return 0
    year = default_list_year()
    page.compare("alla", period, "prev_year", lang, year)
    n = 0
    ids = area_table(year)["id"].astype(str).tolist()
    for area_id in ids:  # the cards first: they are what the first click shows
        page.summary(area_id, period, "prev_year", lang, None)
        page.sparklines(area_id, period)
        n += 1
    for area_id in ids:  # then the written lägesbild (hotspots of two periods, nearness tests)
        page.lagesbild(area_id, period, "prev_year", lang, "police")
    other = next(code for code in LANGS if code != lang)
    for area_id in ids:  # and the other language (the language toggle is one click)
        page.summary(area_id, period, "prev_year", other, None)
    for area_id in ids:
        page.lagesbild(area_id, period, "prev_year", other, "police")
    return n


def start_background_warmup() -> None:
    """Start the warm-up once per process (no-op afterwards)."""
    if _started.is_set():
        return
    _started.set()

    def run() -> None:
        try:
            n = warm_default_views()
            log.info("warm-up done: %d area summaries", n)
        except Exception:  # noqa: BLE001 - warm-up is an optimisation; the request path recomputes
            log.exception("warm-up failed")
        finally:
            _done.set()

    # a moment after the first page: that page's own requests go first (the warm-up holds the GIL
    # for seconds and made the first visit wait for it)
    timer = threading.Timer(START_DELAY_S, run)
    timer.name, timer.daemon = "lagesbild-warmup", True
    timer.start()
