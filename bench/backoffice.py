#!/usr/bin/env python3
"""Benchmark of the back office at scale: dashboard and moderation queue latency over HTTP,
and the organisers' export (time and peak memory of the server worker) at 10k and 100k rows.

    .venv/bin/python bench/backoffice.py [--backend sqlite|postgres|both] [--count N]

For each backend it prepares a fresh database (var/bench/f2/backoffice.sqlite3, or the
PostgreSQL database retex_bench_f2 on 127.0.0.1, dropped and recreated), migrates, runs
`manage.py demo`, then `demo --count N --seed 1` (N testimonies in the demo consultation) and
`demo --count M --seed 2 --consultation <the practice one>` (M, default 10,000, in a second
consultation). The generator writes no moderation decision: the script adds one first decision
per decided testimony (publish, reject…), dated at its publication or a few hours after its
sending, so that the median time to moderation is computed over some 90 % of the rows. Then
ANALYZE (VACUUM ANALYZE on PostgreSQL), collectstatic, and an organiser's session.

1. In-process (`manage.py shell`), the dashboard's figures computed from scratch, as after a
   change once the figures served are more than a minute old, and each part apart.
2. gunicorn -w 2 (production settings) serves sequential GETs with the organiser's session:
   - the dashboard, as people meet it: warm (nothing changed: the cached figures), and while
     moderators work (an audit event written before each request, as any testimony sent or
     moderated does: figures less than a minute old are served, then computed again);
   - the moderation queue page (`moderation:queue`, whatever it is at the time of the run).
3. gunicorn -w 1 --timeout 900: the organisers' CSV export (and XLSX with --xlsx) of the small
   and of the big consultation, read as it streams. The worker's peak resident memory is reset
   (/proc/<pid>/clear_refs) before each download and read (VmHWM) after it; RSS is also sampled
   every 0.1 s. Constant memory means the same peak for 10k and 100k rows.

Prints the figures and the machine, and writes them to bench/results/backoffice-<backend>.json.
Targets: dashboard (warm and while moderators work) and queue p95 < 300 ms; export peak RSS
independent of the number of rows. Exit status 1 when a target is missed. --keep keeps the
databases, --reuse runs again on them without generating anything.
"""

import argparse
import csv
import http.client
import io
import json
import platform
import sqlite3
import sys
import tempfile
import threading
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
    chosen_backends,
    cpu_model,
    delete_sqlite,
    drop_postgres,
    isolated_env,
    latency_summary,
    load_average,
    memory_kib,
    nproc,
    prepare_postgres,
    prepare_sqlite,
    run_manage,
    run_manage_streaming,
    say,
    sqlite_url,
)

BENCH_DIR = VAR_DIR / "f2"
SQLITE_PATH = BENCH_DIR / "backoffice.sqlite3"
PG_DATABASE = "retex_bench_f2"
P95_TARGET_MS = 300
REQUEST_TIMEOUT = 900
PRACTICE_SLUG = "demonstration-canicules-et-numerique"
DEMO_SLUG = "gestion-de-crise-et-numerique"

# Run by `manage.py shell`: first decisions for the generated testimonies, an organiser of
# both consultations with a session, the addresses to measure. Prints one JSON line.
SETUP_SCRIPT = """
import json
from datetime import timedelta
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from retex.consultations.models import Consultation, ConsultationMembership
from retex.contributions.models import Testimony
from retex.moderation.models import ModerationDecision

KINDS = {"published": "publish", "unpublished": "publish", "rejected": "reject",
         "changes_requested": "request_changes", "duplicate": "mark_duplicate"}
# Bulk-written decisions keep the dates given here (auto_now_add would stamp them "now").
ModerationDecision._meta.get_field("created_at").auto_now_add = False
# Those without any decision (the demo's own may have some; --reuse: made by an earlier run).
rows = Testimony.objects.filter(
    status__in=KINDS, submitted_at__isnull=False, moderation_decisions__isnull=True
).values_list("pk", "status", "submitted_at", "published_at")
batch = []
for pk, status, submitted_at, published_at in rows.iterator(chunk_size=5000):
    at = published_at or submitted_at + timedelta(hours=1 + pk % 96)
    batch.append(ModerationDecision(testimony_id=pk, kind=KINDS[status], created_at=at))
    if len(batch) == 5000:
        ModerationDecision.objects.bulk_create(batch)
        batch = []
ModerationDecision.objects.bulk_create(batch)

user, _ = get_user_model().objects.get_or_create(
    username="bench-f2", defaults={"first_name": "Bench", "last_name": "Organiser"})
result = {"decisions": ModerationDecision.objects.count(), "consultations": {}}
for consultation in Consultation.objects.all():
    ConsultationMembership.objects.update_or_create(
        consultation=consultation, user=user, defaults={"role": "organiser"})
    result["consultations"][consultation.slug] = {
        "testimonies": Testimony.objects.filter(consultation=consultation).count(),
        "dashboard": reverse("backoffice:dashboard", args=[consultation.slug]),
        "queue": reverse("moderation:queue", args=[consultation.slug]),
        "csv": reverse("backoffice:export_file", args=[consultation.slug, "csv"]),
        "xlsx": reverse("backoffice:export_file", args=[consultation.slug, "xlsx"]),
        "id": consultation.pk,
    }
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
result["session"] = session.session_key
print(json.dumps(result))
"""


# Run by `manage.py shell`: the dashboard's figures computed from scratch (no cache), as after
# a change once the stale minute is over, and each part apart. Prints one JSON line.
COLD_SCRIPT = """
import json, time
from retex.backoffice import selectors_dashboard as s
from retex.consultations.models import Consultation
consultation = Consultation.objects.get(slug=%(slug)r)
parts = {"timeline": s._timeline, "themes": s._themes, "places": s._places,
         "moderation": s._moderation, "all": s.dashboard_compute}
timings = {name: [] for name in parts}
s.dashboard_compute(consultation)  # the database's pages and the code, loaded
for _ in range(%(rounds)d):
    for name, part in parts.items():
        started = time.perf_counter()
        part(consultation)
        timings[name].append((time.perf_counter() - started) * 1000)
print(json.dumps({name: sorted(values) for name, values in timings.items()}))
"""


@dataclass
class BackendReport:
    backend: str
    count: int
    small_count: int
    generate_seconds: float = 0.0
    setup_seconds: float = 0.0
    decisions: int = 0
    dashboard_compute_ms: dict = field(default_factory=dict)
    dashboard_warm: dict = field(default_factory=dict)
    dashboard_active: dict = field(default_factory=dict)
    queue: dict = field(default_factory=dict)
    exports: list = field(default_factory=list)
    ok: bool = True
    notes: list = field(default_factory=list)


# --- Database --------------------------------------------------------------------------------


def database_url(backend: str, reuse: bool) -> tuple[str, bool]:
    """The bench database's URL, and whether it was kept from an earlier run (--reuse)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        if reuse and SQLITE_PATH.exists():
            return sqlite_url(SQLITE_PATH), True
        return prepare_sqlite(SQLITE_PATH), False
    if reuse:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
            ).fetchone()
        if found:
            return f"{PG_SERVER}/{PG_DATABASE}", True
    return prepare_postgres(PG_SERVER, PG_DATABASE), False


def execute(database_url: str, statement: str, params: tuple = ()) -> None:
    """A statement on the bench database, committed (autocommit on PostgreSQL: VACUUM)."""
    if database_url.startswith("sqlite:///"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            connection.execute(statement.replace("%s", "?"), params)
            connection.commit()
        finally:
            connection.close()
        return
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(statement, params)


def audit_event(database_url: str, consultation_id: int) -> None:
    """What any testimony sent or moderated writes: it changes the dashboard's cache key."""
    execute(
        database_url,
        "INSERT INTO audit_auditevent (created_at, actor_label, action, target_type, target_id,"
        " consultation_id, details) VALUES (CURRENT_TIMESTAMP, 'bench', 'bench.tick',"
        " 'consultations.consultation', %s, %s, '{}')",
        (str(consultation_id), consultation_id),
    )


# --- HTTP ------------------------------------------------------------------------------------


class Client:
    def __init__(self, port: int, session: str) -> None:
        self.port = port
        self.headers = {"Cookie": f"sessionid={session}", "Host": "127.0.0.1"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)

    def get(self, path: str) -> tuple[float, int, bytes]:
        started = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        return (time.perf_counter() - started) * 1000, response.status, body

    def stream(self, path: str, sink) -> tuple[float, float, int, int]:
        """(first byte ms, total ms, status, bytes), the body written to `sink` as it comes."""
        started = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        first = None
        size = 0
        while chunk := response.read(65536):
            if first is None:
                first = (time.perf_counter() - started) * 1000
            size += len(chunk)
            sink.write(chunk)
        return first or 0.0, (time.perf_counter() - started) * 1000, response.status, size

    def close(self) -> None:
        self.connection.close()


def measure_pages(client: Client, path: str, requests: int, expect: bytes, before=None) -> dict:
    latencies = []
    for _ in range(requests):
        if before:
            before()
        elapsed, status, body = client.get(path)
        if status != 200 or expect not in body:
            raise RuntimeError(f"GET {path}: HTTP {status}, {body[:300]!r}")
        latencies.append(elapsed)
    return latency_summary(latencies, 1)


# --- Memory of the worker --------------------------------------------------------------------


def worker_pid(master_pid: int) -> int:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{key} not in /proc/{pid}/status")


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, status_kib(self.pid, "VmRSS"))
            time.sleep(0.1)


def measure_export(client: Client, pid: int, path: str, rows_expected: int, fmt: str) -> dict:
    # Writing 5 resets the peak (VmHWM) to the current resident size (Linux ≥ 4.0).
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    before = status_kib(pid, "VmRSS")
    sampler = RssSampler(pid)
    sampler.start()
    with tempfile.TemporaryFile() as sink:
        first, total, status, size = client.stream(path, sink)
        sampler.stopped.set()
        sampler.join()
        peak = status_kib(pid, "VmHWM")
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        sink.seek(0)
        if fmt == "csv":
            text = io.TextIOWrapper(sink, encoding="utf-8-sig", newline="")
            rows = sum(1 for _ in csv.reader(text, delimiter=";")) - 1
        else:
            from openpyxl import load_workbook

            workbook = load_workbook(sink, read_only=True)
            rows = sum(1 for _ in workbook["temoignages"].iter_rows(values_only=True)) - 1
            workbook.close()
    if rows != rows_expected:
        raise RuntimeError(f"{path}: {rows} rows, {rows_expected} expected")
    return {
        "format": fmt,
        "rows": rows,
        "megabytes": round(size / 2**20, 1),
        "first_byte_ms": round(first),
        "seconds": round(total / 1000, 1),
        "rows_per_second": round(rows / (total / 1000)),
        "rss_before_mib": round(before / 1024, 1),
        "rss_peak_mib": round(max(peak, sampler.peak) / 1024, 1),
        "rss_growth_mib": round((max(peak, sampler.peak) - before) / 1024, 1),
    }


# --- One backend -----------------------------------------------------------------------------


def run_backend(backend: str, args: argparse.Namespace) -> BackendReport:
    report = BackendReport(backend=backend, count=args.count, small_count=args.small_count)
    url, reused = database_url(backend, args.reuse)
    say(f"\n== {backend}: {url}{' (reused)' if reused else ''}")
    # The server's secret key: the session made by the setup script must be valid for it.
    manage_env = (
        isolated_env(url, BENCH_DIR) | DEV_SETTINGS | {"SECRET_KEY": PROD_SETTINGS["SECRET_KEY"]}
    )
    server_env = isolated_env(url, BENCH_DIR, removed=["REDIS_URL"]) | PROD_SETTINGS
    run_manage("migrate", "-v", "0", env=manage_env)
    if not reused:
        run_manage_streaming("demo", env=manage_env)
        say(f"Generating {args.count:,} + {args.small_count:,} testimonies…")
        started = time.perf_counter()
        run_manage_streaming("demo", "--count", str(args.count), "--seed", "1", env=manage_env)
        run_manage_streaming(
            "demo",
            "--count",
            str(args.small_count),
            "--seed",
            "2",
            "--consultation",
            PRACTICE_SLUG,
            env=manage_env,
        )
        report.generate_seconds = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    _, output = run_manage("shell", "-v", "0", "-c", SETUP_SCRIPT, env=manage_env, timeout=1800)
    setup = json.loads(output.strip().splitlines()[-1])
    execute(url, "ANALYZE" if backend == "sqlite" else "VACUUM ANALYZE")
    run_manage("collectstatic", "--noinput", "-v", "0", env=server_env | {"DEBUG": "false"})
    report.setup_seconds = round(time.perf_counter() - started, 1)
    report.decisions = setup["decisions"]
    big = setup["consultations"][DEMO_SLUG]
    small = setup["consultations"][PRACTICE_SLUG]
    say(
        f"{big['testimonies']:,} + {small['testimonies']:,} testimonies,"
        f" {report.decisions:,} decisions ({report.generate_seconds} s + {report.setup_seconds} s)"
    )

    script = COLD_SCRIPT % {"slug": DEMO_SLUG, "rounds": args.cold_rounds}
    _, output = run_manage("shell", "-v", "0", "-c", script, env=manage_env, timeout=1800)
    timings = json.loads(output.strip().splitlines()[-1])
    report.dashboard_compute_ms = {
        name: {"median": round(values[len(values) // 2]), "max": round(values[-1])}
        for name, values in timings.items()
    }
    say(f"dashboard computed from scratch, in-process (ms): {report.dashboard_compute_ms}")

    log = BENCH_DIR / f"gunicorn-{backend}.log"
    with Gunicorn(["-w", "2", "--timeout", "120"], server_env, log, "/") as server:
        client = Client(server.port, setup["session"])
        measure_pages(client, big["dashboard"], 3, b"dashboard-section")
        report.dashboard_warm = measure_pages(
            client, big["dashboard"], args.requests, b"dashboard-section"
        )
        say(f"dashboard, warm: {report.dashboard_warm}")
        report.dashboard_active = measure_pages(
            client,
            big["dashboard"],
            args.requests,
            b"dashboard-section",
            before=lambda: audit_event(url, big["id"]),
        )
        say(f"dashboard, a change before each request: {report.dashboard_active}")
        measure_pages(client, big["queue"], 3, b"<h1")
        report.queue = measure_pages(client, big["queue"], args.requests, b"<h1")
        say(f"moderation queue: {report.queue}")
        client.close()

    formats = ["csv", "xlsx"] if args.xlsx else ["csv"]
    log = BENCH_DIR / f"gunicorn-export-{backend}.log"
    with Gunicorn(["-w", "1", "--timeout", str(REQUEST_TIMEOUT)], server_env, log, "/") as server:
        pid = worker_pid(server.process.pid)
        client = Client(server.port, setup["session"])
        client.get(small["dashboard"])  # the worker has loaded everything a request needs
        for fmt in formats:
            for consultation in (small, big):
                figures = measure_export(
                    client, pid, consultation[fmt], consultation["testimonies"], fmt
                )
                report.exports.append(figures)
                say(f"export: {figures}")
        client.close()

    for name in ("dashboard_warm", "dashboard_active", "queue"):
        if getattr(report, name)["p95"] > P95_TARGET_MS:
            report.ok = False
            report.notes.append(f"{name} p95 above {P95_TARGET_MS} ms")
    for fmt in formats:
        small_peak, big_peak = (e["rss_growth_mib"] for e in report.exports if e["format"] == fmt)
        # Constant memory: 10 times the rows may not take more than a few MiB more.
        if big_peak > small_peak + 16:
            report.ok = False
            report.notes.append(f"{fmt} export memory grows with the rows")
    if not args.keep:
        if backend == "sqlite":
            delete_sqlite(SQLITE_PATH)
        else:
            drop_postgres(PG_SERVER, PG_DATABASE)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKEND_CHOICES, default="both")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--small-count", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="per page, warm")
    parser.add_argument(
        "--cold-rounds", type=int, default=5, help="figures computed from scratch, in-process"
    )
    parser.add_argument("--xlsx", action="store_true", help="also export XLSX (slow)")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--reuse", action="store_true", help="use the databases kept by --keep (no generation)"
    )
    args = parser.parse_args()

    machine = {
        "cpu": cpu_model(),
        "cpus": nproc(),
        "memory_gib": round((memory_kib() or 0) / 2**20, 1),
        "python": platform.python_version(),
        "load_average_before": load_average(),
    }
    say(f"Machine: {machine}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    ok = True
    for backend in chosen_backends(args.backend):
        report = run_backend(backend, args)
        result = {"machine": machine | {"load_average_after": load_average()}, **asdict(report)}
        path = RESULTS_DIR / f"backoffice-{backend}.json"
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        say(f"{backend}: {'OK' if report.ok else 'target missed: ' + '; '.join(report.notes)}")
        say(f"Written to {path}")
        ok = ok and report.ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
