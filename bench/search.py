#!/usr/bin/env python3
"""Benchmark of the full-text search: index rebuild time and query latency.

    .venv/bin/python bench/search.py [--backend sqlite|postgres|both] [--count N]

For each backend it prepares a fresh database (var/bench/search.sqlite3, or the PostgreSQL
database retex_bench_search on 127.0.0.1 as user postgres, dropped and recreated), runs
`manage.py migrate`, `manage.py demo` (territories, the demo consultation), then
`manage.py demo --count N --seed 1` (N generated testimonies, about 85 % published), then times
`manage.py search rebuild`. It then measures, in this process, what the public search function
does for a fixed list of French queries (what the moderation queue uses on published
testimonies; the web list, the API and the open-data files read the listing index instead, and
the list is measured through HTTP by bench/list_pages.py):
`search` on published testimonies (with or without a filter), count the matches, fetch the
first page of 20 with their collectivity, and build their snippets. It prints p50, p95 and p99
in milliseconds, the slowest queries, the machine, and
writes everything to bench/results/search-<backend>.json.

With --reuse, a database left by a previous run with --keep is used as it is when it holds the
expected number of testimonies (generating 1,000,000 takes a while); --skip-rebuild then also
skips the rebuild. Targets: p95 < 50 ms up to 100,000 testimonies, < 100 ms beyond (PostgreSQL).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field

from _common import (
    BACKEND_CHOICES,
    PYTHON,
    RESULTS_DIR,
    ROOT,
    SEARCH_QUERIES,
    VAR_DIR,
    bench_database_drop,
    bench_database_prepare,
    bench_database_url,
    chosen_backends,
    dev_env,
    machine_info,
    run_manage_streaming,
    say,
)
from _common import PG_SERVER as DEFAULT_PG_SERVER

SQLITE_PATH = VAR_DIR / "search.sqlite3"
PG_SERVER = DEFAULT_PG_SERVER  # or --pg-server
PG_DATABASE = "retex_bench_search"
PAGE_SIZE = 20

QUERIES = SEARCH_QUERIES
# Each query runs without filter and with each of these (see `filters`).
FILTERS = ["none", "consultation", "theme", "region"]


@dataclass
class BackendReport:
    backend: str
    database_url: str
    count: int
    testimonies: int = 0
    published: int = 0
    generate_seconds: float | None = None
    rebuild_seconds: float | None = None
    index_bytes: int | None = None
    rounds: int = 0
    samples: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    by_filter: dict = field(default_factory=dict)
    parts_p95_ms: dict = field(default_factory=dict)
    slowest: list = field(default_factory=list)
    matches: dict = field(default_factory=dict)


# What the measuring child process reports.
MEASURED = (
    "rounds",
    "samples",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "max_ms",
    "by_filter",
    "parts_p95_ms",
    "slowest",
    "matches",
    "index_bytes",
)


def command_env(database_url: str) -> dict[str, str]:
    return dev_env(database_url)


def manage(*args: str, env: dict[str, str], echo: bool = False) -> tuple[float, str]:
    return run_manage_streaming(*args, env=env, echo=echo)


def database_url(backend: str) -> str:
    return bench_database_url(backend, SQLITE_PATH, PG_DATABASE)


def prepare(backend: str) -> None:
    bench_database_prepare(backend, SQLITE_PATH, PG_DATABASE)


def drop(backend: str) -> None:
    bench_database_drop(backend, SQLITE_PATH, PG_DATABASE)


COUNT_SCRIPT = """
import json
from retex.contributions.models import Testimony
print(json.dumps({"testimonies": Testimony.objects.count(),
                  "published": Testimony.objects.published().count()}))
"""


ANALYZE_SCRIPT = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""


def counts(env: dict[str, str]) -> dict:
    _, output = manage("shell", "-v", "0", "-c", COUNT_SCRIPT, env=env)
    return json.loads(output.strip().splitlines()[-1])


def existing_database(backend: str) -> bool:
    if backend == "sqlite":
        return SQLITE_PATH.exists()
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
        ).fetchone()
    return row is not None


GENERATED = re.compile(r"Generated (\d+) testimonies in ([\d.]+) s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(report: BackendReport, rounds: int, limit: int) -> None:
    """In this process: what the search page will do for each query, `rounds` times."""
    os.environ.update(command_env(report.database_url))
    import django

    django.setup()
    from django.db import connection

    from retex.consultations.models import Consultation, Theme
    from retex.contributions.models import Testimony
    from retex.explore.search import search, search_snippets_many
    from retex.territories.models import Territory

    consultation = Consultation.objects.order_by("pk").first()
    theme = Theme.objects.filter(consultation=consultation).order_by("position").first()
    region = Territory.objects.get(kind="region", name="Hauts-de-France")
    published = Testimony.objects.published()
    filters = {
        "none": published,
        "consultation": published.filter(consultation=consultation),
        "theme": published.filter(themes=theme),
        "region": published.filter(territory__region=region),
    }

    def one(query: str, name: str) -> tuple[float, float, float, float, float, int]:
        """A results page: search (the candidates and their count, up to 1,000), the first
        20 with their collectivity, their snippets. Then, apart, the exact count."""
        started = time.perf_counter()
        results = search(queryset=filters[name], text=query, limit=limit)
        counted = time.perf_counter()
        page = list(results.testimonies.select_related("territory")[:PAGE_SIZE])
        fetched = time.perf_counter()
        search_snippets_many(testimonies=page, text=query)
        done = time.perf_counter()
        total = search(queryset=filters[name], text=query, limit=None).count.value
        exact = time.perf_counter()
        return (
            (done - started) * 1000,
            (counted - started) * 1000,
            (fetched - counted) * 1000,
            (done - fetched) * 1000,
            (exact - done) * 1000,
            total,
        )

    for query in QUERIES:  # warm-up: caches of the database and of the stemmer
        for name in FILTERS:
            one(query, name)
    samples: list[tuple[str, str, float, float, float, float, float]] = []
    for _round in range(rounds):
        for query in QUERIES:
            for name in FILTERS:
                *times, matches = one(query, name)
                samples.append((query, name, *times))
                report.matches[f"{query} | {name}"] = matches
    times = [sample[2] for sample in samples]
    report.rounds = rounds
    report.samples = len(samples)
    report.p50_ms = round(percentile(times, 0.50), 2)
    report.p95_ms = round(percentile(times, 0.95), 2)
    report.p99_ms = round(percentile(times, 0.99), 2)
    report.max_ms = round(max(times), 2)
    for name in FILTERS:
        values = [sample[2] for sample in samples if sample[1] == name]
        report.by_filter[name] = {
            "p50_ms": round(percentile(values, 0.5), 2),
            "p95_ms": round(percentile(values, 0.95), 2),
        }
    parts = ((3, "search"), (4, "page"), (5, "snippets"), (6, "exact count, apart"))
    for index, part in parts:
        report.parts_p95_ms[part] = round(percentile([s[index] for s in samples], 0.95), 2)
    medians: dict[tuple[str, str], list[float]] = {}
    for query, name, total_ms, *_rest in samples:
        medians.setdefault((query, name), []).append(total_ms)
    slowest = sorted(
        ((statistics.median(values), query, name) for (query, name), values in medians.items()),
        reverse=True,
    )[:8]
    report.slowest = [
        {
            "query": query,
            "filter": name,
            "median_ms": round(ms, 2),
            "matches": report.matches[f"{query} | {name}"],
        }
        for ms, query, name in slowest
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('explore_search_document')")
            report.index_bytes = cursor.fetchone()[0]
        else:
            try:  # dbstat is an optional part of SQLite
                cursor.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'explore_search_fts%'"
                )
                report.index_bytes = cursor.fetchone()[0]
            except Exception:  # noqa: BLE001
                report.index_bytes = None


def run_backend(args: argparse.Namespace, backend: str) -> BackendReport:
    say(f"\n== {backend} ==")
    url = database_url(backend)
    env = command_env(url)
    report = BackendReport(backend=backend, database_url=url, count=args.count)
    reuse = args.reuse and existing_database(backend)
    if reuse:
        found = counts(env)
        reuse = found["testimonies"] >= args.count
        say(
            f"  existing database: {found['testimonies']:,} testimonies"
            + ("" if reuse else ", too few: starting again")
        )
    if not reuse:
        prepare(backend)
        seconds, _ = manage("migrate", "--no-input", "-v", "0", env=env)
        say(f"  migrate: {seconds:.1f} s")
        seconds, _ = manage("demo", env=env)
        say(f"  demo (territories, consultation, its testimonies): {seconds:.1f} s")
        say(f"  generating {args.count:,} testimonies (manage.py demo --count):")
        seconds, output = manage(
            "demo", "--count", str(args.count), "--seed", "1", env=env, echo=args.verbose
        )
        match = GENERATED.search(output)
        report.generate_seconds = round(float(match.group(2)) if match else seconds, 1)
        say(f"  generated in {report.generate_seconds:.1f} s")
        # A live database has statistics (autovacuum's ANALYZE on PostgreSQL); a freshly
        # loaded one has none for a while. Measure the former.
        seconds, _ = manage("shell", "-v", "0", "-c", ANALYZE_SCRIPT, env=env)
        say(f"  ANALYZE: {seconds:.1f} s")
    else:
        manage("migrate", "--no-input", "-v", "0", env=env)
    found = counts(env)
    report.testimonies, report.published = found["testimonies"], found["published"]
    if not (reuse and args.skip_rebuild):
        seconds, _ = manage("search", "rebuild", env=env, echo=args.verbose)
        report.rebuild_seconds = round(seconds, 1)
        say(
            f"  search rebuild: {seconds:.1f} s for {report.published:,} published testimonies"
            f" ({report.published / seconds:,.0f}/s, process start included)"
        )
    say(f"  measuring {len(QUERIES)} queries x {len(FILTERS)} filters x {args.rounds} rounds…")
    # A child process: Django is set up once per process, for one database.
    child = subprocess.run(
        [PYTHON, __file__, "--measure", backend, "--rounds", str(args.rounds)]
        + ["--limit", str(args.limit)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        measured = json.loads(output_line(child.stdout))
    except ValueError:
        sys.exit(f"Measuring failed:\n{child.stdout}\n{child.stderr}")
    for key in MEASURED:
        setattr(report, key, measured[key])
    print_report(report)
    return report


def output_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("{")]
    if not lines:
        raise ValueError(output)
    return lines[-1]


def print_report(report: BackendReport) -> None:
    say(
        f"  {report.samples} searches: p50 {report.p50_ms:.1f} ms, p95 {report.p95_ms:.1f} ms,"
        f" p99 {report.p99_ms:.1f} ms, max {report.max_ms:.1f} ms"
    )
    for name, figures in report.by_filter.items():
        say(
            f"    filter {name:<13} p50 {figures['p50_ms']:6.1f} ms"
            f"  p95 {figures['p95_ms']:6.1f} ms"
        )
    say(
        "    p95 of each part: "
        + ", ".join(f"{part} {ms:.1f} ms" for part, ms in report.parts_p95_ms.items())
    )
    say("    slowest (median):")
    for item in report.slowest:
        say(
            f"      {item['median_ms']:7.1f} ms  {item['query']!r} ({item['filter']},"
            f" {item['matches']:,} matches)"
        )
    if report.index_bytes:
        say(f"  index size: {report.index_bytes / 1e6:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKEND_CHOICES, default="both")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds of every query")
    parser.add_argument(
        "--limit", type=int, default=1000, help="results of a search (its `limit`, default 1000)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    parser.add_argument("--skip-rebuild", action="store_true", help="with --reuse")
    parser.add_argument("--verbose", action="store_true", help="show the commands' output")
    parser.add_argument(
        "--pg-server",
        default=DEFAULT_PG_SERVER,
        help=f"PostgreSQL server URL (default {DEFAULT_PG_SERVER})",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    global PG_SERVER  # one server per run, used by the helpers above
    PG_SERVER = args.pg_server.rstrip("/")

    if args.measure:  # the child process
        report = BackendReport(
            backend=args.measure, database_url=os.environ["DATABASE_URL"], count=0
        )
        measure(report, args.rounds, args.limit)
        print(json.dumps(asdict(report)))
        return

    info = machine_info()
    say(
        f"{info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM;"
        f" Python {info['python']} on {info['platform']};"
        f" load average {' '.join(map(str, info['load_average']))}"
    )
    backends = chosen_backends(args.backend)
    reports = []
    for backend in backends:
        try:
            reports.append(run_backend(args, backend))
        finally:
            if not args.keep:
                drop(backend)

    say(f"\n== Summary == (load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    for report in reports:
        say(
            f"{report.backend:<9} {report.published:>10,} published  rebuild"
            f" {report.rebuild_seconds or 0:>7.1f} s  p50 {report.p50_ms:6.1f} ms"
            f"  p95 {report.p95_ms:6.1f} ms  p99 {report.p99_ms:6.1f} ms"
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for report in reports:
        path = RESULTS_DIR / f"search-{report.backend}.json"
        data = {**asdict(report), "machine": info, "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
