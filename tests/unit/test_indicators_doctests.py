"""The examples in the indicator modules' docstrings are tests too."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "aggregate",
    "calendar",
    "catalogue",
    "crosssection",
    "priority",
    "cusum",
    "frames",
    "rag",
    "stats",
    "summary",
    "table",
    "targets",
    "texts",
    "weekly",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"indicators.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in indicators.{name}"
