#!/usr/bin/env python3
"""Benchmark of the moderation queue and review page with a big consultation.

    .venv/bin/python bench/moderation.py [--backend sqlite|postgres|both] [--count N]

For each backend it prepares a fresh database (var/bench/moderation.sqlite3, or the PostgreSQL
database retex_bench_moderation on 127.0.0.1 as user postgres, dropped and recreated), runs
`manage.py migrate`, `manage.py demo`, then `manage.py demo --count N --seed 1`: N generated
testimonies of the demo consultation in every state (about 4 % awaiting moderation, 2 % sent
back to their authors, 85 % published). Generated testimonies have no author's edit waiting,
so `--edits` published ones (default 300) get one, as `testimony_edit` records it. Then
`ANALYZE`, and the comparison of every testimony awaiting a decision with the others of its
collectivity (`duplicates_refresh(limit=None)`, timed: what the queue otherwise does 25
testimonies per page view after a bulk import).

It then measures, in a child process, whole pages as a signed-in organiser gets them (Django's
test client: middleware, queries, templates), each scenario `--rounds` times after one warm-up:
the queue by default (what waits), filtered by state, theme, out-of-audience flag and possible
duplicate, searched (accent-free words in the waiting ones; words in the published ones, through
the public index), a far page of the published, and the review page of waiting testimonies. It
prints p50, p95 and max per scenario and over all queue pages, the CPU time a page takes (this
process and, for PostgreSQL, its server process: the steady figure on a shared machine), the
slowest SQL of the slowest scenario, and writes bench/results/moderation-<backend>.json.
Target: queue p95 < 300 ms; exit status 1 when missed.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import _common
from _common import (
    BACKEND_CHOICES,
    PYTHON,
    RESULTS_DIR,
    ROOT,
    chosen_backends,
    delete_sqlite,
    dev_env,
    drop_postgres,
    machine_info,
    percentile,
    prepare_postgres,
    prepare_sqlite,
    run_manage_streaming,
    say,
    sqlite_url,
)

TARGET_P95_MS = 300

# Scenario name -> query string of the queue (None: the review page of waiting testimonies).
SCENARIOS: dict[str, str | None] = {
    "default (waiting)": "",
    "new only": "state=submitted",
    "edits to review": "state=edit",
    "changes requested": "state=changes_requested",
    "rejected": "state=rejected",
    "published": "state=published",
    "published, page 40": "state=published&page=40",
    "theme": "theme={theme}",
    "out of audience": "out_of_audience=1",
    "possible duplicates": "duplicate=1",
    "theme + out of audience + duplicates": "theme={theme}&out_of_audience=1&duplicate=1",
    "search, waiting": "q=teletravail",
    "search, waiting, 2 words": "q=ecole numerique",
    "search, rejected": "state=rejected&q=marche",
    "search, published": "state=published&q=télétravail agents",
    "review page": None,
}

EDITS_SCRIPT = """
import json
from django.db import transaction
from retex.contributions.enums import RevisionKind, TestimonyStatus
from retex.contributions.models import Revision, Testimony
from retex.audit.models import AuditEvent
count = {edits}
chosen = list(
    Testimony.objects.filter(status=TestimonyStatus.PUBLISHED).order_by("pk")
    .values_list("pk", "title", "initiative")[: count * 50 : 50]
)
with transaction.atomic():
    revisions = Revision.objects.bulk_create(
        Revision(testimony_id=pk, number=2, kind=RevisionKind.AUTHOR_EDIT,
                 content={{"title": title + " (mise à jour)", "initiative": initiative,
                          "themes": [], "subtopics": [], "removed_attachments": []}},
                 editor_name="Bench")
        for pk, title, initiative in chosen
    )
    for revision in revisions:
        Testimony.objects.filter(pk=revision.testimony_id).update(pending_revision=revision)
    AuditEvent.objects.bulk_create(
        AuditEvent(action="testimony.edit", target_type="contributions.testimony",
                   target_id=str(revision.testimony_id),
                   details={{"revision": 2, "awaiting_moderation": True}})
        for revision in revisions
    )
print(json.dumps({{"edits": len(revisions)}}))
"""

# A live database has statistics and, on PostgreSQL, a visibility map (autovacuum): without
# it, counting 85,000 published testimonies reads them all from the table, not the index.
ANALYZE_SCRIPT = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
"""

COUNT_SCRIPT = """
import json
from django.db.models import Count
from retex.contributions.models import Testimony
by_state = dict(
    Testimony.objects.values("status").annotate(n=Count("pk")).values_list("status", "n")
)
edits = Testimony.objects.filter(pending_revision__isnull=False).count()
print(json.dumps({"testimonies": sum(by_state.values()), "by_state": by_state, "edits": edits}))
"""

SCAN_SCRIPT = """
import json, time
from retex.consultations.models import Consultation
from retex.demo import showcase
from retex.moderation.duplicates import duplicates_refresh
from retex.moderation.models import PossibleDuplicate
consultation = Consultation.objects.get(slug=showcase.SLUG)
started = time.perf_counter()
scanned = duplicates_refresh(consultation=consultation, limit=None)
print(json.dumps({"scanned": scanned, "seconds": round(time.perf_counter() - started, 1),
                  "pairs": PossibleDuplicate.objects.count() // 2}))
"""


@dataclass
class BackendReport:
    backend: str
    database_url: str
    count: int
    testimonies: int = 0
    by_state: dict = field(default_factory=dict)
    edits: int = 0
    generate_seconds: float | None = None
    duplicates_scan: dict = field(default_factory=dict)
    rounds: int = 0
    queue_p50_ms: float = 0.0
    queue_p95_ms: float = 0.0
    queue_max_ms: float = 0.0
    # CPU time per page (this process, plus the PostgreSQL backend): what a quiet machine
    # would take, whatever else runs beside the benchmark.
    queue_cpu_ms: float = 0.0
    queue_cpu_max_ms: float = 0.0
    scenarios: dict = field(default_factory=dict)
    slowest_queries: list = field(default_factory=list)


def database_url(args: argparse.Namespace, backend: str) -> str:
    if backend == "sqlite":
        return sqlite_url(args.sqlite_path)
    return f"{args.pg_server}/{args.pg_database}"


def command_env(args: argparse.Namespace, url: str) -> dict[str, str]:
    env = dev_env(url)
    env["RETEX_VAR_DIR"] = str(args.var_dir)
    return env


def shell(script: str, env: dict[str, str]) -> dict:
    _seconds, output = run_manage_streaming("shell", "-v", "0", "-c", script, env=env)
    return json.loads([line for line in output.splitlines() if line.startswith("{")][-1])


def process_cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) of another process of this machine, from /proc: the
    PostgreSQL backend serving the pages (0 for SQLite, which runs in this process)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(rounds: int) -> dict:
    """In this (child) process: the pages, as an organiser of the demo consultation."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from retex.consultations.models import ConsultationMembership
    from retex.contributions.models import Testimony
    from retex.demo import showcase

    membership = ConsultationMembership.objects.select_related("consultation", "user").get(
        consultation__slug=showcase.SLUG, user__username="organisatrice"
    )
    consultation = membership.consultation
    theme = consultation.themes.order_by("position").first()
    waiting = list(
        Testimony.objects.filter(consultation=consultation, status="submitted")
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)[:200]
    )
    client = Client()
    client.force_login(membership.user)
    queue = f"/gestion/{consultation.slug}/moderation/"
    times: dict[str, list[float]] = {}
    queries: dict[str, list[tuple[float, str]]] = {}

    def path_of(name: str, index: int) -> str:
        query = SCENARIOS[name]
        if query is None:
            return f"/gestion/{consultation.slug}/temoignages/{waiting[index]}/"
        return queue + "?" + query.format(theme=theme.pk)

    database_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            database_pid = cursor.fetchone()[0]
    cpu: dict[str, float] = {}
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for name in SCENARIOS:
            samples = []
            client.get(path_of(name, 0))  # warm-up
            cpu_started = time.process_time(), process_cpu_seconds(database_pid)
            for index in range(1, rounds + 1):
                started = time.perf_counter()
                response = client.get(path_of(name, index))
                samples.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{path_of(name, index)}: HTTP {response.status_code}")
            spent = time.process_time() - cpu_started[0]
            spent += process_cpu_seconds(database_pid) - cpu_started[1]
            cpu[name] = spent * 1000 / rounds
            times[name] = samples
            # Once more, untimed, to see where the time goes.
            with CaptureQueriesContext(connection) as captured:
                client.get(path_of(name, rounds))
            queries[name] = sorted(
                ((float(q["time"]) * 1000, q["sql"][:240]) for q in captured.captured_queries),
                reverse=True,
            )[:3]
    queue_times = sorted(
        value for name, values in times.items() if SCENARIOS[name] is not None for value in values
    )
    scenarios = {
        name: {
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(sorted(values), 0.95), 1),
            "max_ms": round(max(values), 1),
            "cpu_ms": round(cpu[name], 1),
        }
        for name, values in times.items()
    }
    queue_cpu = [cpu[name] for name in cpu if SCENARIOS[name] is not None]
    slowest = max(
        (name for name in scenarios if SCENARIOS[name] is not None),
        key=lambda name: scenarios[name]["p95_ms"],
    )
    return {
        "rounds": rounds,
        "queue_p50_ms": round(statistics.median(queue_times), 1),
        "queue_p95_ms": round(percentile(queue_times, 0.95), 1),
        "queue_max_ms": round(queue_times[-1], 1),
        "queue_cpu_ms": round(statistics.fmean(queue_cpu), 1),
        "queue_cpu_max_ms": round(max(queue_cpu), 1),
        "scenarios": scenarios,
        "slowest_queries": [
            {"scenario": slowest, "ms": round(ms, 1), "sql": sql} for ms, sql in queries[slowest]
        ],
    }


def run_backend(args: argparse.Namespace, backend: str) -> BackendReport:
    say(f"\n== {backend} ==")
    url = database_url(args, backend)
    env = command_env(args, url)
    report = BackendReport(backend=backend, database_url=url, count=args.count)
    if not args.reuse:
        if backend == "sqlite":
            prepare_sqlite(args.sqlite_path)
        else:
            prepare_postgres(args.pg_server, args.pg_database)
        seconds, _ = run_manage_streaming("migrate", "--no-input", "-v", "0", env=env)
        say(f"  migrate: {seconds:.1f} s")
        seconds, _ = run_manage_streaming("demo", env=env)
        say(f"  demo: {seconds:.1f} s")
        seconds, _ = run_manage_streaming(
            "demo", "--count", str(args.count), "--seed", "1", env=env, echo=args.verbose
        )
        report.generate_seconds = round(seconds, 1)
        say(f"  {args.count:,} testimonies generated in {seconds:.1f} s")
        shell(EDITS_SCRIPT.format(edits=args.edits), env)
        seconds, _ = run_manage_streaming("shell", "-v", "0", "-c", ANALYZE_SCRIPT, env=env)
        say(f"  (VACUUM) ANALYZE: {seconds:.1f} s")
        report.duplicates_scan = shell(SCAN_SCRIPT, env)
        say(
            "  possible duplicates: {scanned:,} testimonies awaiting a decision compared in"
            " {seconds} s, {pairs:,} pairs".format(**report.duplicates_scan)
        )
    found = shell(COUNT_SCRIPT, env)
    report.testimonies, report.by_state, report.edits = (
        found["testimonies"],
        found["by_state"],
        found["edits"],
    )
    say(
        f"  {report.testimonies:,} testimonies: {report.by_state.get('submitted', 0):,} awaiting"
        f" moderation, {report.edits:,} edits to review,"
        f" {report.by_state.get('changes_requested', 0):,} sent back,"
        f" {report.by_state.get('published', 0):,} published"
    )
    say(f"  measuring {len(SCENARIOS)} scenarios x {args.rounds} rounds…")
    child = subprocess.run(
        [PYTHON, __file__, "--measure", "--rounds", str(args.rounds)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
    if child.returncode or not lines:
        sys.exit(f"Measuring failed:\n{child.stdout}\n{child.stderr}")
    for key, value in json.loads(lines[-1]).items():
        setattr(report, key, value)
    say(
        f"  queue pages: p50 {report.queue_p50_ms:.1f} ms, p95 {report.queue_p95_ms:.1f} ms,"
        f" max {report.queue_max_ms:.1f} ms (target p95 < {TARGET_P95_MS} ms);"
        f" CPU per page: mean {report.queue_cpu_ms:.1f} ms, worst scenario"
        f" {report.queue_cpu_max_ms:.1f} ms"
    )
    for name, figures in report.scenarios.items():
        say(
            f"    {name:<38} p50 {figures['p50_ms']:6.1f}  p95 {figures['p95_ms']:6.1f}"
            f"  max {figures['max_ms']:6.1f}  CPU {figures['cpu_ms']:6.1f} ms"
        )
    say("  slowest SQL of the slowest scenario:")
    for item in report.slowest_queries:
        say(f"    {item['ms']:7.1f} ms  {item['sql']}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKEND_CHOICES, default="both")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--edits", type=int, default=300, help="authors' edits waiting")
    parser.add_argument("--rounds", type=int, default=20, help="measured views per scenario")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    parser.add_argument("--verbose", action="store_true", help="show the commands' output")
    parser.add_argument("--pg-server", default=_common.PG_SERVER)
    parser.add_argument("--pg-database", default="retex_bench_moderation")
    parser.add_argument("--sqlite-path", type=Path, default=_common.VAR_DIR / "moderation.sqlite3")
    parser.add_argument(
        "--var-dir", type=Path, default=_common.VAR_DIR, help="RETEX_VAR_DIR of the commands"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.pg_server = args.pg_server.rstrip("/")

    if args.measure:  # the child process, with the backend's environment
        print(json.dumps(measure(args.rounds)))
        return

    args.var_dir.mkdir(parents=True, exist_ok=True)
    args.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
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
            if not args.keep:
                if backend == "sqlite":
                    delete_sqlite(args.sqlite_path)
                else:
                    drop_postgres(args.pg_server, args.pg_database)

    say(f"\n== Summary == (load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    missed = False
    for report in reports:
        missed |= report.queue_p95_ms >= TARGET_P95_MS
        say(
            f"{report.backend:<9} {report.testimonies:>9,} testimonies"
            f" ({report.by_state.get('submitted', 0):,} waiting, {report.edits} edits)"
            f"  queue p50 {report.queue_p50_ms:6.1f} ms  p95 {report.queue_p95_ms:6.1f} ms"
            f"  CPU/page {report.queue_cpu_ms:5.1f} ms"
            f"  review p95 {report.scenarios['review page']['p95_ms']:6.1f} ms"
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for report in reports:
        path = RESULTS_DIR / f"moderation-{report.backend}.json"
        data = {**asdict(report), "machine": info, "ran_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
