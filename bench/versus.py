"""Two commits' benchmarks in one run: ``python -m bench.versus REV [--rounds 3] [--only GROUP ...]
[--patch FILE]``.

A refactoring must not make the product slower. This checks out ``REV`` in a temporary git worktree
beside this checkout, gives both the same benchmark data (``bench/data`` linked, so the store is
generated once) and the same interpreter, and runs ``python -m bench.run --only GROUP`` alternately
in each, group by group, the order turned each round (REV then HEAD, then HEAD then REV, …: a run
that slows the one after it, or a machine that speeds up or slows down, touches both alike; an
even number of rounds balances it). A group that fails in one commit is reported as failed there and
the rest goes on. ``--patch FILE`` applies a diff to REV's tree first (a bug fixed since REV that
would stop a group: the comparison is then of everything but that fix).

Prints, per metric, the median over the rounds for each commit, HEAD's ratio to REV, the noise (the
largest relative spread between rounds of the same commit) and, where the metric has a floor
measured in the same run, HEAD's ratio to REV of value/floor (what the machine's speed at that
moment does not move). A ratio inside the noise is no change. Writes ``bench/versus.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = " [floor]"
GROUPS = ["import", "indicators", "hotspots", "page", "app", "report", "compare"]


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _run_bench(tree: Path, scale: str, group: str) -> dict[str, float] | None:
    """One group of ``bench.run`` in ``tree``: its metrics by name (a metric's floor, where it has
    one, as ``name [floor]``), or None when it failed."""
    results = tree / "bench" / "results.json"
    results.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-m", "bench.run", "--scale", scale, "--only", group], cwd=tree,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        print(f"  {group} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
        return None
    out = {}
    for m in json.loads(results.read_text())["metrics"]:
        out[m["name"]] = float(m["value"])
        if m.get("floor"):
            out[m["name"] + FLOOR] = float(m["floor"])
    return out


def spread(values: list[float]) -> float:
    """Largest relative distance between rounds of one commit: (max - min) / median."""
    med = statistics.median(values)
    return (max(values) - min(values)) / med if med else 0.0


def compare(base: dict[str, list[float]], head: dict[str, list[float]]) -> list[dict]:
    """Per metric found in both: medians, head/base ratio and the noise seen between rounds."""
    rows = []
    for name in base:
        if name not in head or name.endswith(FLOOR):
            continue
        b, h = statistics.median(base[name]), statistics.median(head[name])
        rows.append({"name": name, "base": round(b, 2), "head": round(h, 2),
                     "ratio": round(h / b, 2) if b else None,
                     "noise": round(max(spread(base[name]), spread(head[name])), 2),
                     "floor_ratio": _floor_ratio(base, head, name)})
    return rows


def _floor_ratio(base: dict[str, list[float]], head: dict[str, list[float]], name: str) -> float | None:
    """HEAD's median value/floor over REV's (None without floors in every round of both)."""
    f = name + FLOOR
    if any(len(side.get(f, [])) != len(side[name]) for side in (base, head)):
        return None
    rb = statistics.median(v / fl for v, fl in zip(base[name], base[f], strict=True))
    rh = statistics.median(v / fl for v, fl in zip(head[name], head[f], strict=True))
    return round(rh / rb, 2) if rb else None


def print_rows(rows: list[dict], rev: str, head: str) -> None:
    w = max(len(r["name"]) for r in rows)
    print(f"{'metric':{w}}  {rev:>12}  {head:>12}  {'head/rev':>8}  {'noise':>6}  {'per floor':>9}")
    for r in rows:
        fr = "" if r.get("floor_ratio") is None else r["floor_ratio"]
        print(f"{r['name']:{w}}  {r['base']:>12}  {r['head']:>12}  {str(r['ratio']):>8}  {r['noise']:>6}  {fr:>9}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("rev", help="the commit to compare HEAD with")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--scale", default="quick")
    p.add_argument("--only", nargs="*", default=GROUPS, choices=GROUPS)
    p.add_argument("--patch", type=Path, help="a diff applied to REV's tree before it runs")
    args = p.parse_args(argv)
    rev, head = _git("rev-parse", "--short", args.rev), _git("rev-parse", "--short", "HEAD")
    if args.patch:
        rev += "+patch"
    if _git("status", "--porcelain", "--untracked-files=no"):
        head += "+changes"  # the working tree is what runs
    if rev == head:
        raise SystemExit(f"nothing to compare: {args.rev} is this checkout (give --patch, or change the tree)")
    data = ROOT / "bench" / "data"
    data.mkdir(parents=True, exist_ok=True)
    tree = Path(tempfile.mkdtemp(prefix="bench-versus-", dir=ROOT.parent))
    shutil.rmtree(tree)
    _git("worktree", "add", "--detach", str(tree), args.rev)
    try:
        (tree / "bench" / "data").symlink_to(data, target_is_directory=True)
        if args.patch:
            _git("apply", str(args.patch.resolve()), cwd=tree)
        results: dict[str, dict[str, list[float]]] = {rev: {}, head: {}}
        failed: dict[str, list[str]] = {rev: [], head: []}
        for i in range(args.rounds):
            for group in args.only:
                order = ((rev, tree), (head, ROOT))
                for label, where in order if i % 2 == 0 else order[::-1]:
                    print(f"round {i + 1}/{args.rounds}: {group} at {label}", flush=True)
                    got = _run_bench(where, args.scale, group)
                    if got is None:
                        failed[label].append(group)
                    for name, value in (got or {}).items():
                        results[label].setdefault(name, []).append(value)
    finally:
        _git("worktree", "remove", "--force", str(tree))
    rows = compare(results[rev], results[head])
    print_rows(rows, rev, head)
    for label, groups in failed.items():
        if groups:
            print(f"failed at {label}: {', '.join(sorted(set(groups)))}")
    (ROOT / "bench" / "versus.json").write_text(json.dumps(
        {"rev": rev, "head": head, "rounds": args.rounds, "scale": args.scale, "only": args.only,
         "patch": str(args.patch) if args.patch else None, "runs": results, "failed": failed, "rows": rows},
        indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
