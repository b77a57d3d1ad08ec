"""The layout function: read per request (several workers share nothing but the database)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from dash import html

from layout.page import build_page
from services.geo import (
    area_table,
    areas_layer,
    available_list_years,
    default_list_year,
)
from services.page import indicator_options, regions
from services.periods import default_period, landing_period, period_options
from services.real_series import sources


class Viewer(Protocol):
    """What the page needs of the signed-in principal (``security.access.Principal``)."""

    name: str
    tier: str
    kommuner: Collection[str]


def area_search_options(list_year: int, kommuner: tuple[str, ...] | None = None) -> list[dict]:
    """Search box options: name, ort, kommun and LPO are all searchable; value = stable id.

    ``kommuner`` limits the areas to those kommuner (a kommunpartner's grant).
    """
    frame = area_table(list_year)
    if kommuner is not None:
        frame = frame[frame["kommun_kod"].isin(kommuner)]
    options = []
    for r in frame.itertuples():
        extra = " · ".join(str(v) for v in (r.ort or r.kommun, r.lpo) if v and str(v) != "nan")
        options.append({"label": f"{r.name} ({extra})" if extra else r.name, "value": str(r.id),
                        "search": f"{r.name} {r.ort} {r.kommun} {r.lpo}"})
    return options


def serve_layout(lang: str = "sv", principal: Viewer | None = None) -> html.Div:
    """The page for ``principal`` (its name, tier and kommuner; read by ``app.py`` at the edge;
    None: the police tier, nobody signed in)."""
    from reports.disclosure import policy

    kommun_tier = principal is not None and principal.tier == "kommun"
    pol = policy(principal.tier if principal is not None else "police")
    years = available_list_years() if pol.older_lists else [default_list_year()]
    year = default_list_year()
    period = landing_period()
    if not pol.allows_period(period):  # the kommun tier's grid (tertials and years)
        period = pol.grid_period(period, None) or default_period()
    return build_page(
        lang=lang,
        list_years=years,
        list_year=year,
        areas_fc=areas_layer(year),
        periods=[o for o in period_options(lang, current=period) if pol.allows_period(o["value"])],
        period=period,
        area_options=area_search_options(year, tuple(principal.kommuner) if kommun_tier else None),
        indicator_options=indicator_options(lang),
        regions=regions(year),
        user=principal.name if principal is not None and principal.name not in ("demo",) else None,
        kommun_tier=kommun_tier,
        sources=sources(lang),
        est_section=est_section(lang, principal),
    )


def est_section(lang: str, principal):
    """The Samverkan (EST) section for the viewer: a kommun account sees only its kommuner."""
    from layout.est import build_est_section
    from services.context import engine
    from services.est import (
        default_tertial,
        default_week,
        kommun_choices,
        tertial_choices,
        week_choices,
    )

    police = principal is None or principal.tier == "police"
    options = kommun_choices(engine(), None if police else tuple(principal.kommuner))
    values = [o["value"] for o in options]
    kommun = "0180" if "0180" in values else (values[0] if values else None)
    from store.catalogue import OBSERVATION_CATEGORIES
    from store.observations import category_label

    categories = [{"label": category_label(cid, lang), "value": cid} for cid in OBSERVATION_CATEGORIES]
    return build_est_section(lang, options, kommun, week_choices(lang), default_week(),
                             tertial_choices(lang), default_tertial(), police, categories)
