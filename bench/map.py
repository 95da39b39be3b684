#!/usr/bin/env python3
"""Benchmark of the map of testimonies: response time of the map page behind gunicorn.

    .venv/bin/python bench/map.py [--backend sqlite|postgres|both] [--count N] [--requests N]

For each backend it prepares a fresh database (var/bench/map/map.sqlite3, or the PostgreSQL
database retex_bench_map on 127.0.0.1, dropped and recreated), runs `migrate`, `demo` (the
territories reference with its département outlines, the demo consultation) and
`demo --count N --seed 1` (N generated testimonies, about 85 % published: the default 118,000
gives 100,000 published), then `ANALYZE`
and `collectstatic`. gunicorn (2 sync workers, production settings, on a free loopback port)
then serves sequential GET requests of /consultations/<demo>/carte/, unfiltered and with the
list's filters (a theme, a région, a population band, a département), kept-alive from one
client, one case after the other. It prints client-side p50, p95, p99 and max per case and
overall, the server's CPU time per request (the gunicorn processes, and on PostgreSQL the
bench database's backends, from /proc: a figure that holds when other work shares the
machine), the page size and the number of circles, and writes them to
bench/results/map-<backend>.json. `--database-url URL` measures a database filled and indexed
elsewhere (e.g. kept by bench/list_pages.py --keep) instead of generating one.

Target: p95 < 200 ms at 100,000 published testimonies, on each backend.
"""

import argparse
import http.client
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from _common import (
    BACKEND_CHOICES,
    DEV_SETTINGS,
    PG_SERVER,
    PROD_SETTINGS,
    RESULTS_DIR,
    VAR_DIR,
    Gunicorn,
    bench_database_drop,
    chosen_backends,
    isolated_env,
    latency_summary,
    load_average,
    machine_info,
    prepare_postgres,
    prepare_sqlite,
    query_database,
    run_manage,
    say,
)

MAP_VAR_DIR = VAR_DIR / "map"
SQLITE_PATH = MAP_VAR_DIR / "map.sqlite3"
PG_DATABASE = "retex_bench_map"
SLUG = "gestion-de-crise-et-numerique"
P95_TARGET_MS = 200
REQUEST_TIMEOUT = 60


@dataclass
class Case:
    name: str
    query: str
    latency_ms: dict = field(default_factory=dict)
    errors: int = 0
    bytes: int = 0
    circles: int = 0
    departements: int = 0
    cpu_ms_per_request: float = 0.0


@dataclass
class BackendReport:
    backend: str
    database_url: str
    count: int
    published: int = 0
    prepare_seconds: float = 0.0
    first_response_ms: float = 0.0
    overall_ms: dict = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)
    ok: bool = False


def base_env(database_url: str) -> dict[str, str]:
    return isolated_env(database_url, MAP_VAR_DIR)


def manage(database_url: str, *args: str, production: bool = False, timeout: float = 1800):
    settings = PROD_SETTINGS if production else DEV_SETTINGS
    seconds, output = run_manage(
        *args, env=base_env(database_url) | settings, label=" ".join(args[:2]), timeout=timeout
    )
    return seconds, output


def database_url_for(backend: str, fresh: bool) -> str:
    MAP_VAR_DIR.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        return prepare_sqlite(SQLITE_PATH) if fresh else f"sqlite:///{SQLITE_PATH}"
    return prepare_postgres(PG_SERVER, PG_DATABASE) if fresh else f"{PG_SERVER}/{PG_DATABASE}"


def published_count(database_url: str) -> int:
    try:
        rows = query_database(
            database_url,
            "SELECT COUNT(*) FROM contributions_testimony WHERE status = %s",
            ("published",),
        )
    except Exception:  # noqa: BLE001 - no database or no table yet: nothing to reuse
        return 0
    return rows[0][0]


def analyze(database_url: str) -> None:
    if database_url.startswith("sqlite:///"):
        query_database(database_url, "ANALYZE")
    else:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute("ANALYZE")


def prepare(args: argparse.Namespace, backend: str) -> tuple[str, float]:
    started = time.perf_counter()
    count, reuse = args.count, args.reuse
    if args.database_url:
        # A database filled and indexed elsewhere (bench/list_pages.py --keep): only migrate.
        manage(args.database_url, "migrate", "--no-input", "-v", "0")
        manage(args.database_url, "collectstatic", "--no-input", "-v", "0", production=True)
        return args.database_url, time.perf_counter() - started
    if reuse:
        database_url = database_url_for(backend, fresh=False)
        found = published_count(database_url)
        if found >= count * 0.5:
            say(f"  reusing the database: {found:,} published testimonies")
            manage(database_url, "migrate", "--no-input", "-v", "0")
            manage(database_url, "collectstatic", "--no-input", "-v", "0", production=True)
            return database_url, time.perf_counter() - started
        say(f"  the kept database has {found:,} published testimonies: starting again")
    database_url = database_url_for(backend, fresh=True)
    seconds, _ = manage(database_url, "migrate", "--no-input", "-v", "0")
    say(f"  migrate: {seconds:.1f} s")
    seconds, _ = manage(database_url, "demo")
    say(f"  demo (territories and their outlines, demo consultation): {seconds:.1f} s")
    seconds, _ = manage(database_url, "demo", "--count", str(count), "--seed", "1")
    say(f"  demo --count {count:,}: {seconds:.1f} s")
    analyze(database_url)
    manage(database_url, "collectstatic", "--no-input", "-v", "0", production=True)
    return database_url, time.perf_counter() - started


def cases(database_url: str) -> list[Case]:
    """The unfiltered map, then the list's filters that narrow it the most and the least."""
    theme = query_database(
        database_url,
        "SELECT t.id FROM consultations_theme t JOIN consultations_consultation c"
        " ON c.id = t.consultation_id WHERE c.slug = %s ORDER BY t.position, t.id",
        (SLUG,),
    )[0][0]
    return [
        Case("all", ""),
        Case("theme", f"theme={theme}"),
        Case("region", "region=32"),  # Hauts-de-France
        Case("band", "band=20k-50k"),
        Case("departement", "departement=60"),
        # A word found in about a quarter of the testimonies (the list's "see them on a map").
        Case("search", "q=t%C3%A9l%C3%A9travail"),
    ]


def path_of(case: Case) -> str:
    return f"/consultations/{SLUG}/carte/" + (f"?{case.query}" if case.query else "")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0 when it is gone)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = raw[raw.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                raw = (entry / "stat").read_text()
            except OSError:
                continue
            if int(raw[raw.rindex(")") + 2 :].split()[1]) == parent:
                found.append(int(entry.name))
    return found


def _server_cpu(gunicorn_pid: int, database_url: str) -> dict[int, float]:
    """CPU seconds of the gunicorn tree and, on PostgreSQL, of the bench database's backends:
    what one map costs whatever else the machine runs."""
    pids = [gunicorn_pid, *_children(gunicorn_pid)]
    if not database_url.startswith("sqlite:///"):
        pids += [
            row[0]
            for row in query_database(
                database_url,
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (database_url.rsplit("/", 1)[1],),
            )
        ]
    return {pid: _cpu_seconds(pid) for pid in pids}


def measure(
    server: Gunicorn, database_url: str, case_list: list[Case], requests: int, warmup: int
) -> list[float]:
    """Each case in turn: warm-up requests, then measured ones, on one kept-alive connection;
    the server's CPU time is read around the measured ones."""
    assert server.process is not None
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
    every = []
    try:
        for case in case_list:
            timings = []
            before: dict[int, float] = {}
            for number in range(warmup + requests):
                if number == warmup:
                    before = _server_cpu(server.process.pid, database_url)
                started = time.perf_counter()
                connection.request("GET", path_of(case))
                response = connection.getresponse()
                body = response.read()
                elapsed_ms = (time.perf_counter() - started) * 1000
                if response.status != 200:
                    case.errors += 1
                    continue
                if number < warmup:
                    text = body.decode()
                    case.bytes = len(body)
                    case.circles = len(re.findall(r"<circle cx", text)) - 1  # the legend's
                    case.departements = len(re.findall(r'<a href="[^"]*departement=', text))
                    continue
                timings.append(elapsed_ms)
            after = _server_cpu(server.process.pid, database_url)
            spent = sum(max(0.0, seconds - before.get(pid, 0.0)) for pid, seconds in after.items())
            case.cpu_ms_per_request = round(1000 * spent / max(len(timings), 1), 1)
            case.latency_ms = latency_summary(timings, digits=1)
            every += timings
    finally:
        connection.close()
    return every


def run_backend(backend: str, args: argparse.Namespace) -> BackendReport:
    say(f"\n== {backend} ==")
    database_url, seconds = prepare(args, backend)
    report = BackendReport(backend=backend, database_url=database_url, count=args.count)
    report.prepare_seconds = round(seconds, 1)
    report.published = published_count(database_url)
    report.cases = cases(database_url)
    env = base_env(database_url) | PROD_SETTINGS
    log_path = MAP_VAR_DIR / f"gunicorn-{backend}.log"
    with Gunicorn(["-w", "2"], env, log_path, "/") as server:
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.request("GET", path_of(report.cases[0]))
        connection.getresponse().read()
        connection.close()
        report.first_response_ms = round((time.perf_counter() - started) * 1000, 1)
        say(
            f"  gunicorn -w 2 on 127.0.0.1:{server.port}; first map (outlines read and laid"
            f" out by that worker): {report.first_response_ms:.0f} ms;"
            f" {len(report.cases)} cases, each {args.warmup} warm-up + {args.requests} measured"
            " requests"
        )
        every = measure(server, database_url, report.cases, args.requests, args.warmup)
    report.overall_ms = latency_summary(every, digits=1)
    errors = sum(case.errors for case in report.cases)
    report.ok = errors == 0 and report.overall_ms["p95"] < P95_TARGET_MS
    print_report(report)
    return report


def print_report(report: BackendReport) -> None:
    say(f"  {report.published:,} published testimonies")
    say(
        f"  {'case':<12} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}  {'CPU/req':>7}"
        f" {'KiB':>5} circles dép."
    )
    for case in report.cases:
        figures = case.latency_ms
        say(
            f"  {case.name:<12} {figures['p50']:7.1f} {figures['p95']:7.1f}"
            f" {figures['p99']:7.1f} {figures['max']:7.1f}  {case.cpu_ms_per_request:7.1f}"
            f" {case.bytes / 1024:5.0f}"
            f" {case.circles:7} {case.departements:4}"
            + (f"  {case.errors} errors" if case.errors else "")
        )
    overall = report.overall_ms
    verdict = "OK" if report.ok else "MISSED"
    say(
        f"  all cases: p50 {overall['p50']:.1f} ms, p95 {overall['p95']:.1f} ms"
        f" (target < {P95_TARGET_MS} ms: {verdict}), p99 {overall['p99']:.1f} ms,"
        f" max {overall['max']:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKEND_CHOICES, default="both")
    parser.add_argument(
        "--count",
        type=int,
        default=118_000,
        help="testimonies to generate (default 118,000: about 85 %% are published, 100,000)",
    )
    parser.add_argument("--requests", type=int, default=40, help="measured requests per case")
    parser.add_argument("--warmup", type=int, default=3, help="requests per case before them")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a database kept by --keep")
    parser.add_argument(
        "--database-url",
        help="a database already filled and indexed (e.g. kept by list_pages.py): only migrate",
    )
    args = parser.parse_args()

    info = machine_info()
    say(
        f"{info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM; Python {info['python']};"
        f" load average {' '.join(map(str, info['load_average']))}"
    )
    reports = []
    for backend in chosen_backends(args.backend):
        try:
            reports.append(run_backend(backend, args))
        finally:
            if not args.keep and not args.database_url:
                bench_database_drop(backend, SQLITE_PATH, PG_DATABASE)

    say(f"\n== Summary == (load average now {' '.join(map(str, load_average()))})")
    for report in reports:
        overall = report.overall_ms
        say(
            f"{report.backend:<9} {report.published:>9,} published  p50 {overall['p50']:6.1f} ms"
            f"  p95 {overall['p95']:6.1f} ms  p99 {overall['p99']:6.1f} ms"
            f"  {'OK' if report.ok else 'MISSED'}"
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for report in reports:
        path = RESULTS_DIR / f"map-{report.backend}.json"
        data = {**asdict(report), "machine": info, "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    sys.exit(0 if reports and all(report.ok for report in reports) else 1)


if __name__ == "__main__":
    main()
