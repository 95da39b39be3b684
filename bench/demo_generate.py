#!/usr/bin/env python3
"""Benchmark of the demo generator: how fast `manage.py demo --count N` writes testimonies.

    .venv/bin/python bench/demo_generate.py [--count N] [--backend sqlite|postgres|both]

For each backend it prepares a fresh database (var/bench/demo.sqlite3, or the PostgreSQL
database retex_bench_demo on 127.0.0.1 as user postgres, dropped and recreated), runs
`manage.py migrate`, then `manage.py demo` (territories reference, demo consultation and its
105 testimonies), then times `manage.py demo --count N --seed 1`, which adds N generated
testimonies with their themes, sub-topics, tools and first versions. It prints the generation
time and rate reported by the command and the wall time of the whole command, checks the row
counts, and writes everything to bench/results/demo_generate-<backend>.json. Both databases
are deleted at the end unless --keep is given.

The commands run in subprocesses with the development settings and DEBUG off (DEBUG on keeps
every SQL statement in memory, which measures Django's debug tooling rather than Retex); pass
--debug to measure with it on. Target: 100,000 testimonies in under 120 s on each backend.
"""

import argparse
import json
import os
import platform
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from _common import (
    BACKEND_CHOICES,
    PG_SERVER,
    RESULTS_DIR,
    VAR_DIR,
    chosen_backends,
    delete_sqlite,
    dev_env,
    drop_postgres,
    prepare_postgres,
    prepare_sqlite,
    run_manage_streaming,
    say,
)

SQLITE_PATH = VAR_DIR / "demo.sqlite3"
PG_DATABASE = "retex_bench_demo"
TARGET_SECONDS = 120
DEMO_TESTIMONIES = 105

GENERATED = re.compile(r"Generated (\d+) testimonies in ([\d.]+) s")


@dataclass
class BackendReport:
    backend: str
    database_url: str
    count: int
    migrate_seconds: float = 0.0
    demo_seconds: float = 0.0
    generate_seconds: float = 0.0
    generate_wall_seconds: float = 0.0
    rows_per_second: float = 0.0
    counts: dict = field(default_factory=dict)
    database_bytes: int | None = None
    ok: bool = False


def command_env(database_url: str, debug: bool) -> dict[str, str]:
    return dev_env(database_url, debug)


def manage(*args: str, env: dict[str, str], echo: bool = False) -> tuple[float, str]:
    """Run a management command; returns (seconds, output). Stops the script if it fails."""
    return run_manage_streaming(*args, env=env, echo=echo)


def prepare(backend: str) -> str:
    if backend == "sqlite":
        return prepare_sqlite(SQLITE_PATH)
    return prepare_postgres(PG_SERVER, PG_DATABASE)


COUNT_SCRIPT = """
import json
from django.db import connection
from retex.contributions.models import Revision, Testimony
from retex.territories.models import Territory
size = None
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("select pg_database_size(current_database())")
        size = cursor.fetchone()[0]
print(json.dumps({
    "territories": Territory.objects.count(),
    "testimonies": Testimony.objects.count(),
    "published": Testimony.objects.published().count(),
    "theme_links": Testimony.themes.through.objects.count(),
    "subtopic_links": Testimony.subtopics.through.objects.count(),
    "tool_links": Testimony.tools.through.objects.count(),
    "revisions": Revision.objects.count(),
    "database_bytes": size,
}))
"""


def run_backend(backend: str, count: int, debug: bool, keep: bool) -> BackendReport:
    say(f"\n== {backend} ==")
    database_url = prepare(backend)
    env = command_env(database_url, debug)
    report = BackendReport(backend=backend, database_url=database_url, count=count)
    try:
        report.migrate_seconds, _ = manage("migrate", "--no-input", "-v", "0", env=env)
        say(f"  migrate: {report.migrate_seconds:.1f} s")
        report.demo_seconds, _ = manage("demo", env=env)
        say(
            f"  demo (territories, consultation, {DEMO_TESTIMONIES} testimonies):"
            f" {report.demo_seconds:.1f} s"
        )
        say(f"  generating {count:,} testimonies:")
        wall, output = manage("demo", "--count", str(count), "--seed", "1", env=env, echo=True)
        match = GENERATED.search(output)
        if match is None or int(match.group(1)) != count:
            sys.exit(f"Unexpected output from manage.py demo --count:\n{output}")
        report.generate_seconds = float(match.group(2))
        report.generate_wall_seconds = wall
        report.rows_per_second = count / report.generate_seconds
        _, counts = manage("shell", "-v", "0", "-c", COUNT_SCRIPT, env=env)
        report.counts = json.loads(counts.strip().splitlines()[-1])
        report.database_bytes = report.counts.pop("database_bytes")
        if backend == "sqlite":
            report.database_bytes = sum(
                Path(f"{SQLITE_PATH}{suffix}").stat().st_size
                for suffix in ("", "-wal")
                if Path(f"{SQLITE_PATH}{suffix}").exists()
            )
        report.ok = (
            report.counts["testimonies"] == count + DEMO_TESTIMONIES
            and report.counts["revisions"] == count + DEMO_TESTIMONIES
            and report.generate_seconds < TARGET_SECONDS
        )
    finally:
        if not keep:
            drop(backend)
    return report


def drop(backend: str) -> None:
    """100,000 testimonies weigh several hundred megabytes: do not leave them behind."""
    if backend == "sqlite":
        delete_sqlite(SQLITE_PATH)
    else:
        drop_postgres(PG_SERVER, PG_DATABASE)


def print_summary(reports: list[BackendReport]) -> None:
    say("\n== Summary ==")
    say(
        f"{'backend':<10} {'testimonies':>12} {'generate s':>11} {'rows/s':>9} {'wall s':>8}"
        f" {'links':>9} {'DB MB':>8}  target"
    )
    for report in reports:
        links = sum(
            report.counts.get(key, 0) for key in ("theme_links", "subtopic_links", "tool_links")
        )
        size = f"{report.database_bytes / 1e6:.0f}" if report.database_bytes else "?"
        verdict = "ok" if report.ok else "MISSED"
        say(
            f"{report.backend:<10} {report.count:>12,} {report.generate_seconds:>11.1f}"
            f" {report.rows_per_second:>9,.0f} {report.generate_wall_seconds:>8.1f}"
            f" {links:>9,} {size:>8}  {verdict} (< {TARGET_SECONDS} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--backend", choices=BACKEND_CHOICES, default="both")
    parser.add_argument("--debug", action="store_true", help="run the commands with DEBUG on")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()

    backends = chosen_backends(args.backend)
    say(
        f"Python {platform.python_version()} on {platform.platform()},"
        f" {os.cpu_count()} CPUs; DEBUG {'on' if args.debug else 'off'}"
    )
    reports = [run_backend(backend, args.count, args.debug, args.keep) for backend in backends]
    print_summary(reports)

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for report in reports:
        path = RESULTS_DIR / f"demo_generate-{report.backend}.json"
        data = {
            **asdict(report),
            "debug": args.debug,
            "machine": platform.platform(),
            "cpus": os.cpu_count(),
            "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        path.write_text(json.dumps(data, indent=2))
    sys.exit(0 if all(report.ok for report in reports) else 1)


if __name__ == "__main__":
    main()
