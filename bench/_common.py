"""Helpers shared by the benchmark scripts of this folder (not a benchmark itself).

The scripts run as `.venv/bin/python bench/<script>.py` from the repository root, so this
folder is on `sys.path` and they import it as `_common`. Nothing here configures Django: the
measured work runs in subprocesses (`manage.py`, gunicorn) with the environment built here.
"""

import http.client
import os
import platform
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var" / "bench"
RESULTS_DIR = ROOT / "bench" / "results"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PYTHON = sys.executable
BACKEND_CHOICES = ["sqlite", "postgres", "both"]
SQLITE_SUFFIXES = ("", "-wal", "-shm")


# What people would type: single words (plurals, no accents), two words, names, phrases.
SEARCH_QUERIES = [
    "télétravail",
    "teletravail",
    "commandes",
    "marché",
    "écoles",
    "visioconférence",
    "cybersécurité",
    "VPN",
    "tablettes",
    "associations",
    "livraison à domicile",
    "producteurs locaux",
    "commerçants",
    "personnes âgées",
    "aide alimentaire",
    "continuité du service public",
    "élus",
    "télétravail agents",
    "commande en ligne",
    "inclusion numérique",
    "click & collect",
    "Beauvais",
    "Arras marché",
    '"marché de plein vent"',
    '"continuité du service public"',
    '"plan de continuité"',
    "sauvegarde rançongiciel",
    "parents élèves ordinateurs",
    "réseaux sociaux mairie",
    "zzzz introuvable",
]


def say(message: str) -> None:
    print(message, flush=True)


def chosen_backends(choice: str) -> list[str]:
    """The backends of a `--backend sqlite|postgres|both` option."""
    return ["sqlite", "postgres"] if choice == "both" else [choice]


# --- Machine -------------------------------------------------------------------------------


def _proc_field(path: str, prefix: str) -> str | None:
    """The value after the colon of the first line of a /proc file starting with `prefix`."""
    try:
        with Path(path).open() as lines:
            for line in lines:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def cpu_model() -> str | None:
    """The CPU model from /proc/cpuinfo (None when unknown)."""
    return _proc_field("/proc/cpuinfo", "model name")


def memory_kib() -> int | None:
    """Total RAM in KiB from /proc/meminfo (None when unknown)."""
    value = _proc_field("/proc/meminfo", "MemTotal:")
    return int(value.split()[0]) if value else None


def nproc() -> int:
    """CPUs this process may run on (as `nproc` counts them)."""
    return len(os.sched_getaffinity(0))


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


# --- Databases -----------------------------------------------------------------------------


def machine_info() -> dict:
    """The machine a figure was measured on, for the reports."""
    memory = memory_kib()
    return {
        "load_average": load_average(),
        "nproc": nproc(),
        "cpu": cpu_model() or "?",
        "memory": f"{memory / 1024 / 1024:.1f} GiB" if memory else "?",
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def delete_sqlite(path: Path) -> None:
    """The database file and its WAL companions."""
    for suffix in SQLITE_SUFFIXES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare_sqlite(path: Path) -> str:
    """A fresh (absent) SQLite database under var/bench/; returns its DATABASE_URL."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    delete_sqlite(path)
    return sqlite_url(path)


def postgres_admin(server: str, *statements: str) -> None:
    """Run statements on the server's `postgres` database, outside any transaction."""
    import psycopg  # The project's own dependency.

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def drop_postgres(server: str, database: str) -> None:
    postgres_admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def prepare_postgres(server: str, database: str) -> str:
    """Drop and recreate the database; returns its DATABASE_URL."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # RETEX_VAR_DIR of the commands
    postgres_admin(
        server,
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}"',
    )
    return f"{server}/{database}"


def bench_database_url(backend: str, sqlite_path: Path, pg_database: str) -> str:
    """The address of a script's own database on that backend."""
    return sqlite_url(sqlite_path) if backend == "sqlite" else f"{PG_SERVER}/{pg_database}"


def bench_database_prepare(backend: str, sqlite_path: Path, pg_database: str) -> str:
    """A script's own database, empty (dropped and created again); its address."""
    if backend == "sqlite":
        return prepare_sqlite(sqlite_path)
    return prepare_postgres(PG_SERVER, pg_database)


def bench_database_drop(backend: str, sqlite_path: Path, pg_database: str) -> None:
    if backend == "sqlite":
        delete_sqlite(sqlite_path)
    else:
        drop_postgres(PG_SERVER, pg_database)


def query_database(database_url: str, query: str, params: tuple = ()) -> list[tuple]:
    """Read a bench database directly (`%s` placeholders): the bench process itself never
    configures Django."""
    if database_url.startswith("sqlite:///"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            return connection.execute(query.replace("%s", "?"), params).fetchall()
        finally:
            connection.close()
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(query, params).fetchall()


# --- Environments and management commands --------------------------------------------------


def dev_env(database_url: str, debug: bool = False) -> dict[str, str]:
    """The current environment with the development settings, for `manage.py`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "retex.settings.dev",
        "DATABASE_URL": database_url,
        # Keeps the secret key and any file the settings create away from var/.
        "RETEX_VAR_DIR": str(VAR_DIR),
        # DEBUG keeps every SQL statement in memory.
        "DEBUG": "true" if debug else "false",
        "PYTHONUNBUFFERED": "1",
    }


def isolated_env(database_url: str, var_dir: Path, removed: Iterable[str] = ()) -> dict[str, str]:
    """The current environment without its Django settings (nor `removed`), with the bench
    database and var directory: what the settings-specific environments start from."""
    dropped = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", *removed}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    return env | {
        "DATABASE_URL": database_url,
        "RETEX_VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
    }


DEV_SETTINGS = {"DJANGO_SETTINGS_MODULE": "retex.settings.dev", "DEBUG": "false"}
# Production settings on the loopback interface, without HTTPS.
PROD_SETTINGS = {
    "DJANGO_SETTINGS_MODULE": "retex.settings.prod",
    "SECRET_KEY": "bench-only-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "WARNING",
}


def run_manage(
    *args: str, env: dict[str, str], label: str | None = None, timeout: float = 600
) -> tuple[float, str]:
    """Run a management command with its output captured; returns (seconds, stdout).
    Raises RuntimeError when it fails, naming it by `label` (default: all its arguments)."""
    started = time.perf_counter()
    completed = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(
            f"manage.py {label or ' '.join(args)} failed ({completed.returncode}):\n"
            f"{completed.stdout}\n{completed.stderr}"
        )
    return elapsed, completed.stdout


def run_manage_streaming(*args: str, env: dict[str, str], echo: bool = False) -> tuple[float, str]:
    """Run a management command, its output (stderr included) echoed as it comes when `echo`;
    returns (seconds, output). Stops the script if it fails."""
    started = time.monotonic()
    process = subprocess.Popen(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if echo:
            print(f"    {line}", end="", flush=True)
    process.wait()
    elapsed = time.monotonic() - started
    output = "".join(lines)
    if process.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{output}")
    return elapsed, output


# --- Server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving Retex on a free loopback port, started in its own process group and
    always stopped; ready once `ready_path` answers 200."""

    def __init__(
        self,
        worker_arguments: list[str],
        env: dict[str, str],
        log_path: Path,
        ready_path: str,
        *,
        start_timeout: float = 60,
        probe_timeout: float = 2,
        stop_timeout: float = 15,
    ) -> None:
        self.worker_arguments = worker_arguments
        self.env = env
        self.log_path = log_path
        self.ready_path = ready_path
        self.start_timeout = start_timeout
        self.probe_timeout = probe_timeout
        self.stop_timeout = stop_timeout
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log: IO[str] | None = None

    def __enter__(self) -> "Gunicorn":
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "retex.wsgi:application",
                *self.worker_arguments,
                "-b",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {self.log_path}")
            try:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.probe_timeout
                )
                connection.request("GET", self.ready_path)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status == 200:
                    return
                raise RuntimeError(f"gunicorn answers HTTP {response.status}; see {self.log_path}")
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {self.start_timeout:g} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            # The master stops its workers on SIGTERM; the group kill is only a fallback.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        if self.log is not None:
            self.log.close()
            self.log = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


# --- Measuring -----------------------------------------------------------------------------


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of values sorted in ascending order."""
    index = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def latency_summary(values_ms: list[float], digits: int) -> dict[str, Any]:
    """Count, mean, p50, p95, p99 and max of latencies in milliseconds, rounded."""
    ordered = sorted(values_ms)
    return {
        "count": len(ordered),
        "mean": round(statistics.fmean(ordered), digits),
        "p50": round(percentile(ordered, 0.50), digits),
        "p95": round(percentile(ordered, 0.95), digits),
        "p99": round(percentile(ordered, 0.99), digits),
        "max": round(ordered[-1], digits),
    }
