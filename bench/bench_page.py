"""Page benchmarks (issue 7): the area click on the server and in Chromium, page weight, time to map.

- server: every callback an area click sets off (the hub, then everything that draws from the
  view), posted to the app's own ``/_dash-update-component`` through Flask's test client; the sum
  per click, p50/p95 over areas the app has not seen before (cold) and again (warm);
- browser: click on an area dot → area title, cards, trend and map restyle all updated, against a
  no-op round trip measured the same way (the Events toggle with no area: hub + empty layer);
- initial transfer: bytes on the wire (compressed) for the first page load;
- time from navigation to the first area drawn on the map: the first visit after the server
  started, and later visits (the server warm, the browser cache still off).
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
    downstream = [d for d in deps if any(i["id"] == "view" and i["property"] == "data" for i in d["inputs"])
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
        total = post(hub, hub_inputs, [{"id": "view", "property": "data", "value": base_view}])
        view = {**base_view, "area": area, "zoom": True, "changed": ["area"]}  # as the hub hands it on
        for dep in downstream:
            inputs = [{**i, "value": view if i["id"] == "view" else ("value" if i["property"] == "value" else None)}
                      for i in dep["inputs"]]
            inputs.sort(key=lambda i: i["id"] != "view")
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


def browser_times(db: Path, period: str, rounds: int = 12) -> dict | None:
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
        subprocess.run([sys.executable, "cli.py", "precompute"], cwd=ROOT, env=env, check=True,
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
            t0 = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("#map path.area-74", state="attached", timeout=60000)
            to_map = (time.perf_counter() - t0) * 1000
            page.wait_for_selector("#area-panel .overview", timeout=60000)
            page.wait_for_timeout(1500)
            transfer = sum(sizes)
            for _ in range(600):  # steady state: the worker's background warm-up has finished
                health = json.loads(urllib.request.urlopen(url + "/healthz", timeout=5).read())
                if health["app"].get("warmup") != "running":
                    break
                time.sleep(0.5)
            # the same navigation once the server is warm (a user's next visit): cache still off
            to_map_warm = []
            for _ in range(5):
                t0 = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("#map path.area-74", state="attached", timeout=60000)
                to_map_warm.append((time.perf_counter() - t0) * 1000)
                page.wait_for_load_state("networkidle")
            # no-op and area click measured in pairs on the same fresh page, so both see the same
            # machine (these machines are shared: a separate no-op series drifts against the clicks)
            noop, click = [], []
            dots = ["1", "3", "5", "16", "26", "33", "42", "60", "13", "14", "7", "2"][:rounds]
            for area in dots:
                page.goto(url)
                page.wait_for_selector("#area-panel .overview", timeout=60000)
                page.wait_for_load_state("networkidle")
                t0 = time.perf_counter()  # no-op: the Events toggle with no area (hub + an empty layer)
                page.click("#events-toggle")
                page.wait_for_function("document.querySelector('#events-toggle').getAttribute('aria-pressed') === 'true'",
                                       timeout=30000)
                page.wait_for_function(_settled_js(), timeout=30000)
                noop.append((time.perf_counter() - t0) * 1000)
                page.click("#events-toggle")  # back off, not timed
                page.wait_for_function("document.querySelector('#events-toggle').getAttribute('aria-pressed') === 'false'",
                                       timeout=30000)
                page.wait_for_function(_settled_js(), timeout=30000)
                page.wait_for_timeout(300)
                t0 = time.perf_counter()
                page.locator(f"#map path.dot-{area}").dispatch_event("click")
                page.wait_for_selector("#area-panel .indicator-card", timeout=60000)
                page.wait_for_function(_settled_js(), timeout=60000)
                click.append((time.perf_counter() - t0) * 1000)
            b.close()
    finally:
        proc.terminate()
        proc.wait(10)
    return {"to_map": to_map, "to_map_warm": to_map_warm, "transfer": transfer, "noop": noop, "click": click, "precompute": precompute_ms}


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
        out += [
            metric("area_click_browser_median (click to all panels updated)", statistics.median(br["click"]), "ms",
                   "<= 2x no-op", floor=statistics.median(br["noop"])),
            metric("initial_page_transfer", br["transfer"] / 1024 / 1024, "MB", "<= 1.5"),
            metric("navigation_to_interactive_map (first visit after the server started)", br["to_map"], "ms"),
            metric("navigation_to_interactive_map_server_warm (median of 5, browser cache off)",
                   statistics.median(br["to_map_warm"]), "ms"),
        ]
        if br["precompute"] is not None:
            out.append(metric("precompute_all_areas (cli.py precompute into Redis)", br["precompute"], "ms"))
    return out
