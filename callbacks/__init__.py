"""Thin Dash callbacks, one module per feature (imported once by app.py)."""

from callbacks import (  # noqa: F401
    area_panel,
    compare,
    est,
    export,  # noqa: F401
    language,
    map_layers,
    share,
    view,
)
