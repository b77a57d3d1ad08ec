"""Page benchmarks (issues 7 and 13): clicks on the server and in Chromium, page weight, time to map.

- server: every callback an area click sets off (the hub, then everything that draws from the
  view), posted to the app's own ``/_dash-update-component`` through Flask's test client; the sum
  per click, p50/p95 over areas the app has not seen before (cold) and again (warm);
- browser, the whole journey (issue 13, item 9): area, card → trend, hotspots, events, hotspot
  method switch, language — each click timed until everything it changes is drawn and nothing is
  loading, against a no-op measured on the same page just before it in the same round (the Events
  toggle with no area: the hub and an empty layer); the goal is ≤ 2× the no-op;
- initial transfer: bytes on the wire (compressed) for the first page load;
- navigation to a usable map (the area dots drawn and the hub answered): the first visit after the
  server started (goal ≤ 1.5 s) and later visits, the server warm, the browser cache off (≤ 1.0 s).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.run import metric

ROOT = Path(__file__).resolve().parents[1]


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def _outputs_of(dep: dict) -> list[dict]:
    out = dep["output"].strip(".")
    parts = out.split("...") if "..." in out else [out]
    res = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        res.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop})
    return res


def server_times(db: Path, areas: list[str], period: str) -> dict:
    os.environ["LAGESBILD_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("LAGESBILD_AUTH", "none")
    from config import settings

    settings.cache_clear()
    from app import app

    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    hub = next(d for d in deps if d["output"].startswith("..view.data"))
    views = ("view", "panel-view", "lagesbild-view")  # the hub's view and the panels' filtered views
    downstream = [d for d in deps if any(i["id"] in views and i["property"] == "data" for i in d["inputs"])
                  and not d.get("clientside_function")]
    base_view = {"area": None, "indicator": None, "period": period, "cmp": "prev_year", "layers": [], "list": None,
                 "region": None, "lang": "sv", "zoom": False}

    def post(dep: dict, inputs: list[dict], state: list[dict]) -> float:
        outs = _outputs_of(dep)
        body = {"output": dep["output"], "outputs": outs[0] if len(outs) == 1 else outs, "inputs": inputs, "state": state,
                "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"]}
        t0 = time.perf_counter()
        r = client.post("/_dash-update-component", json=body)
        dt = (time.perf_counter() - t0) * 1000
        if r.status_code not in (200, 204):
            raise RuntimeError(f"{dep['output']}: HTTP {r.status_code} {r.get_data(as_text=True)[:200]}")
        return dt

    def click(area: str) -> float:
        # the hub, as when the search box picks the area
        hub_inputs = []
        for i in hub["inputs"]:
            value = None
            if i["id"] == "area-search":
                value = area
            elif i["id"] == "period":
                value = period
            elif i["id"] == "comparison":
                value = "prev_year"
            elif i["id"] == "period-kind":
                value = "tertial"
            hub_inputs.append({**i, "value": value} if not str(i["id"]).startswith("{") else {**i, "value": []})
        hub_inputs.insert(0, hub_inputs.pop(next(k for k, i in enumerate(hub_inputs) if i["id"] == "area-search")))
        state = [{**st, "value": base_view if st["id"] == "view" else None} for st in hub["state"]]
        total = post(hub, hub_inputs, state)
        view = {**base_view, "area": area, "zoom": True, "changed": ["area"]}  # as the hub hands it on
        for dep in downstream:
            inputs = [{**i, "value": view if i["id"] in views else ("value" if i["property"] == "value" else None)}
                      for i in dep["inputs"]]
            inputs.sort(key=lambda i: i["id"] not in views)
            state = [{**s, "value": None} for s in dep["state"]]
            total += post(dep, inputs, state)
        return total

    cold = [click(a) for a in areas]
    warm = [click(a) for a in areas]
    return {"cold": cold, "warm": warm, "callbacks": 1 + len(downstream)}


def _settled_js() -> str:
    """True when no Dash component is waiting for a callback."""
    return "document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: the journey's clicks, in the order a user makes them (issue 13, item 9)
JOURNEY = ("area", "card_trend", "hotspots", "events", "method_switch", "language")


def _usable_js() -> str:
    """The map is usable: the area dots are drawn and the hub has answered (a click would work)."""
    return ("document.querySelectorAll('#map path[class*=\"dot-\"]').length > 0"
            " && (document.getElementById('period-latest') || {textContent: ''}).textContent.includes(':')")


def _timed(page, action, done_js: str, timeout: int = 60000) -> float:
    """Milliseconds from ``action()`` until ``done_js`` holds and no Dash component is loading."""
    t0 = time.perf_counter()
    action()
    page.wait_for_function(done_js, timeout=timeout)
    page.wait_for_function(_settled_js(), timeout=timeout)
    return (time.perf_counter() - t0) * 1000


def _noop(page) -> float:
    """The paired floor: the Events toggle with no area chosen (the hub and an empty layer: one
    round trip through the same machinery, nothing to compute or draw)."""
    ms = _timed(page, lambda: page.click("#events-toggle"),
                "document.querySelector('#events-toggle').getAttribute('aria-pressed') === 'true'")
    page.click("#events-toggle")  # back off, not timed
    page.wait_for_function("document.querySelector('#events-toggle').getAttribute('aria-pressed') === 'false'",
                           timeout=30000)
    page.wait_for_function(_settled_js(), timeout=30000)
    page.wait_for_timeout(300)
    return ms


def _journey(page, url: str, area: str) -> dict[str, float]:
    """One round: a fresh landing page, the no-op, then every click of the journey, each timed
    from the click to everything it changes drawn (and nothing loading)."""
    page.goto(url)
    page.wait_for_function(_usable_js(), timeout=60000)
    page.wait_for_selector("#area-panel .overview", timeout=60000)
    page.wait_for_load_state("networkidle")
    out = {"noop": _noop(page)}
    out["area"] = _timed(page, lambda: page.locator(f"#map path.dot-{area}").dispatch_event("click"),
                         "document.querySelectorAll('#area-panel .indicator-card').length > 0")
    page.wait_for_timeout(300)
    card = page.locator("#area-panel .indicator-card").nth(2)
    chosen = card.get_attribute("data-indicator")
    out["card_trend"] = _timed(page, card.click,
                               f"!!document.querySelector('.indicator-card.selected[data-indicator=\"{chosen}\"]')"
                               " && !!document.querySelector('#trend .gtitle')"
                               " && !document.getElementById('trend-card').classList.contains('idle')")
    page.wait_for_timeout(300)
    out["hotspots"] = _timed(page, lambda: page.click("#hotspot-toggle"),
                             "document.querySelector('#hotspot-toggle').getAttribute('aria-pressed') === 'true'"
                             " && document.querySelector('#hotspot-card').textContent.length > 0")
    page.wait_for_timeout(300)
    out["events"] = _timed(page, lambda: page.click("#events-toggle"),
                           "document.querySelector('#events-toggle').getAttribute('aria-pressed') === 'true'")
    page.wait_for_timeout(300)
    page.click("#hotspot-method")  # open the list (not timed): the switch is the choice
    option = page.get_by_role("option", name="Täthet (kärnskattning)")
    option.wait_for(timeout=30000)
    out["method_switch"] = _timed(page, option.click, "location.search.includes('hs=kde')"
                                  " && !!document.querySelector('#map path[class*=\"density-\"]')"
                                  " && document.querySelector('#hotspot-card').textContent.length > 0")
    page.wait_for_timeout(300)
    out["language"] = _timed(page, lambda: page.click("#lang"),
                             "document.querySelector('h1').textContent.startsWith('Situation picture')"
                             " && document.getElementById('page').lang === 'en'")
    return out


def browser_times(db: Path, period: str, rounds: int = 7) -> dict | None:
    exe = shutil.which("chromium")
    if not exe:
        print("bench_page: chromium not installed; browser metrics skipped")
        return None
    from playwright.sync_api import sync_playwright

    port = _free_port()
    # as in production: Redis shared by the workers, filled by the scheduled `cli.py precompute`
    env = {**os.environ, "LAGESBILD_DATABASE_URL": f"sqlite:///{db}", "LAGESBILD_PORT": str(port), "LAGESBILD_AUTH": "none",
           "LAGESBILD_REDIS_URL": os.environ.get("LAGESBILD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")}
    precompute_ms = None
    try:
        import redis

        redis.Redis.from_url(env["LAGESBILD_REDIS_URL"]).flushdb()
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "cli.py", "precompute", "--period", period], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        precompute_ms = (time.perf_counter() - t0) * 1000
    except Exception as exc:  # noqa: BLE001 - no Redis here: measure without the shared cache
        print(f"bench_page: no Redis ({exc}); browser clicks measured without precompute")
        env.pop("LAGESBILD_REDIS_URL")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_dash-layout", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            ctx = b.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=True)
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            sizes: list[int] = []
            cdp.on("Network.loadingFinished", lambda e: sizes.append(int(e.get("encodedDataLength", 0))))
            start = f"{url}/?period={period}"
            to_map = _timed(page, lambda: page.goto(start), _usable_js())  # the first visit after the start
            page.wait_for_selector("#area-panel .overview", timeout=60000)
            page.wait_for_timeout(1500)
            transfer = sum(sizes)
            for _ in range(600):  # steady state: the worker's background warm-up has finished
                health = json.loads(urllib.request.urlopen(url + "/healthz", timeout=5).read())
                if health["app"].get("warmup") != "running":
                    break
                time.sleep(0.5)
            # the same navigation once the server is warm (a user's next visit): browser cache still off
            to_map_warm = []
            for _ in range(5):
                to_map_warm.append(_timed(page, lambda: page.goto(start), _usable_js()))
                page.wait_for_load_state("networkidle")
            # every click of the journey against a no-op measured on the same page just before it
            # (these machines are shared: a separate no-op series drifts against the clicks)
            areas = ["1", "3", "5", "16", "26", "33", "42", "60", "13", "14", "7", "2"][:rounds]
            runs = [_journey(page, start, a) for a in areas]
            b.close()
    finally:
        proc.terminate()
        proc.wait(10)
    return {"to_map": to_map, "to_map_warm": to_map_warm, "transfer": transfer, "runs": runs,
            "precompute": precompute_ms}


def run(db_path: Path, scale: str) -> list[dict]:
    from indicators.calendar import latest_complete
    from services.periods import frontier_ids
    from store.engine import make_engine
    from store.queries import areas_frame, catalogue_frame

    eng = make_engine(f"sqlite:///{db_path}")
    cat = catalogue_frame(eng)
    period = latest_complete(cat, "tertial", indicator_ids=frontier_ids(cat)).label
    areas = areas_frame(eng, 2025)["id"].astype(str).tolist()
    eng.dispose()
    cold_group, warm_group = areas[:25], areas[25:50]
    st = server_times(db_path, cold_group, period)  # areas nobody has looked at, nothing precomputed
    from services.warmup import warm_default_views

    t0 = time.perf_counter()
    warm_default_views()  # what each worker does in the background when it starts
    warmup_s = time.perf_counter() - t0
    after = server_times(db_path, warm_group, period)  # first clicks on other areas, after the warm-up
    out = [
        metric(f"area_click_server_p95_no_precompute ({st['callbacks']} callbacks, {len(cold_group)} areas never seen)",
               _p(st["cold"], 0.95), "ms", "<= 60", floor=_p(st["cold"], 0.5)),
        metric(f"area_click_server_p95_after_startup_warmup (first clicks, {len(warm_group)} other areas)",
               _p(after["cold"], 0.95), "ms", "<= 60", floor=_p(after["cold"], 0.5)),
        metric("area_click_server_p95_repeat", _p(after["warm"], 0.95), "ms", "<= 60", floor=_p(after["warm"], 0.5)),
        metric("startup_warmup_all_areas (background thread per worker)", warmup_s * 1000, "ms"),
    ]
    br = browser_times(db_path, period)
    if br:
        noop = statistics.median(r["noop"] for r in br["runs"])
        for step in JOURNEY:  # each click's median, its floor the median of the no-ops paired with it
            out.append(metric(f"journey_{step}_browser_median (click to everything it changes drawn, "
                              f"{len(br['runs'])} rounds)", statistics.median(r[step] for r in br["runs"]), "ms",
                              "<= 2x no-op", floor=noop))
            out[-1]["ratio_paired_median"] = round(statistics.median(r[step] / r["noop"] for r in br["runs"]), 2)
        out += [
            metric("initial_page_transfer", br["transfer"] / 1024 / 1024, "MB", "<= 1.5"),
            metric("navigation_to_usable_map (first visit after the server started)", br["to_map"], "ms", "<= 1500"),
            metric("navigation_to_usable_map_server_warm (median of 5, browser cache off)",
                   statistics.median(br["to_map_warm"]), "ms", "<= 1000"),
        ]
        if br["precompute"] is not None:
            out.append(metric("precompute_all_areas (cli.py precompute into Redis)", br["precompute"], "ms"))
    return out
