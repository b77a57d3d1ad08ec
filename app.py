"""Lägesbild — the Dash app. ``python app.py`` serves on LAGESBILD_HOST:LAGESBILD_PORT.

The only Dash instance of the process. Callbacks register through ``dash.callback`` in the
``callbacks`` package, imported once below; nothing imports this module.
"""

from __future__ import annotations

from dash import Dash, dcc

import callbacks  # noqa: F401 - registers every callback
from config import PROJECT_ROOT, settings
from layout.root import serve_layout
from security.access import current_principal
from server import install_server

app = Dash(
    __name__,
    title="Lägesbild",
    assets_folder=str(PROJECT_ROOT / "assets"),
    serve_locally=True,
    compress=True,  # gzip/brotli: the first page load is mostly JavaScript
    update_title=None,
    suppress_callback_exceptions=False,
)
# The page draws only bar and line charts: serve plotly.js's "basic" bundle from assets/vendor
# (350 KB compressed) instead of the full 1.4 MB one. dcc.Graph uses window.Plotly when present.
dcc._js_dist[:] = [d for d in dcc._js_dist if d.get("namespace") != "plotly"]  # noqa: SLF001


def page_layout():
    """The page for the signed-in principal, read here at the edge and passed down as a value."""
    from services.warmup import start_background_warmup

    start_background_warmup()  # once per process: the default view of every area, precomputed
    return serve_layout(principal=current_principal())


app.layout = page_layout
server = app.server

# Swedish first: screen readers read the page as Swedish; the page root's own ``lang`` follows the
# language toggle (callbacks/language.py).
app.index_string = app.index_string.replace("<html>", '<html lang="sv">', 1)


@server.route("/geodata/outlines/<name>.json")
def outline_geojson(name: str):
    """Offline base map outlines (Sweden, police regions, kommuner), fetched by the map itself so
    the page layout stays small."""
    from flask import abort, jsonify

    from services.geo import base_outlines

    outlines = base_outlines()
    if name not in outlines:
        abort(404)
    resp = jsonify(outlines[name])
    resp.headers["Cache-Control"] = "private, max-age=86400"
    return resp


@server.route("/metod")
@server.route("/method")
def method_page():
    """METHODS.md as a page: the rules every verdict follows (linked from the cards, the compare
    view and the reports)."""
    from flask import Response

    from reports.methods import methods_page

    return Response(methods_page(), mimetype="text/html")


install_server(app)

if __name__ == "__main__":
    s = settings()
    app.run(host=s.host, port=s.port, debug=False)
