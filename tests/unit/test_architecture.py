"""The import graph points one way. Every import of the product's code is walked, those inside
functions included (``ast.walk``), and each must point from a package to one of a lower rank in
:data:`RANKS` — the order the README's architecture section states. No exceptions list: a new
arrow against the order fails here, with the file and line that drew it."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

#: rank of each top-level package or module: imports may only point to a lower rank
RANKS: dict[str, int] = {
    "texts": 0,
    "config": 1, "i18n": 1, "ids": 1,
    "geodata": 2, "indicators": 2,
    "layers": 3, "store": 3,
    "reports": 4,
    "services": 5,
    "layout": 6, "security": 6,
    "callbacks": 7, "commands": 7, "server": 7,
    "cli": 8, "app": 8, "gunicorn.conf": 8,
    "testing": 9,
}
SKIP = {"tests", "bench", ".venv", "instance", "__pycache__"}


def product_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if not SKIP & set(p.relative_to(ROOT).parts))


def owner(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else path.stem


def imports_of(path: Path) -> list[tuple[str, int]]:
    """(top-level module, line) of every absolute import in the file, nested ones included."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name.split(".")[0], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module.split(".")[0], node.lineno))
    return out


def arrows_against_the_order() -> list[str]:
    bad = []
    for path in product_files():
        src = owner(path)
        for target, line in imports_of(path):
            if target == src or target not in RANKS:
                continue  # inside the package, or a third-party / standard library module
            if RANKS[target] >= RANKS[src]:
                bad.append(f"{path.relative_to(ROOT)}:{line}: {src} (rank {RANKS[src]}) imports "
                           f"{target} (rank {RANKS[target]})")
    return bad


def test_every_package_has_a_rank():
    owners = {owner(p) for p in product_files()}
    assert owners <= set(RANKS), sorted(owners - set(RANKS))


def test_every_import_points_down_the_order():
    bad = arrows_against_the_order()
    assert not bad, "\n".join(bad)


def test_the_check_sees_nested_imports(tmp_path):
    """The walker finds an import inside a function (where most back-arrows used to hide)."""
    f = tmp_path / "x.py"
    f.write_text("def f():\n    from security.access import current_principal\n    return current_principal\n")
    assert imports_of(f) == [("security", 2)]


def test_the_pure_core_never_imports_dash():
    core = [p for p in product_files() if owner(p) in ("geodata", "indicators", "layers", "store", "reports")]
    found = [f"{p.relative_to(ROOT)}:{line}" for p in core for mod, line in imports_of(p) if mod == "dash"]
    assert not found, found


def test_no_product_package_imports_testing():
    """``testing/`` is what tests and bench share; the product never imports it."""
    found = [f"{p.relative_to(ROOT)}:{line}" for p in product_files() if owner(p) != "testing"
             for mod, line in imports_of(p) if mod == "testing"]
    assert not found, found
