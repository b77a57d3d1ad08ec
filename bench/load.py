"""Bounded load and fault test on loopback: ``python -m bench.load [--write-results]``.

Starts gunicorn (``gunicorn.conf.py``, login on, Redis as the shared cache) on a *copy* of the demo
store and lets N simulated users (threads, one keep-alive connection and one account each) click
through the three-click journey for a fixed time:

1. pick an area (``area-search.value``: Järva, Botkyrka, Göteborg areas),
2. show hotspots (``hotspot-toggle.n_clicks``),
3. change the period (``period.value``: 2026-T2, 2026-T1, 2025-T3),

with 0.5–2 s of thinking between clicks. The client is generic: it reads the callbacks from
``/_dash-dependencies`` and the initial props from ``/_dash-layout``, fires the initial callbacks
like the renderer, and after every response fires the callbacks whose inputs changed (up to four
waves, one request at a time per user, so the "click" time is an upper bound of what a browser
with parallel requests sees). Pattern-matching inputs match no component.

Runs: ``sqlite`` (steady), ``postgis`` (steady) and ``fault`` (PostGIS stopped at 20 s and started
again at 30 s). The fault run uses a private PostgreSQL instance (``initdb`` in a temporary
directory, its own port) so stopping it disturbs nothing else on the machine; ``--pg-cluster
15/main --pg-url …`` stops and starts a system cluster with ``pg_ctlcluster`` instead.

Reports per run: requests, throughput, callback latency p50/p95/p99/max, click latency p50/p95,
unexpected errors, the 503 ``database_unavailable`` answers during the outage (what the page shows
as a banner), the time until the first success after PostgreSQL is back, and whether every served
callback was written to the audit log. JSON in ``bench/data/load_results.json``; ``--write-results``
appends a section to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from testing.harness import (  # noqa: E402
    TEST_SECRET,
    HttpClient,
    apply_response,
    callback_body,
    copy_sqlite,
    free_port,
    is_wildcard,
    layout_values,
    parse_id,
    stop_process_tree,
    triggered_by,
    wait_ready,
)

DATA = ROOT / "bench" / "data"
AREAS = ("74", "9", "75", "7", "17", "15", "4", "6", "20")
PERIODS = ("2026-T2", "2026-T1", "2025-T3")
PASSWORD = "load-test-password-1"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
MAX_WAVES = 4


# --------------------------------------------------------------------------- measurements


@dataclass
class Sample:
    t: float  # seconds since the run started
    ms: float
    status: int  # HTTP status, 0 for a transport error
    kind: str  # callback | click | page | login
    what: str = ""
    error: str = ""


@dataclass
class Recorder:
    t0: float
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, s: Sample) -> None:
        with self.lock:
            self.samples.append(s)


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return round(values[lo] + (values[hi] - values[lo]) * (k - lo), 1)


# --------------------------------------------------------------------------- one simulated user


class User(threading.Thread):
    def __init__(self, n: int, url: str, rec: Recorder, stop_at: float, start_delay: float, seed: int):
        super().__init__(name=f"user{n:02d}", daemon=True)
        self.name_ = f"load{n:02d}"
        self.url, self.rec, self.stop_at, self.start_delay = url, rec, stop_at, start_delay
        self.rng = random.Random(seed)
        self.client = HttpClient(url, timeout=60)
        self.deps: list[dict] = []
        self.values: dict = {}

    def now(self) -> float:
        return time.perf_counter() - self.rec.t0

    def timed(self, kind: str, what: str, fn):
        t = self.now()
        t1 = time.perf_counter()
        try:
            status, headers, body = fn()
        except Exception as exc:  # noqa: BLE001 - a transport error is a measured error
            self.rec.add(Sample(t, (time.perf_counter() - t1) * 1000, 0, kind, what, type(exc).__name__))
            return 0, None
        err = ""
        if status >= 400:
            try:
                err = json.loads(body).get("error", "") if body[:1] == b"{" else ""
            except ValueError:
                err = ""
        self.rec.add(Sample(t, (time.perf_counter() - t1) * 1000, status, kind, what, err))
        return status, body

    def load_page(self) -> bool:
        status, _ = self.timed("page", "/", lambda: self.client.get("/", accept="text/html"))
        if status != 200:
            return False
        s1, layout = self.timed("page", "/_dash-layout", lambda: self.client.get("/_dash-layout"))
        s2, deps = self.timed("page", "/_dash-dependencies", lambda: self.client.get("/_dash-dependencies"))
        if s1 != 200 or s2 != 200:
            return False
        self.values = layout_values(json.loads(layout))
        self.deps = [d for d in json.loads(deps) if not d.get("clientside_function")]
        present = {cid for cid, _ in self.values}
        initial = [d for d in self.deps if not d.get("prevent_initial_call")
                   and all(i["id"] in present or is_wildcard(parse_id(i["id"])) for i in d["inputs"])]
        self.run_waves(initial, [], "initial")
        return True

    def fire(self, dep: dict, changed: list[str]) -> list[str]:
        body = callback_body(dep, self.values, changed)
        status, payload = self.timed("callback", dep["output"][:80],
                                     lambda: self.client.post_json("/_dash-update-component", body))
        if status != 200 or not payload:
            return []
        before = dict(self.values)
        changed_now = apply_response(self.values, json.loads(payload))
        return [c for c in changed_now if before.get(tuple(c.rsplit(".", 1))) != self.values[tuple(c.rsplit(".", 1))]]

    def run_waves(self, first: list[dict], changed: list[str], label: str) -> None:
        t = self.now()
        t1 = time.perf_counter()
        wave, fired_by = first, changed
        for _ in range(MAX_WAVES):
            if not wave:
                break
            nxt: list[str] = []
            for dep in wave:
                inputs = {f"{i['id']}.{i['property']}" for i in dep["inputs"]}
                nxt += self.fire(dep, [c for c in fired_by if c in inputs])
            outputs_of_wave = {d["output"] for d in wave}
            fired_by = sorted(set(nxt))
            wave = [d for d in triggered_by(self.deps, fired_by) if d["output"] not in outputs_of_wave]
        self.rec.add(Sample(t, (time.perf_counter() - t1) * 1000, 200, "click", label))

    def click(self, cid: str, prop: str, value) -> None:
        self.values[(cid, prop)] = value
        changed = [f"{cid}.{prop}"]
        self.run_waves(triggered_by(self.deps, changed), changed, f"{cid}.{prop}")

    def think(self) -> None:
        time.sleep(self.rng.uniform(0.5, 2.0))

    def run(self) -> None:
        time.sleep(self.start_delay)
        while self.now() < self.stop_at:
            status, _ = self.timed("login", "/login", lambda: (self.client.login(self.name_, PASSWORD), {}, b""))
            if status == 303 and self.load_page():
                break
            time.sleep(1.0)
        clicks = 0
        while self.now() < self.stop_at:
            self.think()
            self.click("area-search", "value", self.rng.choice(AREAS))
            self.think()
            clicks += 1
            self.click("hotspot-toggle", "n_clicks", clicks)
            self.think()
            self.click("period", "value", self.rng.choice(PERIODS))
        self.client.close()


# --------------------------------------------------------------------------- servers and stores


def run_cli(db_url: str, *args: str, stdin: str | None = None) -> None:
    env = {**os.environ, "LAGESBILD_DATABASE_URL": db_url}
    r = subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True,
                       text=True, timeout=900)
    if r.returncode != 0:
        raise RuntimeError(f"cli.py {' '.join(args)}: {r.stderr.strip()}")


def create_users(db_url: str, n: int) -> None:
    from security.users import create_user
    from store.engine import make_engine

    eng = make_engine(db_url)
    for i in range(n):
        try:
            create_user(eng, f"load{i:02d}", "områdespolis", password=PASSWORD)
        except ValueError:
            pass  # exists from an earlier run
    eng.dispose()


def sqlite_store(work: Path) -> str:
    src = Path(os.environ.get("LAGESBILD_LOAD_SOURCE_DB", ROOT / "instance" / "lagesbild.sqlite"))
    dst = work / "load.sqlite"
    if src.exists():
        copy_sqlite(src, dst)
        url = f"sqlite:///{dst}"
        run_cli(url, "bootstrap")  # migrate the copy if the source is older
    else:
        url = f"sqlite:///{dst}"
        run_cli(url, "bootstrap")
    return url


class PrivatePostgres:
    """A throw-away PostgreSQL+PostGIS instance (initdb as user postgres in a temporary directory)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="lagesbild-load-pg-"))
        self.port = free_port()
        self.data, self.log = self.dir / "data", self.dir / "postgres.log"
        shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(self.dir, 0o700)
        self._pg("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-instructions")

    def _pg(self, tool: str, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / tool), *args], check=True,
                       capture_output=True, text=True, timeout=120)

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class SystemCluster:
    """A Debian cluster (``15/main``) stopped and started with pg_ctlcluster."""

    def __init__(self, spec: str) -> None:
        self.version, self.name = spec.split("/")

    def stop(self) -> None:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "stop"], check=True)

    def start(self) -> None:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "start"], check=True)

    def destroy(self) -> None:
        pass


def postgis_store(admin_url: str, name: str = "lagesbild_load") -> str:
    import sqlalchemy as sa

    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    run_cli(url, "bootstrap", "--no-demo")
    # workaround, reported to the store's owner: events.type is VARCHAR(128) and the DeSO crime
    # tables carry longer offence names, which PostgreSQL (unlike SQLite) refuses
    eng = sa.create_engine(url)
    with eng.begin() as conn:
        width = conn.exec_driver_sql("select character_maximum_length from information_schema.columns "
                                     "where table_name = 'events' and column_name = 'type'").scalar()
        if width is not None and width < 512:
            conn.exec_driver_sql("ALTER TABLE events ALTER COLUMN type TYPE varchar(512)")
    eng.dispose()
    run_cli(url, "demo")
    return url


def start_gunicorn(db_url: str, workers: int, threads: int, redis_url: str | None, log: Path):
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")},
           "LAGESBILD_DATABASE_URL": db_url, "LAGESBILD_AUTH": "local", "LAGESBILD_SECRET_KEY": TEST_SECRET,
           "LAGESBILD_HOST": "127.0.0.1", "LAGESBILD_PORT": str(port), "LAGESBILD_WORKERS": str(workers),
           "LAGESBILD_THREADS": str(threads), "LAGESBILD_LOG_LEVEL": "WARNING"}
    if redis_url:
        env["LAGESBILD_REDIS_URL"] = redis_url
    if os.environ.get("LAGESBILD_DATA_DIR"):
        env["LAGESBILD_DATA_DIR"] = os.environ["LAGESBILD_DATA_DIR"]
    fh = open(log, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py",
                             "app:server"], cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    proc.log_handle = fh
    url = f"http://127.0.0.1:{port}"
    wait_ready(url, proc, timeout=180)
    deadline = time.monotonic() + 180  # every worker has imported the app (no preload)
    while log.read_text(errors="replace").count("lagesbild: worker ready") < workers:
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError(f"gunicorn workers not ready: {log}")
        time.sleep(0.5)
    return proc, url


def stop_gunicorn(proc) -> None:
    stop_process_tree(proc)
    proc.log_handle.close()


def audit_views(db_url: str, since_rows: int = 0) -> int:
    import sqlalchemy as sa

    eng = sa.create_engine(db_url)
    with eng.connect() as conn:
        n = conn.exec_driver_sql("select count(*) from audit_log where action = 'view'").scalar_one()
    eng.dispose()
    return int(n) - since_rows


# --------------------------------------------------------------------------- a run


def run_load(name: str, url: str, users: int, duration: float, fault=None, fault_at: float = 20.0,
             fault_for: float = 10.0) -> dict:
    load_before = os.getloadavg()[0]
    rec = Recorder(t0=time.perf_counter())
    ramp = min(5.0, duration / 6)
    threads = [User(i, url, rec, duration, ramp * i / users, seed=1000 + i) for i in range(users)]
    for t in threads:
        t.start()
    events: dict[str, float] = {}
    if fault is not None:
        time.sleep(fault_at)
        events["stop"] = time.perf_counter() - rec.t0
        fault.stop()
        events["stopped"] = time.perf_counter() - rec.t0
        time.sleep(fault_for)
        events["start"] = time.perf_counter() - rec.t0
        fault.start()
        events["started"] = time.perf_counter() - rec.t0
    for t in threads:
        t.join(duration + 120)
    out = summarise(name, rec.samples, duration, users, events)
    out["loadavg_1min"] = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)}
    return out


def summarise(name: str, samples: list[Sample], duration: float, users: int, events: dict) -> dict:
    cb = [s for s in samples if s.kind == "callback"]
    outage = (events.get("stop", 1e9), events.get("started", -1.0))
    in_outage = [s for s in cb if outage[0] <= s.t <= outage[1] + 0.5]
    banner = [s for s in cb if s.status == 503 and s.error == "database_unavailable"]
    unexpected = [s for s in samples if s.kind != "click" and (s.status == 0 or (s.status >= 400 and not (
        s.status == 503 and s.error == "database_unavailable")))]
    ok = [s for s in cb if s.status in (200, 204)]
    out = {
        "run": name, "users": users, "duration_s": duration,
        "requests": len([s for s in samples if s.kind != "click"]),
        "callbacks": len(cb), "callbacks_ok": len(ok),
        "callbacks_per_s": round(len(cb) / duration, 1),
        "callback_ms": {"p50": pct([s.ms for s in ok], 50), "p95": pct([s.ms for s in ok], 95),
                        "p99": pct([s.ms for s in ok], 99), "max": round(max((s.ms for s in ok), default=0), 1)},
        "click_ms": {"p50": pct([s.ms for s in samples if s.kind == "click" and s.what != "initial"], 50),
                     "p95": pct([s.ms for s in samples if s.kind == "click" and s.what != "initial"], 95)},
        "page_ms": {"p50": pct([s.ms for s in samples if s.kind == "page" and s.status == 200], 50),
                    "p95": pct([s.ms for s in samples if s.kind == "page" and s.status == 200], 95)},
        "unexpected_errors": len(unexpected),
        "unexpected_by_kind": _count([f"{s.status} {s.error} {s.kind} {s.what}"[:70] for s in unexpected]),
        "database_unavailable_503": len(banner),
    }
    by_cb: dict[str, list[float]] = {}
    for s in ok:
        by_cb.setdefault(s.what, []).append(s.ms)
    out["per_callback"] = {k: {"n": len(v), "p50": pct(v, 50), "p95": pct(v, 95)}
                           for k, v in sorted(by_cb.items(), key=lambda kv: -len(kv[1]))}
    if events:
        after = [s for s in cb if s.t >= events["started"] and s.status in (200, 204)]
        out["fault"] = {
            **{k: round(v, 1) for k, v in events.items()},
            "callbacks_during_outage": len(in_outage),
            "ok_during_outage": len([s for s in in_outage if s.status in (200, 204)]),
            "unavailable_during_outage": len([s for s in in_outage if s in banner]),
            "unavailable_after_start": len([s for s in banner if s.t > outage[1] + 0.5]),
            "recovered_after_s": round(min(s.t for s in after) - events["started"], 2) if after else None,
            "errors_after_recovery": len([s for s in cb if s.t > events["started"] + 5
                                          and s.status not in (200, 204)]),
        }
    return out


def _count(items: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in items:
        out[i] = out.get(i, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1])[:10])


def print_summary(r: dict) -> None:
    cm, km = r["callback_ms"], r["click_ms"]
    print(f"\n== {r['run']}: {r['users']} users, {r['duration_s']:.0f} s")
    print(f"   requests {r['requests']}, callbacks {r['callbacks']} ({r['callbacks_per_s']}/s), ok {r['callbacks_ok']}")
    print(f"   callback ms p50 {cm['p50']}  p95 {cm['p95']}  p99 {cm['p99']}  max {cm['max']}")
    print(f"   click ms p50 {km['p50']}  p95 {km['p95']} (sequential chain);  page ms p50 {r['page_ms']['p50']}")
    print(f"   machine load (1 min avg) before {r['loadavg_1min']['before']}, after {r['loadavg_1min']['after']}")
    print(f"   unexpected errors {r['unexpected_errors']} {r['unexpected_by_kind'] or ''}; "
          f"503 database_unavailable {r['database_unavailable_503']}")
    if "fault" in r:
        print(f"   fault: {r['fault']}")
    if "audit" in r:
        print(f"   audit: {r['audit']}")


def write_markdown(results: list[dict], machine: dict, args) -> None:
    lines = [
        "", f"## Load and fault test (`bench/load.py`), {date.today().isoformat()}", "",
        f"gunicorn `gunicorn.conf.py`: {args.workers} workers × {args.threads} threads (gthread), login on "
        f"(`LAGESBILD_AUTH=local`, every callback CSRF-checked and written to the audit log), Redis as the "
        f"shared cache; {args.users} simulated users (threads on the same {machine['cpus']}-core machine as the "
        "server), one account and keep-alive connection each, three-click journey (area → hotspots → period) "
        "with 0.5–2 s thinking, for "
        f"{args.duration:.0f} s. Callbacks are replayed generically from `/_dash-dependencies`; a click's chain "
        "runs one request at a time (an upper bound of what a browser sees).", "",
        "| run | callbacks (per s) | callback p50 / p95 / p99 ms | click p50 / p95 ms | page load p50 ms | "
        "unexpected errors | 503 database_unavailable | machine load before → after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        cm, km, la = r["callback_ms"], r["click_ms"], r["loadavg_1min"]
        lines.append(f"| {r['run']} | {r['callbacks']} ({r['callbacks_per_s']}) | {cm['p50']} / {cm['p95']} / "
                     f"{cm['p99']} | {km['p50']} / {km['p95']} | {r['page_ms']['p50']} | {r['unexpected_errors']} | "
                     f"{r['database_unavailable_503']} | {la['before']} → {la['after']} |")
    lines += ["", "The machine is shared with other jobs (see the load column: 2 cores); the client's 50 threads "
                  "run on the same cores. Absolute latencies vary several-fold between runs; errors do not."]
    audits = [f"{r['run']} {r['audit']['view_rows']} rows / {r['audit']['callbacks_ok']} served"
              for r in results if "audit" in r]
    if audits:
        complete = all(r["audit"]["complete"] for r in results if "audit" in r)
        lines += ["", "Audit log: " + "; ".join(audits) + " — " + (
            "every served callback has its `view` row (written before the callback runs; a few more rows than "
            "successes when the database went away between the audit write and the callback's own query)."
            if complete else "**some served callbacks have no audit row**.")]
    for r in results:
        if "fault" in r:
            f = r["fault"]
            lines += ["", f"Fault run: PostgreSQL stop issued at {f['stop']} s (down at {f['stopped']} s), start issued "
                          f"at {f['start']} s (up at {f['started']} s). Of the {f['callbacks_during_outage']} callbacks "
                          f"answered in that window, {f['unavailable_during_outage']} got 503 `database_unavailable` "
                          f"(the JSON the page shows as a banner) and {f['ok_during_outage']} succeeded (before the "
                          f"server had finished stopping); {f['unavailable_after_start']} more 503s came in the "
                          "seconds after the start while PostgreSQL finished starting up; "
                          f"{'no other error' if r['unexpected_errors'] == 0 else str(r['unexpected_errors']) + ' other errors'}."
                          " The first success came "
                          f"{f['recovered_after_s']} s after PostgreSQL was up, and from 5 s after the start on "
                          f"{f['errors_after_recovery']} errors: service resumed by itself (pool pre-ping), no restart."]
    text = "\n".join(lines) + "\n"
    path = ROOT / "bench" / "RESULTS.md"
    current = path.read_text(encoding="utf-8")
    marker = "\n## Load and fault test (`bench/load.py`)"
    if marker in current:  # replace this tool's own section, leave every other section alone
        head, rest = current.split(marker, 1)
        nxt = rest.find("\n## ")
        tail = rest[nxt:] if nxt >= 0 else ""
        path.write_text(head.rstrip("\n") + "\n" + text + tail, encoding="utf-8")
    else:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", nargs="*", default=["sqlite", "postgis", "fault"], choices=["sqlite", "postgis", "fault"])
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--duration", type=float, default=60.0)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--redis-url", default=os.environ.get("LAGESBILD_LOAD_REDIS_URL", "redis://127.0.0.1:6379/13"))
    p.add_argument("--pg-cluster", help="e.g. 15/main: stop/start this system cluster (with --pg-url) instead "
                                        "of a private instance")
    p.add_argument("--pg-url", help="admin URL of --pg-cluster, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--write-results", action="store_true", help="append a section to bench/RESULTS.md")
    args = p.parse_args(argv)
    from bench.run import machine

    DATA.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="load-", dir=DATA))
    results: list[dict] = []
    pg = None
    try:
        if "sqlite" in args.runs:
            url = sqlite_store(work)
            create_users(url, args.users)
            before = audit_views(url)
            proc, base = start_gunicorn(url, args.workers, args.threads, args.redis_url, work / "sqlite.log")
            try:
                r = run_load("sqlite", base, args.users, args.duration)
            finally:
                stop_gunicorn(proc)
            views = audit_views(url, before)
            r["audit"] = {"view_rows": views, "callbacks_ok": r["callbacks_ok"], "complete": views >= r["callbacks_ok"]}
            print_summary(r)
            results.append(r)
        if {"postgis", "fault"} & set(args.runs):
            if args.pg_cluster:
                if not args.pg_url:
                    p.error("--pg-cluster needs --pg-url")
                pg, admin = SystemCluster(args.pg_cluster), args.pg_url
            else:
                pg = PrivatePostgres()
                pg.start()
                admin = pg.admin_url
            t = time.perf_counter()
            url = postgis_store(admin)
            print(f"PostGIS store ready in {time.perf_counter() - t:.0f} s")
            create_users(url, args.users)
            for name in [n for n in ("postgis", "fault") if n in args.runs]:
                before = audit_views(url)
                proc, base = start_gunicorn(url, args.workers, args.threads, args.redis_url, work / f"{name}.log")
                try:
                    r = run_load(name, base, args.users, args.duration, fault=pg if name == "fault" else None)
                finally:
                    stop_gunicorn(proc)
                views = audit_views(url, before)
                r["audit"] = {"view_rows": views, "callbacks_ok": r["callbacks_ok"],
                              "complete": views >= r["callbacks_ok"]}
                print_summary(r)
                results.append(r)
    finally:
        if pg is not None:
            pg.destroy()
    out = {"machine": machine(), "args": vars(args), "results": results}
    (DATA / "load_results.json").write_text(json.dumps(out, indent=2, ensure_ascii=False))
    if args.write_results:
        write_markdown(results, out["machine"], args)
    shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r["unexpected_errors"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
