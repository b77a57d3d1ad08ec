"""Peak memory of an event import: ``python -m bench.import_memory [--rows 280000 1120000 …]``.

For each size, a Swedish event CSV from :mod:`bench.generate` (280,000 rows ≈ 17.6 MB) is imported
into a fresh copy of a reference store (areas, no demo data) in a fresh process; the table gives
the process's peak RSS before the import (imports loaded, store open) and after it, the import's
own growth, and rows per second. The import reads the file in chunks
(:class:`geodata.points.PointReader`), so its growth should stay flat as the file grows.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"

CHILD = """
import json, resource, sqlite3, sys, time
from pathlib import Path
src, csv, db = sys.argv[1:4]
for s in ("", "-wal", "-shm"):
    Path(db + s).unlink(missing_ok=True)
a, b = sqlite3.connect(src), sqlite3.connect(db)
a.backup(b); a.close(); b.close()
from store.engine import make_engine, migrate
from store.events_import import import_events
import geodata.points, store.queries  # noqa: F401 - loaded before the baseline is taken
e = make_engine(f"sqlite:///{db}")
migrate(e)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter(); rep = import_events(e, csv); secs = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"rows": rep.rows_accepted, "secs": secs, "before_mb": before / 1024, "peak_mb": peak / 1024}))
"""


def reference_store() -> Path:
    """The reference store, built by a child process: this process stays small, because a child's
    peak RSS on Linux starts at its parent's size when it is forked."""
    import os

    db = DATA / "import_reference.sqlite"
    if not db.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "LAGESBILD_DATABASE_URL": f"sqlite:///{db}"}
        subprocess.run([sys.executable, "cli.py", "bootstrap", "--no-demo"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    return db


def measure(rows: int, ref: Path) -> dict:
    csv = DATA / f"events_{rows}.csv"
    if not csv.exists():
        subprocess.run([sys.executable, "-m", "bench.generate", "--events", str(rows), "--events-csv", str(csv)],
                       cwd=ROOT, check=True)
    out = subprocess.run([sys.executable, "-c", CHILD, str(ref), str(csv), str(DATA / "import_memory.sqlite")],
                         cwd=ROOT, check=True, capture_output=True, text=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return {"rows": r["rows"], "file_mb": csv.stat().st_size / 1e6, "before_mb": r["before_mb"],
            "peak_mb": r["peak_mb"], "growth_mb": r["peak_mb"] - r["before_mb"], "rows_per_s": r["rows"] / r["secs"]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, nargs="+", default=[280_000])
    args = p.parse_args(argv)
    ref = reference_store()
    print(f"{'rows':>10} {'file MB':>8} {'RSS before':>11} {'peak RSS':>9} {'growth':>7} {'rows/s':>8}")
    for n in args.rows:
        m = measure(n, ref)
        print(f"{m['rows']:>10,} {m['file_mb']:>8.1f} {m['before_mb']:>9.0f} MB {m['peak_mb']:>6.0f} MB "
              f"{m['growth_mb']:>4.0f} MB {m['rows_per_s']:>8,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
