"""Report benchmarks (issue 5): the lägesbild PDF for one area, and a batch for a whole region.

- one area, cold: the store's and the layers' caches cleared (the export button on an area nobody
  has looked at since the last import), gather + 4P + map + charts + PDF; floor: the store reads
  alone (summary, hotspot layers, values) — what any report must at least cost;
- one area, warm: the same with the caches as the page leaves them (the user had the area open);
- one area in a fresh process (``python cli.py report``: imports, fonts and all);
- kommun tier and DOCX for the same area;
- a batch: every area of the area's police region, one PDF each (``cli.py report --region --split``);
- the same region as ONE PDF with a contents page (``cli.py report --region``), beside the batch
  of separate PDFs measured in the same run (the contents page needs a second layout pass).

``run(db_path, scale)`` returns ``bench.run.metric`` dicts; ``python -m bench.run --only report``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import metric, timed

ROOT = Path(__file__).resolve().parents[1]
AREA = "74"


def _clear_caches() -> None:
    from services import indicators as svc_ind
    from services import layers as svc_layers
    from services import reports as svc_rep

    for f in (svc_ind._values, svc_ind._static, svc_layers._hotspot_layer, svc_layers._regions,
              svc_rep._area_polys):
        f.cache_clear()


def run(db_path: Path, scale: str) -> list[dict]:
    os.environ["LAGESBILD_DATABASE_URL"] = f"sqlite:///{db_path}"
    from config import settings

    settings.cache_clear()
    from services.context import engine
    from services.indicators import area_summary_json
    from services.periods import default_period
    from services.reports import export_report, gather, region_batch, region_book, render
    from store.queries import areas_frame

    eng = engine()
    period = default_period()
    areas = areas_frame(eng)
    latest = areas[areas["list_year"] == areas["list_year"].max()]
    area = AREA if AREA in set(latest["id"]) else str(latest["id"].iloc[0])
    region = str(latest.loc[latest["id"] == area, "region"].iloc[0])
    export_report(area, period, "pdf", engine=eng)  # imports, fonts, matplotlib set up once

    def cold_pdf():
        _clear_caches()
        return export_report(area, period, "pdf", engine=eng)

    def floor_reads():
        from services.layers import hotspot_layer
        from store.queries import values_frame

        _clear_caches()
        s = area_summary_json(eng, area, period)
        hotspot_layer(area, period)
        values_frame(eng, area_ids=[area])
        return s

    t_cold, pdf = timed(cold_pdf, 5)
    t_floor, _ = timed(floor_reads, 5)
    t_warm, _ = timed(lambda: export_report(area, period, "pdf", engine=eng), 5)
    data = gather(area, period, engine=eng)
    t_render, _ = timed(lambda: render(data, "pdf"), 5)
    t_kommun, _ = timed(lambda: export_report(area, period, "pdf", "kommun", engine=eng), 3)
    t_docx, _ = timed(lambda: export_report(area, period, "docx", engine=eng), 3)

    env = {**os.environ, "LAGESBILD_DATABASE_URL": f"sqlite:///{db_path}"}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "cli.py", "report", "--area", area, "--period", period, "--out",
                        str(Path(tmp) / "r.pdf"), "--author", "bench"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        t_process = (time.perf_counter() - t0) * 1000
        _clear_caches()
        t0 = time.perf_counter()
        paths = region_batch(region, period, Path(tmp) / "batch", "pdf", engine=eng)
        t_batch = (time.perf_counter() - t0) * 1000
        size_kb = sum(p.stat().st_size for p in paths) / 1024 / max(len(paths), 1)
        t0 = time.perf_counter()
        book = region_book(region, period, "pdf", engine=eng)
        t_book = (time.perf_counter() - t0) * 1000
    n = len(paths)
    return [
        metric(f"report_pdf_one_area_cold ({area}, {period}, {len(pdf.content) // 1024} KB)", t_cold, "ms",
               "<= 3000", floor=t_floor),
        metric("report_pdf_one_area_warm (summary and layers cached)", t_warm, "ms", "<= 3000",
               floor=t_render),
        metric("report_pdf_one_area_fresh_process (cli.py report)", t_process, "ms", None),
        metric("report_pdf_kommun_tier_one_area_warm", t_kommun, "ms", "<= 3000"),
        metric("report_docx_one_area_warm", t_docx, "ms", "<= 3000"),
        metric(f"report_pdf_batch_region_{region} ({n} areas, {size_kb:.0f} KB each)", t_batch, "ms", None),
        metric(f"report_pdf_batch_region_{region}_per_area", t_batch / max(n, 1), "ms", "<= 3000"),
        metric(f"report_pdf_region_{region}_one_file_with_contents ({n} areas, {len(book.content) // 1024} KB)",
               t_book, "ms", None, floor=t_batch),
    ]


if __name__ == "__main__":  # python -m bench.bench_report [DB]
    from bench.run import print_table

    db = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "instance" / "lagesbild.sqlite"
    print_table(run(db, "quick"))
