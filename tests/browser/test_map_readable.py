"""A map you can read: tooltips on every feature, a legend of what is drawn, dots that do not
hide each other, names on the offline map, the organisation's own basemap, and a lägesbild that
counts the hexagons the map shows. Screenshots at 1440×900 and 1024×768."""

from __future__ import annotations

import re
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, running_app

pytestmark = pytest.mark.browser
TIMEOUT = 30000
VIEW = "/?area=74&period=2025-T2&indicator=narkotikabrott&layers=hotspots,events,pois"
SIZES = ((1440, 900), (1024, 768))


def new_page(browser, base: str, width: int, height: int, lang: str = "sv-SE"):
    context = browser.new_context(viewport={"width": width, "height": height}, locale=lang, bypass_csp=True)
    pg = context.new_page()
    pg.console_errors, pg.external_requests = [], []
    pg.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:")
          else pg.external_requests.append(r.url))
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    return pg


def tooltip_of(page, selector: str) -> str:
    """Move the mouse onto a feature of ``selector``, at a point where it is on top (not under the
    legend, a cluster or another layer), and read the tooltip it opens."""
    box = page.locator("#map").bounding_box()
    spot = page.wait_for_function("""([sel, box]) => {
        const els = [...document.querySelectorAll(sel)];
        for (const el of els) {
          const b = el.getBoundingClientRect();
          if (b.width < 3) { continue; }
          for (const fy of [0.5, 0.35, 0.65, 0.25, 0.75]) {
            for (const fx of [0.5, 0.35, 0.65, 0.25, 0.75]) {
              const x = b.x + fx * b.width, y = b.y + fy * b.height;
              if (x < box.x + 60 || x > box.x + box.width - 20 || y < box.y + 20 || y > box.y + box.height - 20) { continue; }
              const top = document.elementFromPoint(x, y);
              if (top && (top === el || el.contains(top))) { return [x, y]; }
            }
          }
        }
        return null; }""", arg=[selector, box], timeout=10000).json_value()
    page.mouse.move(*spot)
    tip = page.locator(".leaflet-tooltip").last
    tip.wait_for(timeout=5000)
    text = tip.inner_text()
    page.mouse.move(1, 1)  # off the map: the tooltip closes
    page.wait_for_function("document.querySelectorAll('.leaflet-tooltip').length === 0", timeout=5000)
    return text


def wait_layers(page):
    page.wait_for_selector("#map.zoom-high path[class*='hotspot-hot']", state="attached", timeout=TIMEOUT)
    page.wait_for_selector("#map .poi-tunnelbana", state="attached", timeout=TIMEOUT)
    page.wait_for_selector("#map path.event-exact, #map .event-cluster", state="attached", timeout=TIMEOUT)
    page.wait_for_selector("#poi-legend .row", timeout=TIMEOUT)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_feature_has_a_tooltip_and_a_legend_entry(browser, live_server, width, height):
    page = new_page(browser, live_server, width, height)
    page.goto(live_server + VIEW)
    wait_layers(page)
    hexagon = tooltip_of(page, "#map path[class*='hotspot-hot']")
    assert re.search(r"Hot spot, 9\d\s?% konfidens", hexagon)  # class
    assert re.search(r"\d+ händelser? · z = −?\d+,\d\d", hexagon)  # count and z, decimal comma
    assert re.search(r"test: (exakt test|normalfördelning)", hexagon)  # the test used
    event = tooltip_of(page, "#map path.event-exact")
    assert event.splitlines()[0] == "Narkotikabrott"  # type (the indicator's name, not its id)
    assert re.search(r"2025-0[5-8]-\d\d \d\d:\d\d", event)  # date in the period
    assert re.search(r"läge: (exakt position|gatunivå)", event)  # precision class
    metro = tooltip_of(page, "#map .poi-tunnelbana")
    assert metro.splitlines()[0] == "Tunnelbaneuppgång" and len(metro.splitlines()) == 2  # kind, name
    bar = tooltip_of(page, "#map .poi-krog")
    assert bar.startswith("Krog (serveringstillstånd)") and "syntetisk" in bar
    # bars and metro exits: two symbols, two legend rows
    shapes = page.eval_on_selector_all("#map .poi .poi-icon", "els => [...new Set(els.map(e => e.className))]")
    assert sorted(shapes) == ["poi-icon poi-shape-diamond", "poi-icon poi-shape-metro"]
    expect(page.locator("#poi-legend")).to_contain_text("Tunnelbaneuppgång")
    expect(page.locator("#poi-legend")).to_contain_text("Krog (serveringstillstånd)")
    expect(page.locator("#event-legend")).to_contain_text("Narkotikabrott")
    page.mouse.move(2, 2)
    page.screenshot(path=str(ARTIFACTS / f"map_readable_{width}x{height}.png"))
    assert page.console_errors == [] and page.external_requests == []
    page.context.close()


def test_tooltips_follow_the_language(browser, live_server):
    page = new_page(browser, live_server, 1440, 900, "en-GB")
    page.goto(live_server + VIEW + "&lang=en")
    wait_layers(page)
    hexagon = tooltip_of(page, "#map path[class*='hotspot-hot']")
    assert re.search(r"Hot spot, 9\d% confidence", hexagon) and re.search(r"test: (exact test|normal approximation)", hexagon)
    assert re.search(r"z = -?\d+\.\d\d", hexagon)
    assert "location: " in tooltip_of(page, "#map path.event-exact")
    assert tooltip_of(page, "#map .poi-tunnelbana").startswith("Metro exit")
    expect(page.locator("#poi-legend")).to_contain_text("Licensed premises")
    page.context.close()


def test_legends_show_only_what_the_map_holds(page, live_server):
    page.goto(live_server)
    page.wait_for_selector("#legend .row", timeout=TIMEOUT)
    legend = page.locator("#legend").inner_text()
    assert "Särskilt utsatt område" in legend and "Utsatt område" in legend
    assert "Riskområde" not in legend  # the 2025 list has none
    page.goto(live_server + "/?list=2023")
    expect(page.locator("#legend")).to_contain_text("Riskområde", timeout=TIMEOUT)  # the 2023 list has 15
    # the hotspot legend: exactly the classes and marks the hexagons carry
    page.goto(live_server + VIEW)
    page.wait_for_selector("#hotspot-legend .row", timeout=TIMEOUT)
    on_map = set(page.eval_on_selector_all(
        "#map path[class*='hotspot-']", "els => els.flatMap(e => e.getAttribute('class').split(' '))"))
    drawn = {c.removeprefix("hotspot-") for c in on_map if c.startswith("hotspot-")}
    drawn |= {c.removeprefix("hs-") for c in on_map if c.startswith("hs-")}
    keys = set(page.eval_on_selector_all("#hotspot-legend .row", "els => els.map(e => e.dataset.key)"))
    assert keys == drawn, (keys, drawn)
    assert page.locator("#legend .row").count() == 0  # the area legend steps aside for the hotspot one


def test_the_lagesbild_counts_the_hexagons_on_the_map(page, live_server):
    page.goto(live_server + VIEW)
    page.wait_for_selector("#map path[class*='hotspot-']", state="attached", timeout=TIMEOUT)
    expect(page.locator("#lagesbild")).to_contain_text("hexagonceller", timeout=TIMEOUT)
    hot = page.locator("#map path.hotspot-hot99, #map path.hotspot-hot95, #map path.hotspot-hot90").count()
    persistent = page.locator("#map path.hs-persistent").count()
    text = page.locator("#lagesbild").inner_text()
    m = re.search(r"(\d+) hexagonceller? (?:är|är en) hotspots? för narkotikabrott", text)
    assert m and int(m.group(1)) == hot, (hot, text)
    for cls in ("99", "95", "90"):
        n = page.locator(f"#map path.hotspot-hot{cls}").count()
        assert (f"{n} med {cls}\xa0%" in text) == (n > 0)
    assert ("svart kant på kartan" in text) == (persistent > 0)
    if persistent:
        assert re.search(rf"Kvarstående hotspots: {persistent} hexagonceller?", text)


def test_national_dots_do_not_hide_each_other(page, live_server):
    page.goto(live_server)
    page.wait_for_selector("#map path.dot-74", state="attached", timeout=TIMEOUT)
    page.wait_for_timeout(500)
    dots = page.eval_on_selector_all("#map path.uo-dot", """els => els.map(e => {
        const b = e.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2, b.width / 2]; })""")
    assert len(dots) == 65
    worst = min(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 - (r1 + r2 - 2)
                for i, (x1, y1, r1) in enumerate(dots) for (x2, y2, r2) in dots[i + 1:])
    assert worst >= 0, f"two dots overlap by {-worst:.1f} px"
    # Rinkeby and Tensta (next door to each other) can both be found and clicked
    for area in ("74", "9"):
        on_top = page.evaluate("""id => { const e = document.querySelector('#map path.dot-' + id);
            const b = e.getBoundingClientRect(); const t = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
            return t === e; }""", area)
        assert on_top, area


def test_region_and_kommun_names_on_the_offline_map(page, live_server):
    page.goto(live_server)
    page.wait_for_selector("#map .label-region", state="attached", timeout=TIMEOUT)
    regions = page.locator("#map .label-region:visible").all_inner_texts()
    assert {"STOCKHOLM", "SYD", "VÄST"} <= {r.strip().upper() for r in regions}
    assert page.locator("#map .label-kommun:visible").count() == 0  # national zoom: regions only
    page.goto(live_server + "/?area=74")
    page.wait_for_function("document.querySelector('#map.zoom-kommun') !== null", timeout=TIMEOUT)
    page.locator("#map .leaflet-control-zoom-out").click()
    page.locator("#map .leaflet-control-zoom-out").click()
    page.locator("#map .leaflet-control-zoom-out").click()
    page.wait_for_timeout(800)
    names = set(page.locator("#map .label-kommun:visible").all_inner_texts())
    assert {"Stockholm", "Sundbyberg"} & names, names
    assert page.locator("#map .label-region:visible").count() == 0


def png(width: int = 256, height: int = 256, grey: int = 200) -> bytes:
    """A valid greyscale PNG (signature, IHDR, IDAT, IEND with their CRCs)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([grey]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class TileHandler(BaseHTTPRequestHandler):
    """Any /z/x/y.png is a grey 256×256 PNG; every request is recorded."""

    PNG = png()

    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        self.seen.append(self.path)
        if re.fullmatch(r"/\d+/\d+/\d+\.png", self.path):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(self.PNG)))
            self.end_headers()
            self.wfile.write(self.PNG)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def tile_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), TileHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def tiled_app(demo_db_path, data_dir, tile_server):
    with running_app(demo_db_path, data_dir, "tiled_server", LAGESBILD_TILE_URL=tile_server + "/{z}/{x}/{y}.png",
                     LAGESBILD_TILE_ATTRIBUTION="© Testkartan") as url:
        yield url


def test_basemap_from_the_organisations_tile_service(browser, tiled_app, tile_server):
    TileHandler.seen.clear()
    context = browser.new_context(viewport={"width": 1440, "height": 900})  # the app's own CSP is enforced
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(tiled_app + "/?area=74")
    page.wait_for_selector(f"#map img.leaflet-tile-loaded[src^='{tile_server}/']", timeout=TIMEOUT)
    page.wait_for_function("""prefix => [...document.querySelectorAll('#map img.leaflet-tile-loaded')]
        .some(img => img.src.startsWith(prefix) && Number(img.src.slice(prefix.length).split('/')[1]) >= 12)""",
                           arg=tile_server, timeout=TIMEOUT)  # the area's zoom, not only the first view
    tiles = [p for p in TileHandler.seen if re.fullmatch(r"/\d+/\d+/\d+\.png", p)]
    assert tiles, TileHandler.seen  # the browser asked our tile server for tiles
    assert max(int(p.split("/")[1]) for p in tiles) >= 12, tiles  # also at the area's zoom
    expect(page.locator("#map .leaflet-control-attribution")).to_contain_text("© Testkartan")
    # the land is not filled over the tiles
    page.wait_for_selector("#map .leaflet-base-pane path", state="attached", timeout=TIMEOUT)
    assert page.eval_on_selector("#map .leaflet-base-pane path", "e => e.getAttribute('fill')") == "none"
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    page.screenshot(path=str(ARTIFACTS / "map_tiles_1440x900.png"))
    context.close()


def test_the_offline_default_asks_no_tile_server(page, live_server):
    page.goto(live_server + "/?area=74")
    page.wait_for_selector("#map path.area-74", state="attached", timeout=TIMEOUT)
    page.wait_for_timeout(500)
    assert page.locator("#map .leaflet-tile").count() == 0
    assert page.locator("#map .leaflet-control-attribution").count() == 0
    assert page.external_requests == []
