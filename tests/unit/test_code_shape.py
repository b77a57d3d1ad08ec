"""No function longer than 80 lines in the packages issue 15 names (ruff's C901/PLR0915 limits in
``pyproject.toml`` bound complexity and statements; this bounds length, which ruff does not).
"""

from __future__ import annotations

import ast

from tests.conftest import ROOT

PACKAGES = ("indicators", "layers", "reports", "services", "callbacks")
MAX_LINES = 80



def long_functions() -> dict[str, int]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > MAX_LINES:
                        out[f"{path.relative_to(ROOT)}::{node.name}"] = length
    return out


def test_no_function_over_80_lines():
    found = long_functions()
    assert not found, f"functions over {MAX_LINES} lines (split them into named steps): {found}"
