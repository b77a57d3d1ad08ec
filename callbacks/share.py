"""The "copy link" button: copies the permalink (the URL holds the whole view)."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, clientside_callback

from ids import Ids

clientside_callback(
    ClientsideFunction(namespace="lagesbild", function_name="copyLink"),
    Output(Ids.COPY_STATUS, "children"),
    Input(Ids.COPY_LINK, "n_clicks"),
    State(Ids.VIEW, "data"),
    prevent_initial_call=True,
)
