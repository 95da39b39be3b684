#!/usr/bin/env python3
"""Benchmark of the territories reference: load time and search latency behind gunicorn.

    .venv/bin/python bench/territory_search.py [--backend sqlite|postgres|both] [--requests N]

For each backend it prepares a fresh database (SQLite under var/bench/, or the PostgreSQL
database retex_bench_territories on 127.0.0.1, dropped and recreated), migrates, times
`manage.py territories load` twice (the second run must change no counts), then serves Retex
with gunicorn and production settings on a free loopback port and sends sequential GET requests
to /territoires/recherche.json, as the testimony form's autocompletion does. It prints the
client-side latency percentiles and writes them to bench/results/territory_search-<backend>.json.

Targets: load < 60 s, p95 < 20 ms.
"""

import argparse
import http.client
import json
import platform
import random
import sqlite3
import sys
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

from _common import (
    BACKEND_CHOICES,
    DEV_SETTINGS,
    PG_SERVER,
    PROD_SETTINGS,
    RESULTS_DIR,
    ROOT,
    VAR_DIR,
    Gunicorn,
    chosen_backends,
    cpu_model,
    isolated_env,
    latency_summary,
    memory_kib,
    nproc,
    prepare_postgres,
    prepare_sqlite,
    query_database,
    run_manage,
)

SQLITE_PATH = VAR_DIR / "territories.sqlite3"
PG_DATABASE = "retex_bench_territories"

LOAD_TARGET_SECONDS = 60
P95_TARGET_MS = 20
REQUEST_TIMEOUT = 30
SEED = 20201126

# What people type in the collectivity field: short prefixes, accents or not, several words.
TYPED_QUERIES = [
    "b",
    "be",
    "bea",
    "beauv",
    "beauvais",
    "sete",
    "Sète",
    "saint",
    "saint-e",
    "saint etienne",
    "arras",
    "arr",
    "chevreuse",
    "chev",
    "mont",
    "la ro",
    "la rochelle",
    "aix",
    "aix en p",
    "st",
    "ville",
    "com",
    "communaute",
    "agglo",
    "metropole",
    "métropole de lyon",
    "paris",
    "lyon",
    "marseille",
    "rodez",
    "metz",
    "l'hay",
    "le",
    "les",
    "sur",
    "val",
    "a",
    "e",
    "z",
    "ch",
    "bo",
    "ma",
]
GENERATED_QUERIES = 300
KINDS = ["commune", "epci"]


@dataclass
class Phase:
    """One series of measured requests against the same server."""

    label: str
    requests: int = 0
    errors: int = 0
    connections_closed_by_server: int = 0
    latency_ms: dict = field(default_factory=dict)
    by_query_length: dict = field(default_factory=dict)
    slowest: list = field(default_factory=list)


@dataclass
class BackendReport:
    backend: str
    database_url: str
    migrate_seconds: float = 0.0
    first_load_seconds: float = 0.0
    second_load_seconds: float = 0.0
    counts_after_first_load: dict = field(default_factory=dict)
    counts_after_second_load: dict = field(default_factory=dict)
    beauvais_pk_stable: bool = False
    phases: list[Phase] = field(default_factory=list)


# --- Machine -------------------------------------------------------------------------------


def machine() -> dict:
    return {
        "nproc": nproc(),
        "cpu_model": cpu_model() or "unknown",
        "ram_gib": round((memory_kib() or 0) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


# --- Databases -----------------------------------------------------------------------------


def sql(database_url: str, query: str, params: tuple = ()) -> list[tuple]:
    return query_database(database_url, query, params)


def counts(database_url: str) -> dict:
    by_kind = dict(
        sql(database_url, "SELECT kind, COUNT(*) FROM territories_territory GROUP BY kind")
    )
    tokens = sql(database_url, "SELECT COUNT(*) FROM territories_territorynametoken")[0][0]
    return {**dict(sorted(by_kind.items())), "name_tokens": tokens}


def beauvais_pk(database_url: str) -> int | None:
    rows = sql(
        database_url,
        "SELECT id FROM territories_territory WHERE kind = %s AND code = %s",
        ("commune", "60057"),
    )
    return rows[0][0] if rows else None


def analyze(database_url: str) -> float:
    """Give the query planner statistics, which `territories load` does not (yet) do."""
    started = time.perf_counter()
    if database_url.startswith("sqlite:///"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            connection.execute("ANALYZE")
            connection.commit()
        finally:
            connection.close()
    else:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute("ANALYZE territories_territory, territories_territorynametoken")
    return time.perf_counter() - started


# --- Management commands -------------------------------------------------------------------


def base_env(database_url: str) -> dict:
    return isolated_env(database_url, VAR_DIR)


def manage(database_url: str, *args: str) -> float:
    seconds, _output = run_manage(*args, env=base_env(database_url) | DEV_SETTINGS)
    return seconds


# --- Queries -------------------------------------------------------------------------------


def queries(database_url: str) -> list[str]:
    """The typed list, then prefixes (1 to 10 characters) of random real commune names."""
    names = [
        row[0]
        for row in sql(
            database_url,
            "SELECT name FROM territories_territory WHERE kind = %s ORDER BY code",
            ("commune",),
        )
    ]
    rng = random.Random(SEED)
    generated = []
    for name in rng.sample(names, GENERATED_QUERIES):
        prefix = name[: rng.randint(1, 10)].strip(" -'")
        if prefix:
            generated.append(prefix.lower() if rng.random() < 0.7 else prefix)
    return TYPED_QUERIES + generated


def search_path(query: str) -> str:
    return "/territoires/recherche.json?" + urllib.parse.urlencode(
        [("q", query)] + [("kind", kind) for kind in KINDS]
    )


# --- Server --------------------------------------------------------------------------------


def gunicorn(database_url: str, log_path: Path) -> Gunicorn:
    """gunicorn -w 2 with production settings, ready once the search endpoint answers."""
    # WhiteNoise warns when STATIC_ROOT is missing; the endpoint needs no static file.
    (VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
    env = base_env(database_url) | PROD_SETTINGS
    return Gunicorn(["-w", "2"], env, log_path, search_path("a"))


# --- Measuring -----------------------------------------------------------------------------


def summary(values_ms: list[float]) -> dict:
    return latency_summary(values_ms, digits=2)


def measure(port: int, query_list: list[str], requests: int, warmup: int) -> tuple:
    """Sequential requests on one kept-alive connection (http.client reconnects by itself
    when the server closes it, as gunicorn's sync workers do after each response)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    rng = random.Random(SEED + 1)
    order = [rng.choice(query_list) for _ in range(warmup + requests)]
    timings: list[tuple[float, str, int]] = []
    errors = 0
    reconnections = 0
    try:
        for number, query in enumerate(order):
            path = search_path(query)
            started = time.perf_counter()
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
            body = response.read()
            elapsed_ms = (time.perf_counter() - started) * 1000
            if response.will_close:
                reconnections += 1
            if response.status != 200:
                errors += 1
                continue
            if number < warmup:
                continue
            timings.append((elapsed_ms, query, len(json.loads(body)["results"])))
    finally:
        connection.close()
    return timings, errors, reconnections


def run_backend(backend: str, requests: int, warmup: int) -> BackendReport:
    print(f"\n=== {backend} ===", flush=True)
    database_url = (
        prepare_sqlite(SQLITE_PATH)
        if backend == "sqlite"
        else prepare_postgres(PG_SERVER, PG_DATABASE)
    )
    report = BackendReport(backend=backend, database_url=database_url)

    report.migrate_seconds = manage(database_url, "migrate", "--no-input", "-v", "0")
    print(f"migrate: {report.migrate_seconds:.1f} s", flush=True)
    report.first_load_seconds = manage(database_url, "territories", "load")
    report.counts_after_first_load = counts(database_url)
    first_pk = beauvais_pk(database_url)
    print(
        f"territories load (empty database): {report.first_load_seconds:.1f} s"
        f" (target < {LOAD_TARGET_SECONDS} s) -> {report.counts_after_first_load}",
        flush=True,
    )
    report.second_load_seconds = manage(database_url, "territories", "load")
    report.counts_after_second_load = counts(database_url)
    report.beauvais_pk_stable = first_pk is not None and beauvais_pk(database_url) == first_pk
    same = report.counts_after_second_load == report.counts_after_first_load
    print(
        f"territories load (again): {report.second_load_seconds:.1f} s;"
        f" same counts: {same}; Beauvais keeps its primary key: {report.beauvais_pk_stable}",
        flush=True,
    )

    query_list = queries(database_url)
    log_path = VAR_DIR / f"gunicorn-{backend}.log"
    with gunicorn(database_url, log_path) as server:
        print(
            f"gunicorn -w 2 on 127.0.0.1:{server.port}; {len(query_list)} distinct queries,"
            f" {warmup} warm-up + {requests} measured requests per phase",
            flush=True,
        )
        report.phases.append(measured_phase("as loaded", server.port, query_list, requests, warmup))
        seconds = analyze(database_url)
        print(f"ANALYZE: {seconds * 1000:.0f} ms", flush=True)
        report.phases.append(
            measured_phase("after ANALYZE", server.port, query_list, requests, warmup)
        )
    return report


def measured_phase(
    label: str, port: int, query_list: list[str], requests: int, warmup: int
) -> Phase:
    timings, errors, reconnections = measure(port, query_list, requests, warmup)
    phase = Phase(
        label=label,
        requests=len(timings),
        errors=errors,
        connections_closed_by_server=reconnections,
        latency_ms=summary([t[0] for t in timings]),
    )
    slowest: dict[str, float] = {}
    by_length: dict[str, list[float]] = {}
    for elapsed, query, _found in timings:
        slowest[query] = max(elapsed, slowest.get(query, 0))
        length = len(query)
        bucket = "1" if length == 1 else "2-3" if length <= 3 else "4-6" if length <= 6 else "7+"
        by_length.setdefault(bucket, []).append(elapsed)
    phase.slowest = [
        {"query": query, "ms": round(ms, 2)}
        for query, ms in sorted(slowest.items(), key=lambda item: -item[1])[:12]
    ]
    phase.by_query_length = {bucket: summary(values) for bucket, values in by_length.items()}
    latency = phase.latency_ms
    verdict = "OK" if latency["p95"] < P95_TARGET_MS else "MISSED"
    print(
        f"[{label}] latency (ms): count {latency['count']}, p50 {latency['p50']},"
        f" p95 {latency['p95']}, p99 {latency['p99']}, max {latency['max']}, errors {errors}"
        f" -> p95 target < {P95_TARGET_MS} ms: {verdict}",
        flush=True,
    )
    for bucket in ("1", "2-3", "4-6", "7+"):
        if bucket in phase.by_query_length:
            values = phase.by_query_length[bucket]
            print(
                f"  query length {bucket:>3}: {values['count']:>4} requests,"
                f" p50 {values['p50']}, p95 {values['p95']}, max {values['max']} ms"
            )
    print("  slowest: " + ", ".join(f"{s['query']!r} {s['ms']}" for s in phase.slowest))
    return phase


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKEND_CHOICES, default="both")
    parser.add_argument("--requests", type=int, default=1000, help="measured requests")
    parser.add_argument("--warmup", type=int, default=100, help="requests before measuring")
    args = parser.parse_args()
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be positive and --warmup not negative")

    host = machine()
    print(
        f"machine: {host['nproc']} CPU ({host['cpu_model']}), {host['ram_gib']} GiB RAM,"
        f" Python {host['python']}, Linux {host['kernel']}"
    )
    backends = chosen_backends(args.backend)
    reports = [run_backend(backend, args.requests, args.warmup) for backend in backends]

    print("\nsummary (client-side latency in ms; load times in s)")
    print(f"{'backend':<9} {'load':>5} {'again':>6} {'phase':<14} {'p50':>6} {'p95':>6} {'p99':>7}")
    for report in reports:
        for phase in report.phases:
            latency = phase.latency_ms
            print(
                f"{report.backend:<9} {report.first_load_seconds:>5.1f}"
                f" {report.second_load_seconds:>6.1f} {phase.label:<14} {latency['p50']:>6}"
                f" {latency['p95']:>6} {latency['p99']:>7}"
            )

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for report in reports:
        path = RESULTS_DIR / f"territory_search-{report.backend}.json"
        path.write_text(json.dumps({"machine": host, **asdict(report)}, indent=2) + "\n")
        print(f"written: {path.relative_to(ROOT)}")
    # The verdict is on the application as it loads the data ("as loaded").
    failed = [
        report.backend
        for report in reports
        if report.first_load_seconds >= LOAD_TARGET_SECONDS
        or report.phases[0].latency_ms["p95"] >= P95_TARGET_MS
        or any(phase.errors for phase in report.phases)
        or report.counts_after_second_load != report.counts_after_first_load
    ]
    if failed:
        print(f"targets missed on: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
