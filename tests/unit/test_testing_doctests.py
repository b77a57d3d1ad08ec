"""The examples in the docstrings of ``testing/`` (what tests and bench share) run too."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import testing

MODULES = sorted(m.name for m in pkgutil.iter_modules(testing.__path__, "testing."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
