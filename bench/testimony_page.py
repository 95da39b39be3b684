#!/usr/bin/env python3
"""Benchmark of a testimony's public page, similar testimonies included.

    .venv/bin/python bench/testimony_page.py [--backend sqlite|postgres|both] [--count N]

For each backend it prepares a fresh database (var/bench/testimony_page.sqlite3, or the
PostgreSQL database retex_bench_testimony_page on 127.0.0.1 as user postgres, dropped and
recreated), runs `manage.py migrate`, `manage.py demo`, `manage.py demo --count N --seed 1`
(about 85 % of them published), `ANALYZE` and `manage.py search rebuild`. Then, in a child
process with Django set up once, it requests the pages of `--pages` published testimonies drawn
with a fixed seed through Django's test client (middleware, view, template: everything but the
network):

- cold: the first visit of each page, its similar testimonies not cached yet (computed);
- warm: a second visit of the same pages (similar testimonies read from the cache);
- similar alone: `similar_rows_compute` for the same testimonies (the cold part of a visit).

It prints p50, p95, p99 and max in milliseconds, the SQL statements of one cold and one warm
visit, the slowest pages, the machine, and writes everything to
bench/results/testimony_page-<backend>.json. The cache is the development settings' one
(in-process memory) unless REDIS_URL is set. Target: p95 < 100 ms cold and < 50 ms warm at
100,000 testimonies, on each backend.

With --reuse, a database left by a previous run with --keep is used as it is when it holds
enough testimonies; --skip-rebuild then also skips the index rebuild.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from _common import (
    BACKEND_CHOICES,
    PYTHON,
    RESULTS_DIR,
    ROOT,
    VAR_DIR,
    bench_database_drop,
    bench_database_prepare,
    bench_database_url,
    chosen_backends,
    dev_env,
    latency_summary,
    machine_info,
    query_database,
    run_manage_streaming,
    say,
)

SQLITE_PATH = VAR_DIR / "testimony_page.sqlite3"
PG_DATABASE = "retex_bench_testimony_page"
TARGET_COLD_P95_MS = 100
TARGET_WARM_P95_MS = 50
SEED = 7


@dataclass
class BackendReport:
    backend: str
    database_url: str
    count: int
    published: int = 0
    rebuild_seconds: float | None = None
    pages: int = 0
    cold_ms: dict = field(default_factory=dict)
    warm_ms: dict = field(default_factory=dict)
    cold_cpu_ms: dict = field(default_factory=dict)
    warm_cpu_ms: dict = field(default_factory=dict)
    database_cpu_ms_per_page: dict = field(default_factory=dict)
    similar_ms: dict = field(default_factory=dict)
    cold_queries: int = 0
    warm_queries: int = 0
    similar_found: dict = field(default_factory=dict)
    slowest_cold: list = field(default_factory=list)
    ok: bool = False


def database_url(backend: str) -> str:
    return bench_database_url(backend, SQLITE_PATH, PG_DATABASE)


def prepare(backend: str) -> None:
    bench_database_prepare(backend, SQLITE_PATH, PG_DATABASE)


def drop(backend: str) -> None:
    bench_database_drop(backend, SQLITE_PATH, PG_DATABASE)


def manage(*args: str, env: dict[str, str], echo: bool = False) -> tuple[float, str]:
    return run_manage_streaming(*args, env=env, echo=echo)


ANALYZE_SCRIPT = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""


def published_count(url: str) -> int:
    try:
        rows = query_database(
            url, "SELECT count(*) FROM contributions_testimony WHERE status = %s", ("published",)
        )
    except Exception:  # noqa: BLE001 - no database, or not migrated yet
        return 0
    return rows[0][0]


# --- The child process: Django set up once, one database --------------------------------------


def database_cpu_seconds(connection) -> float | None:
    """CPU time used so far by the PostgreSQL backend serving this connection (from /proc; the
    server runs on this machine). None on SQLite, which runs inside Django's process."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(pages: int) -> dict:
    sys.path.insert(0, str(ROOT))  # this checkout's Retex, whatever is installed
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retex.settings.dev")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from retex.contributions.models import Testimony
    from retex.explore.selectors import published_testimony
    from retex.explore.similar import similar_rows_compute

    ids = list(Testimony.objects.published().order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(SEED).sample(ids, min(pages, len(ids)))
    client = Client()
    cache.clear()

    cpu: dict[str, list[float]] = {"cold": [], "warm": []}

    def visit(pk: int, phase: str = "") -> float:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(f"/temoignages/{pk}/", HTTP_HOST="127.0.0.1")
        elapsed = (time.perf_counter() - started) * 1000
        if phase:
            cpu[phase].append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"/temoignages/{pk}/ answered {response.status_code}")
        return elapsed

    # Warm-up on other testimonies: the database's and the stemmer's caches.
    for pk in random.Random(SEED + 1).sample(ids, min(30, len(ids))):
        visit(pk)
    probe = random.Random(SEED + 2).choice(ids)
    with CaptureQueriesContext(connection) as cold_queries:
        visit(probe)
    with CaptureQueriesContext(connection) as warm_queries:
        visit(probe)
    cold_sql = [query["sql"][:300] for query in cold_queries.captured_queries]
    warm_count = len(warm_queries.captured_queries)

    backend_cpu = {}
    before = database_cpu_seconds(connection)
    cold = {pk: visit(pk, "cold") for pk in chosen}
    middle = database_cpu_seconds(connection)
    warm = {pk: visit(pk, "warm") for pk in chosen}
    after = database_cpu_seconds(connection)
    if before is not None and middle is not None and after is not None:
        backend_cpu = {
            "cold": round((middle - before) * 1000 / len(chosen), 1),
            "warm": round((after - middle) * 1000 / len(chosen), 1),
        }
    similar_times = []
    found = []
    for pk in chosen:
        testimony = published_testimony(pk=pk)
        started = time.perf_counter()
        rows = similar_rows_compute(testimony)
        similar_times.append((time.perf_counter() - started) * 1000)
        found.append(len(rows))
    slowest = sorted(cold.items(), key=lambda item: item[1], reverse=True)[:5]
    return {
        "pages": len(chosen),
        "cold_ms": latency_summary(list(cold.values()), 1),
        "warm_ms": latency_summary(list(warm.values()), 1),
        "similar_ms": latency_summary(similar_times, 1),
        # CPU time of this process only (Django, and SQLite inside it; not PostgreSQL's).
        "cold_cpu_ms": latency_summary(cpu["cold"], 1),
        "warm_cpu_ms": latency_summary(cpu["warm"], 1),
        "database_cpu_ms_per_page": backend_cpu,
        "cold_queries": len(cold_sql),
        "warm_queries": warm_count,
        "similar_found": {str(n): found.count(n) for n in sorted(set(found))},
        "slowest_cold": [{"testimony": pk, "ms": round(ms, 1)} for pk, ms in slowest],
        "cold_sql": cold_sql,
    }


# --- The parent process -----------------------------------------------------------------------


def run_backend(args: argparse.Namespace, backend: str) -> BackendReport:
    say(f"\n== {backend} ==")
    url = args.database_url or database_url(backend)
    env = dev_env(url)
    report = BackendReport(backend=backend, database_url=url, count=args.count)
    existing = published_count(url) if args.reuse or args.database_url else 0
    # A database given by its address is measured as it is, whatever it holds.
    reuse = bool(args.database_url) or existing >= args.count * 0.8
    if args.reuse:
        say(f"  existing database: {existing:,} published" + ("" if reuse else ", starting again"))
    if not reuse:
        prepare(backend)
        seconds, _ = manage("migrate", "--no-input", "-v", "0", env=env)
        say(f"  migrate: {seconds:.1f} s")
        seconds, _ = manage("demo", env=env)
        say(f"  demo: {seconds:.1f} s")
        seconds, _ = manage("demo", "--count", str(args.count), "--seed", "1", env=env)
        say(f"  generated {args.count:,} testimonies in {seconds:.1f} s")
        manage("shell", "-v", "0", "-c", ANALYZE_SCRIPT, env=env)
    else:
        manage("migrate", "--no-input", "-v", "0", env=env)
    report.published = published_count(url)
    if not (reuse and args.skip_rebuild):
        seconds, _ = manage("search", "rebuild", env=env)
        report.rebuild_seconds = round(seconds, 1)
        say(f"  search rebuild: {seconds:.1f} s for {report.published:,} published")
    say(f"  visiting {args.pages} testimony pages, cold then warm…")
    child = subprocess.run(
        [PYTHON, __file__, "--measure", "--pages", str(args.pages)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
    if not lines:
        sys.exit(f"Measuring failed:\n{child.stdout}\n{child.stderr}")
    measured = json.loads(lines[-1])
    cold_sql = measured.pop("cold_sql")
    for key, value in measured.items():
        setattr(report, key, value)
    report.ok = (
        report.cold_ms["p95"] < TARGET_COLD_P95_MS and report.warm_ms["p95"] < TARGET_WARM_P95_MS
    )
    print_report(report, cold_sql if args.verbose else [])
    return report


def print_report(report: BackendReport, cold_sql: list[str]) -> None:
    for name, figures in (
        ("cold (similar computed)", report.cold_ms),
        ("warm (similar cached)", report.warm_ms),
        ("similar alone", report.similar_ms),
        ("cold, CPU of Django", report.cold_cpu_ms),
        ("warm, CPU of Django", report.warm_cpu_ms),
    ):
        say(
            f"  {name:<24} p50 {figures['p50']:6.1f}  p95 {figures['p95']:6.1f}"
            f"  p99 {figures['p99']:6.1f}  max {figures['max']:6.1f} ms"
        )
    if report.database_cpu_ms_per_page:
        say(
            "  PostgreSQL backend CPU per page: "
            f"{report.database_cpu_ms_per_page['cold']} ms cold,"
            f" {report.database_cpu_ms_per_page['warm']} ms warm"
        )
    say(f"  SQL statements: {report.cold_queries} cold, {report.warm_queries} warm")
    say(f"  similar testimonies found (count: pages): {report.similar_found}")
    say(
        "  slowest cold pages: "
        + ", ".join(f"#{item['testimony']} {item['ms']} ms" for item in report.slowest_cold)
    )
    for sql in cold_sql:
        say(f"    {sql}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKEND_CHOICES, default="both")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=300, help="testimony pages visited")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    parser.add_argument("--skip-rebuild", action="store_true", help="with --reuse")
    parser.add_argument(
        "--database-url",
        help="a database already filled (e.g. kept by list_pages.py), with --backend of its kind",
    )
    parser.add_argument("--verbose", action="store_true", help="print a cold visit's SQL")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:  # the child process
        print(json.dumps(measure(args.pages)))
        return

    info = machine_info()
    say(
        f"{info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM;"
        f" Python {info['python']} on {info['platform']};"
        f" load average {' '.join(map(str, info['load_average']))}"
    )
    reports = []
    for backend in chosen_backends(args.backend):
        try:
            reports.append(run_backend(args, backend))
        finally:
            if not args.keep and not args.database_url:
                drop(backend)
    say(f"\n== Summary == (load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    for report in reports:
        say(
            f"{report.backend:<9} {report.published:>9,} published  cold p95"
            f" {report.cold_ms['p95']:6.1f} ms  warm p95 {report.warm_ms['p95']:6.1f} ms"
            f"  {'ok' if report.ok else 'TARGET MISSED'}"
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for report in reports:
        path = RESULTS_DIR / f"testimony_page-{report.backend}.json"
        data = {**asdict(report), "machine": info, "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    if not all(report.ok for report in reports):
        sys.exit(1)


if __name__ == "__main__":
    main()
