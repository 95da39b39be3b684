#!/usr/bin/env python3
"""Benchmark of the open-data files: full CSV, XLSX and JSON exports served by gunicorn.

    .venv/bin/python bench/export.py [--backend sqlite|postgres|both] [--small N] [--large N]

For each backend it prepares a fresh database (var/bench/export.sqlite3, or the PostgreSQL
database retex_bench_export on 127.0.0.1 as user postgres, dropped and recreated; see
--sqlite-path and --pg-database), runs `manage.py migrate` and `manage.py demo`, then adds
--small published testimonies (default 10,000) to the demo's practice consultation and --large
(default 100,000) to the seeds' consultation, all published, and runs ANALYZE.

It then starts gunicorn with the production settings and ONE sync worker (so that the worker is
the process whose memory is measured), and downloads, for each format, the full file of the
small consultation, then of the large one, reading the response as it comes. For each download
it prints the time to the first byte, the total time, rows per second, the size, and the
worker's resident memory (RSS) before and at its peak during the download (Linux: the peak is
reset through /proc/<pid>/clear_refs before each download and read from VmHWM; RSS is also
sampled every 10 ms). Constant memory means the peak grows no more with the large file than
with the small one: the script says so per format, and exits with status 1 when a format's
growth for the large file exceeds the small file's by more than --tolerance-mb (default 16).

The files are checked after the timing: CSV and JSON rows counted, the XLSX sheet's rows
counted. Results go to bench/results/export-<backend>.json. The databases are dropped at the
end unless --keep is given; --reuse then skips the generation when a kept database holds the
testimonies asked for.
"""

import argparse
import csv
import http.client
import json
import platform
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from _common import (
    BACKEND_CHOICES,
    PG_SERVER,
    PROD_SETTINGS,
    RESULTS_DIR,
    VAR_DIR,
    Gunicorn,
    chosen_backends,
    cpu_model,
    delete_sqlite,
    dev_env,
    drop_postgres,
    isolated_env,
    load_average,
    memory_kib,
    nproc,
    prepare_postgres,
    prepare_sqlite,
    query_database,
    run_manage_streaming,
    say,
    sqlite_url,
)

FORMATS = ("csv", "xlsx", "json")
SMALL_SLUG = "demonstration-canicules-et-numerique"  # the demo's practice consultation
LARGE_SLUG = "gestion-de-crise-et-numerique"  # the seeds' consultation (97 demo testimonies)

GENERATE_SCRIPT = """
import json, os
from retex.consultations.models import Consultation
from retex.contributions.enums import TestimonyStatus
from retex.demo.services import testimonies_generate
consultation = Consultation.objects.get(slug=os.environ["BENCH_SLUG"])
count = int(os.environ["BENCH_COUNT"])
testimonies_generate(consultation=consultation, count=count, seed="export",
                     statuses=[TestimonyStatus.PUBLISHED] * count,
                     progress=lambda message: None)
print(json.dumps({"published": consultation.testimonies.published().count()}))
"""

ANALYZE_SCRIPT = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""


@dataclass
class Download:
    slug: str
    extension: str
    rows: int
    seconds: float = 0.0
    first_byte_seconds: float = 0.0
    rows_per_second: float = 0.0
    megabytes: float = 0.0
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0
    growth_mb: float = 0.0
    checked_rows: int | None = None


@dataclass
class BackendReport:
    backend: str
    database_url: str
    small: int
    large: int
    generate_seconds: float = 0.0
    downloads: list[Download] = field(default_factory=list)
    constant_memory: dict[str, bool] = field(default_factory=dict)


# --- Memory of the gunicorn worker -----------------------------------------------------------


def worker_pid(master_pid: int) -> int:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def status_kib(pid: int, field_name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field_name} in /proc/{pid}/status")


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+); False when not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak_kib = max(self.peak_kib, status_kib(self.pid, "VmRSS"))
            time.sleep(0.01)

    def stop(self) -> int:
        self.running = False
        self.join()
        return self.peak_kib


# --- Downloads -------------------------------------------------------------------------------


def download(port: int, path: str, destination: Path) -> tuple[float, float, int]:
    """GET path, writing the body to destination; (seconds, seconds to first byte, bytes)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    connection.request("GET", path)
    response = connection.getresponse()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: HTTP {response.status} {response.read()[:300]!r}")
    first_byte = None
    size = 0
    with destination.open("wb") as output:
        while chunk := response.read(65536):
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
            output.write(chunk)
    connection.close()
    return time.perf_counter() - started, first_byte or 0.0, size


def count_rows(path: Path, extension: str) -> int:
    if extension == "csv":
        with path.open(encoding="utf-8-sig", newline="") as lines:
            return sum(1 for _row in csv.reader(lines)) - 1
    if extension == "json":
        return len(json.loads(path.read_bytes())["temoignages"])
    # The first sheet's XML, read as it is unzipped: <row> elements, less the header.
    rows = 0
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as sheet:
        while chunk := sheet.read(1 << 20):
            rows += (tail + chunk).count(b"<row ") - tail.count(b"<row ")
            tail = chunk[-8:]
    return rows - 1


def measure(server: Gunicorn, slug: str, extension: str, rows: int, work: Path) -> Download:
    pid = worker_pid(server.process.pid)
    result = Download(slug=slug, extension=extension, rows=rows)
    reset = reset_peak(pid)
    before = status_kib(pid, "VmRSS")
    sampler = RssSampler(pid)
    sampler.start()
    destination = work / f"{slug}.{extension}"
    seconds, first_byte, size = download(
        server.port, f"/donnees/{slug}/temoignages.{extension}", destination
    )
    sampled = sampler.stop()
    peak = max(sampled, status_kib(pid, "VmHWM") if reset else 0)
    result.seconds = round(seconds, 2)
    result.first_byte_seconds = round(first_byte, 2)
    result.rows_per_second = round(rows / seconds)
    result.megabytes = round(size / 1e6, 1)
    result.rss_before_mb = round(before / 1024, 1)
    result.rss_peak_mb = round(peak / 1024, 1)
    result.growth_mb = round((peak - before) / 1024, 1)
    result.checked_rows = count_rows(destination, extension)
    destination.unlink()
    return result


# --- A backend -------------------------------------------------------------------------------


def generate(env: dict[str, str], args: argparse.Namespace, report: BackendReport) -> dict:
    run_manage_streaming("migrate", "-v", "0", env=env)
    run_manage_streaming("demo", env=env)
    counts = {}
    started = time.monotonic()
    for slug, count in ((SMALL_SLUG, args.small), (LARGE_SLUG, args.large)):
        say(f"   generating {count:,} published testimonies in {slug}…")
        _, output = run_manage_streaming(
            "shell",
            "-v",
            "0",
            "-c",
            GENERATE_SCRIPT,
            env={**env, "BENCH_SLUG": slug, "BENCH_COUNT": str(count)},
        )
        counts[slug] = json.loads(output.strip().splitlines()[-1])["published"]
    report.generate_seconds = round(time.monotonic() - started, 1)
    run_manage_streaming("shell", "-v", "0", "-c", ANALYZE_SCRIPT, env=env)
    say(f"   generated in {report.generate_seconds} s")
    return counts


PUBLISHED_COUNTS = """
SELECT c.slug, count(*) FROM contributions_testimony t
JOIN consultations_consultation c ON c.id = t.consultation_id
WHERE t.status = 'published' GROUP BY c.slug
"""


def reusable_counts(database_url: str, args: argparse.Namespace) -> dict[str, int] | None:
    """The published counts of a database kept by --keep, if it has what this run needs."""
    try:
        counts = dict(query_database(database_url, PUBLISHED_COUNTS))
    except Exception:  # noqa: BLE001 - absent database or tables: generate it
        return None
    if counts.get(SMALL_SLUG) == args.small and counts.get(LARGE_SLUG, 0) >= args.large:
        return counts
    return None


def run_backend(backend: str, args: argparse.Namespace) -> BackendReport:
    if backend == "sqlite":
        database_url = sqlite_url(args.sqlite_path)
    else:
        database_url = f"{PG_SERVER}/{args.pg_database}"
    report = BackendReport(backend, database_url, args.small, args.large)
    env = dev_env(database_url)
    say(f"\n== {backend}: {database_url}")
    counts = reusable_counts(database_url, args) if args.reuse else None
    if counts is None:
        if backend == "sqlite":
            prepare_sqlite(args.sqlite_path)
        else:
            prepare_postgres(PG_SERVER, args.pg_database)
        counts = generate(env, args, report)
    say(f"   published: {counts}")

    server_env = isolated_env(database_url, args.var_dir) | PROD_SETTINGS
    server_env["RETEX_EXPORTS_PER_IP_PER_HOUR"] = "1000000"
    log = args.var_dir / f"gunicorn-export-{backend}.log"
    worker = ["-w", "1", "-k", "sync", "--timeout", "900"]
    with (
        Gunicorn(worker, server_env, log, "/api/v1/") as server,
        tempfile.TemporaryDirectory(dir=args.var_dir) as work,
    ):
        work_dir = Path(work)
        # Warm up: every code path once (imports, templates of nothing), on a file with no row.
        for extension in FORMATS:
            download(
                server.port,
                f"/donnees/{SMALL_SLUG}/temoignages.{extension}?region=00",
                work_dir / "warmup",
            )
        for extension in FORMATS:
            for slug in (SMALL_SLUG, LARGE_SLUG):
                result = measure(server, slug, extension, counts[slug], work_dir)
                report.downloads.append(result)
                say(
                    f"   {extension:4} {result.rows:>7,} rows  {result.seconds:7.2f} s"
                    f"  {result.rows_per_second:>6,} rows/s"
                    f"  first byte {result.first_byte_seconds:5.2f} s"
                    f"  {result.megabytes:7.1f} MB  RSS {result.rss_before_mb:6.1f} → peak"
                    f" {result.rss_peak_mb:6.1f} MB (+{result.growth_mb:.1f})"
                    f"  rows in file: {result.checked_rows:,}"
                )
                if result.checked_rows != result.rows:
                    raise RuntimeError(
                        f"{extension}: {result.checked_rows} rows, not {result.rows}"
                    )
    for extension in FORMATS:
        small, large = (d for d in report.downloads if d.extension == extension)
        report.constant_memory[extension] = large.growth_mb <= small.growth_mb + args.tolerance_mb
        say(
            f"   {extension}: peak growth {small.growth_mb} MB for {small.rows:,} rows,"
            f" {large.growth_mb} MB for {large.rows:,} rows →"
            f" {'constant memory' if report.constant_memory[extension] else 'GROWS WITH ROWS'}"
        )
    if not args.keep:
        if backend == "sqlite":
            delete_sqlite(args.sqlite_path)
        else:
            drop_postgres(PG_SERVER, args.pg_database)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKEND_CHOICES, default="both")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--tolerance-mb", type=float, default=16.0)
    parser.add_argument("--sqlite-path", type=Path, default=VAR_DIR / "export.sqlite3")
    parser.add_argument("--pg-database", default="retex_bench_export")
    parser.add_argument("--var-dir", type=Path, default=VAR_DIR, help="gunicorn's log, files")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--reuse", action="store_true", help="use a database kept by --keep when it fits"
    )
    args = parser.parse_args()
    args.var_dir.mkdir(parents=True, exist_ok=True)

    machine = {
        "cpu": cpu_model(),
        "cpus": nproc(),
        "memory_gib": round((memory_kib() or 0) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average": load_average(),
    }
    say(f"Machine: {machine}")
    ok = True
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for backend in chosen_backends(args.backend):
        report = run_backend(backend, args)
        ok = ok and all(report.constant_memory.values())
        result = {"machine": machine | {"load_after": load_average()}, **asdict(report)}
        path = RESULTS_DIR / f"export-{backend}.json"
        path.write_text(json.dumps(result, indent=2))
        say(f"   written to {path}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
