#!/usr/bin/env python3
"""Benchmark of the public list of testimonies: filtered pages (with their counts per filter
value) and search pages, through HTTP, as a visitor gets them.

    .venv/bin/python bench/list_pages.py [--backend sqlite|postgres|both] [--count N]
    .venv/bin/python bench/list_pages.py --backend postgres --database-url URL  # a kept base

For each backend it prepares a fresh database (var/bench/list_pages.sqlite3, or the PostgreSQL
database retex_bench_list_pages on 127.0.0.1 as user postgres, dropped and recreated):
`migrate`, `demo`, `demo --count N --seed 1` (N generated testimonies, about 85 % published:
the default N = 118,000 gives 100,000 published), `ANALYZE`, then times `search rebuild` (the
generator writes rows directly, the index is built afterwards). With --database-url it uses
that database as it is (already filled and indexed) and only runs `migrate`.

Then gunicorn (-w 2, production settings, loopback) serves it, and one client sends
sequential GET requests on a kept-alive connection, every address different (nothing a cache
keyed by address could answer twice):

- list: the consultation's list with 0 to 3 filters drawn with a fixed seed among theme,
  sub-topic, région, département, kind, band, tools (one or two), collectivity; ordered by
  date or population; page 1 to 3, sometimes deeper;
- search: a French query among QUERIES, alone or with one or two filters, by relevance or
  date.

The two kinds are measured one after the other, each in a shuffled order, with gunicorn's CPU
time per request (SQLite's work included, PostgreSQL's not): on a machine shared with other
work, the steadier figure. It prints p50, p95, p99 and max per kind of page, the slowest
addresses, the load average, and writes everything to bench/results/list_pages-<backend>.json.
Every response must be a 200 holding the results' heading. Target: p95 < 50 ms up to 100,000
published testimonies, < 100 ms beyond (search, PostgreSQL); exit status 1 when missed.
"""

import argparse
import http.client
import json
import os
import random
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from _common import (
    BACKEND_CHOICES,
    PG_SERVER,
    PROD_SETTINGS,
    RESULTS_DIR,
    SEARCH_QUERIES,
    VAR_DIR,
    Gunicorn,
    bench_database_drop,
    chosen_backends,
    dev_env,
    isolated_env,
    latency_summary,
    load_average,
    machine_info,
    prepare_postgres,
    prepare_sqlite,
    query_database,
    run_manage,
    run_manage_streaming,
    say,
)

SQLITE_PATH = VAR_DIR / "list_pages.sqlite3"
PG_DATABASE = "retex_bench_list_pages"
SLUG = "gestion-de-crise-et-numerique"
SEED = 7
REQUEST_TIMEOUT = 30

# The queries of search.py, and a phrase more.
QUERIES = [*SEARCH_QUERIES, '"réseaux sociaux"']
BANDS = ["lt10k", "10k-20k", "20k-50k", "50k-100k", "gt100k"]


@dataclass
class BackendReport:
    backend: str
    database_url: str
    testimonies: int = 0
    published: int = 0
    generate_seconds: float | None = None
    rebuild_seconds: float | None = None
    requests: dict = field(default_factory=dict)
    errors: int = 0
    figures: dict = field(default_factory=dict)
    slowest: dict = field(default_factory=dict)
    target_ms: dict = field(default_factory=dict)
    # gunicorn's CPU per measured request (SQLite's work included, not PostgreSQL's): the
    # steadier figure on a machine shared with other work.
    cpu_ms_per_request: dict = field(default_factory=dict)
    load_average: list = field(default_factory=list)
    ok: bool = False


def prepare(backend: str, count: int, verbose: bool) -> tuple[str, float, float]:
    """A fresh, filled and indexed database: (url, generation seconds, rebuild seconds)."""
    url = (
        prepare_sqlite(SQLITE_PATH)
        if backend == "sqlite"
        else (prepare_postgres(PG_SERVER, PG_DATABASE))
    )
    env = dev_env(url)
    seconds, _ = run_manage_streaming("migrate", "--no-input", "-v", "0", env=env)
    say(f"  migrate: {seconds:.1f} s")
    seconds, _ = run_manage_streaming("demo", env=env)
    say(f"  demo: {seconds:.1f} s")
    say(f"  generating {count:,} testimonies (manage.py demo --count, seed 1)…")
    generate, output = run_manage_streaming(
        "demo", "--count", str(count), "--seed", "1", env=env, echo=verbose
    )
    match = re.search(r"Generated (\d+) testimonies in ([\d.]+) s", output)
    generate = float(match.group(2)) if match else generate
    say(f"  generated in {generate:.0f} s")
    analyze(env)
    say("  search rebuild…")
    rebuild, _ = run_manage_streaming("search", "rebuild", env=env, echo=verbose)
    say(f"  search rebuild: {rebuild:.0f} s")
    analyze(env)
    return url, generate, rebuild


def analyze(env: dict) -> None:
    # A live database has statistics (autovacuum on PostgreSQL); a fresh one has none yet.
    run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('VACUUM ANALYZE' if connection.vendor == 'postgresql' else 'ANALYZE')",
        env=env,
        label="ANALYZE",
        timeout=3600,
    )


# --- Addresses -----------------------------------------------------------------------------


@dataclass
class Choices:
    """The filter values a visitor can pick in this database (those with testimonies)."""

    consultation_id: int
    themes: list[int]
    subtopics: list[int]
    regions: list[str]
    departements: list[str]
    tools: list[str]
    territories: list[int]


def official_code(number: int) -> str:
    """The listing stores codes as numbers (see retex.explore.search.documents.code_number)."""
    return {201: "2A", 202: "2B"}.get(number) or str(number).zfill(2)


def choices(url: str) -> Choices:
    (consultation_id,) = query_database(
        url, "SELECT id FROM consultations_consultation WHERE slug = %s", (SLUG,)
    )[0]

    def column(sql: str) -> list:
        return [row[0] for row in query_database(url, sql, (consultation_id,))]

    return Choices(
        consultation_id=consultation_id,
        themes=column("SELECT id FROM consultations_theme WHERE consultation_id = %s"),
        subtopics=column(
            "SELECT s.id FROM consultations_subtopic s JOIN consultations_theme t"
            " ON t.id = s.theme_id WHERE t.consultation_id = %s"
        ),
        regions=[
            official_code(number)
            for number in column(
                "SELECT DISTINCT region FROM explore_listing WHERE consultation_id = %s"
                " AND region > 0 ORDER BY region"
            )
        ],
        departements=[
            official_code(number)
            for number in column(
                "SELECT DISTINCT departement FROM explore_listing WHERE consultation_id = %s"
                " AND departement > 0 ORDER BY departement"
            )
        ],
        tools=column(
            "SELECT t.slug FROM contributions_tool t JOIN explore_facet_slot s"
            " ON s.value_id = t.id AND s.facet = 2 WHERE s.consultation_id = %s ORDER BY t.slug"
        ),
        territories=column(
            "SELECT territory_id FROM explore_listing WHERE consultation_id = %s"
            " AND territory_id IS NOT NULL GROUP BY territory_id ORDER BY count(*) DESC"
            " LIMIT 300"
        ),
    )


def random_filters(rng: random.Random, found: Choices, how_many: int) -> list[tuple[str, str]]:
    pickers = {
        "theme": lambda: [("theme", str(rng.choice(found.themes)))],
        "subtopic": lambda: [("subtopic", str(rng.choice(found.subtopics)))],
        "region": lambda: [("region", rng.choice(found.regions))],
        "departement": lambda: [("departement", rng.choice(found.departements))],
        "kind": lambda: [("kind", rng.choice(["commune", "epci"]))],
        "band": lambda: [("band", rng.choice(BANDS))],
        "tool": lambda: [("tool", slug) for slug in rng.sample(found.tools, rng.choice([1, 1, 2]))],
        "territory": lambda: [("territory", str(rng.choice(found.territories)))],
    }
    weights = {"territory": 1, "departement": 3, "tool": 3}
    names = list(pickers)
    chosen: list[str] = []
    while len(chosen) < how_many:
        name = rng.choices(names, weights=[weights.get(n, 4) for n in names])[0]
        if name not in chosen and not (name == "territory" and "departement" in chosen):
            chosen.append(name)
    return [pair for name in chosen for pair in pickers[name]()]


def addresses(found: Choices, requests: int, rng: random.Random) -> dict[str, list[str]]:
    base = f"/consultations/{SLUG}/temoignages/"
    made: dict[str, list[str]] = {"list": [], "search": []}
    seen: set[str] = set()

    def add(kind: str, params: list[tuple[str, str]]) -> None:
        address = base + ("?" + urlencode(params) if params else "")
        if address not in seen:
            seen.add(address)
            made[kind].append(address)

    while len(made["list"]) < requests:
        params = random_filters(rng, found, rng.choice([0, 1, 1, 2, 2, 2, 3, 3]))
        if rng.random() < 0.3:
            params.append(("sort", "population"))
        page = rng.choice([1, 1, 1, 2, 3, rng.randint(4, 50)])
        if page > 1:
            params.append(("page", str(page)))
        add("list", params)
    while len(made["search"]) < requests:
        params = [("q", rng.choice(QUERIES))]
        params += random_filters(rng, found, rng.choice([0, 0, 1, 1, 2]))
        if rng.random() < 0.2:
            params.append(("sort", "date"))
        if rng.random() < 0.15:
            params.append(("page", str(rng.randint(2, 5))))
        add("search", params)
    return made


# --- Measuring -----------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_processes(master: int) -> list[int]:
    """gunicorn's master and workers. (PostgreSQL's backends come and go with the persistent
    connections' age: their CPU cannot be followed here, the figure is gunicorn's alone.)"""
    pids = [master]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == master:
            pids.append(int(entry.name))
    return pids


def server_cpu(master: int) -> float:
    return sum(_cpu_seconds(pid) for pid in server_processes(master))


def measure(port: int, order: list[tuple[str, str]], warmup: int) -> tuple[dict, int, list]:
    """Sequential requests on one kept-alive connection; (timings by kind, errors, samples
    of the errors)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    timings: dict[str, list[tuple[float, str]]] = {"list": [], "search": []}
    errors, samples = 0, []
    try:
        for number, (kind, address) in enumerate(order):
            started = time.perf_counter()
            connection.request("GET", address, headers={"Accept-Language": "fr"})
            response = connection.getresponse()
            body = response.read()
            elapsed_ms = (time.perf_counter() - started) * 1000
            if response.status != 200 or b'id="results-count"' not in body:
                errors += 1
                samples.append(f"{response.status} {address}")
                continue
            if number >= warmup:
                timings[kind].append((elapsed_ms, address))
    finally:
        connection.close()
    return timings, errors, samples[:5]


def run_backend(args: argparse.Namespace, backend: str) -> BackendReport:
    say(f"\n== {backend} ==")
    if args.database_url:
        url = args.database_url
        run_manage_streaming("migrate", "--no-input", "-v", "0", env=dev_env(url))
        generate = rebuild = None
    else:
        url, generate, rebuild = prepare(backend, args.count, args.verbose)
    report = BackendReport(
        backend=backend, database_url=url, generate_seconds=generate, rebuild_seconds=rebuild
    )
    report.testimonies = query_database(url, "SELECT count(*) FROM contributions_testimony")[0][0]
    report.published = query_database(
        url, "SELECT count(*) FROM contributions_testimony WHERE status = 'published'"
    )[0][0]
    say(f"  {report.testimonies:,} testimonies, {report.published:,} published")
    found = choices(url)
    rng = random.Random(SEED)
    made = addresses(found, args.requests + args.warmup, rng)
    warm = [("list", a) for a in made["list"][: args.warmup]]
    warm += [("search", a) for a in made["search"][: args.warmup]]
    measured = [("list", a) for a in made["list"][args.warmup :]]
    measured += [("search", a) for a in made["search"][args.warmup :]]
    rng.shuffle(measured)
    report.requests = {"list": args.requests, "search": args.requests, "warmup": len(warm)}

    env = isolated_env(url, VAR_DIR) | PROD_SETTINGS
    run_manage("collectstatic", "--no-input", "-v", "0", env=env, label="collectstatic")
    log = VAR_DIR / f"gunicorn-list-pages-{backend}.log"
    ready = f"/consultations/{SLUG}/"
    workers = ["-w", str(args.workers)]
    say(f"  {len(measured)} requests after {len(warm)} to warm up, gunicorn -w {args.workers}…")
    with Gunicorn(workers, env, log, ready, start_timeout=120) as server:
        _, warm_errors, samples = measure(server.port, warm, len(warm))
        assert server.process is not None
        report.errors = warm_errors
        timings = {}
        report.load_average = [load_average()]
        for kind in ("list", "search"):
            # One kind after the other, to know the server CPU each takes.
            requests = [item for item in measured if item[0] == kind]
            cpu_before = server_cpu(server.process.pid)
            found, errors, more = measure(server.port, requests, 0)
            report.cpu_ms_per_request[kind] = round(
                (server_cpu(server.process.pid) - cpu_before) * 1000 / len(requests), 1
            )
            timings[kind] = found[kind]
            report.errors += errors
            samples += more
        report.load_average.append(load_average())
    for sample in samples:
        say(f"  error: {sample}")
    say(f"  load average {report.load_average[0][0]} before, {report.load_average[1][0]} after")
    big = report.published > 150_000
    report.target_ms = {"list": 100 if big else 50, "search": 100 if big else 50}
    report.ok = report.errors == 0
    for kind, values in timings.items():
        figures = latency_summary([ms for ms, _ in values], digits=1)
        report.figures[kind] = figures
        report.slowest[kind] = [
            {"ms": round(ms, 1), "address": address} for ms, address in sorted(values)[-8:][::-1]
        ]
        verdict = "ok" if figures["p95"] < report.target_ms[kind] else "MISSED"
        if verdict != "ok" and (kind == "search" or not big):
            report.ok = False
        say(
            f"  {kind:<7} p50 {figures['p50']:6.1f} ms  p95 {figures['p95']:6.1f} ms"
            f"  p99 {figures['p99']:6.1f} ms  max {figures['max']:6.1f} ms"
            f"  ({verdict}, target p95 < {report.target_ms[kind]} ms);"
            f" gunicorn CPU {report.cpu_ms_per_request[kind]} ms per request"
        )
        for item in report.slowest[kind][:5]:
            say(f"      {item['ms']:7.1f} ms  {item['address']}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKEND_CHOICES, default="both")
    parser.add_argument("--count", type=int, default=118_000, help="testimonies to generate")
    parser.add_argument("--database-url", help="use this filled, indexed database as it is")
    parser.add_argument("--requests", type=int, default=400, help="measured, per kind of page")
    parser.add_argument("--warmup", type=int, default=40, help="per kind of page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    backends = chosen_backends(args.backend)
    if args.database_url and len(backends) != 1:
        sys.exit("--database-url needs --backend sqlite or --backend postgres.")

    info = machine_info()
    say(
        f"{info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM; Python {info['python']};"
        f" load average {' '.join(map(str, info['load_average']))}"
    )
    reports = []
    for backend in backends:
        try:
            reports.append(run_backend(args, backend))
        finally:
            if not args.keep and not args.database_url:
                bench_database_drop(backend, SQLITE_PATH, PG_DATABASE)

    say(f"\n== Summary == (load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    for report in reports:
        for kind, figures in report.figures.items():
            say(
                f"{report.backend:<9} {report.published:>9,} published  {kind:<7}"
                f" p50 {figures['p50']:6.1f} ms  p95 {figures['p95']:6.1f} ms"
                f"  p99 {figures['p99']:6.1f} ms"
            )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for report in reports:
        path = RESULTS_DIR / f"list_pages-{report.backend}.json"
        data = {**asdict(report), "machine": info, "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    sys.exit(0 if all(report.ok for report in reports) else 1)


if __name__ == "__main__":
    main()
