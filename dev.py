#!/usr/bin/env python3
"""Set-up and run Retex on a fresh machine with nothing but python3.

    python3 dev.py demo   # installs, loads the demo data, serves http://127.0.0.1:8000
    python3 dev.py test   # installs (with test tools), checks quality, runs every test

Both create a virtualenv in .venv from requirements.lock (again only when the lock changes).
`test` runs on SQLite by default; with DATABASE_URL=postgres://… it runs on PostgreSQL and
creates that database if it does not exist. On Debian as root, missing system packages
(python3-venv, chromium for the browser tests, gettext) are installed with apt-get.
Standard library only: this file runs before anything is installed.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("RETEX_VENV", ROOT / ".venv"))
RUNTIME_LOCK = ROOT / "requirements.lock"
TEST_LOCK = ROOT / "requirements-test.lock"
BIN = VENV / "bin"
PYTHON = BIN / "python"


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m" if sys.stdout.isatty() else f"==> {message}", flush=True)


def run(*command: str | Path, env: dict | None = None) -> None:
    completed = subprocess.run([str(part) for part in command], cwd=ROOT, env=env)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def apt_install(*packages: str) -> None:
    """Install Debian packages when we can (root with apt-get); otherwise say what is missing."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"Missing system packages: {' '.join(packages)}. Install them and run again.")
    say(f"Installing system packages: {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages, env=env)


def _digest(lock: Path) -> str:
    return hashlib.sha256(lock.read_bytes()).hexdigest()


def ensure_virtualenv(with_tests: bool) -> None:
    """Install the locked dependencies, again only when the lock file changed.

    A virtualenv installed for the tests also serves the demo (the test lock includes the
    runtime one)."""
    lock = TEST_LOCK if with_tests else RUNTIME_LOCK
    marker = VENV / ".retex-installed"
    if marker.exists() and marker.read_text() in {_digest(lock), _digest(TEST_LOCK)}:
        return
    if not PYTHON.exists():
        say(f"Creating the virtualenv in {VENV}")
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (subprocess.CalledProcessError, OSError):
            shutil.rmtree(VENV, ignore_errors=True)
            apt_install("python3-venv")
            venv.EnvBuilder(with_pip=True).create(VENV)
    say(f"Installing dependencies ({lock.name})")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", lock)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", ".")
    marker.write_text(_digest(lock))


def retex(*args: str, env: dict | None = None) -> None:
    run(BIN / "retex", *args, env=env)


def ensure_postgres_database(url: str) -> None:
    """Create the database named in DATABASE_URL if it is missing (CI starts from nothing)."""
    script = (
        "import sys, psycopg, dj_database_url\n"
        "c = dj_database_url.parse(sys.argv[1])\n"
        "kw = dict(host=c['HOST'] or None, port=c['PORT'] or None, user=c['USER'] or None,"
        " password=c['PASSWORD'] or None, autocommit=True)\n"
        "with psycopg.connect(dbname='postgres', **kw) as conn:\n"
        "    if not conn.execute('select 1 from pg_database where datname=%s',"
        " [c['NAME']]).fetchone():\n"
        '        conn.execute(f\'create database "{c["NAME"]}"\')\n'
    )
    run(PYTHON, "-c", script, url)


def demo(args: argparse.Namespace) -> None:
    ensure_virtualenv(with_tests=False)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "retex.settings.dev",
        # Links printed and e-mailed (confirmation, edit) point to this server.
        "RETEX_BASE_URL": f"http://{args.host}:{args.port}",
    }
    say("Preparing the database")
    retex("migrate", "--no-input", "-v", "0", env=env)
    say("Loading the demo data (territories, consultation, testimonies)")
    retex("demo", env=env)
    say("Starting the background worker (e-mails)")
    worker = subprocess.Popen(
        [str(BIN / "retex"), "db_worker", "--no-reload", "-v", "0"], cwd=ROOT, env=env
    )
    say(f"Retex is running at http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    try:
        retex("runserver", "--noreload", f"{args.host}:{args.port}", env=env)
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def test(args: argparse.Namespace) -> None:
    ensure_virtualenv(with_tests=True)
    missing = []
    if not Path(os.environ.get("RETEX_CHROMIUM", "/usr/bin/chromium")).exists():
        missing.append("chromium")
    if not shutil.which("msgfmt"):
        missing.append("gettext")
    if missing:
        apt_install(*missing)
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(database_url)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "retex.settings.test"}
    # Where the embedded database would live: makemigrations --check looks at it.
    Path(os.environ.get("RETEX_VAR_DIR", ROOT / "var")).mkdir(parents=True, exist_ok=True)
    say("Lint (ruff)")
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "ruff", "format", "--check", ".")
    say("French catalogue refreshed (new strings must be translated: see the tests)")
    retex(
        "makemessages",
        "-l",
        "fr",
        "--no-location",
        "--no-obsolete",
        "-v",
        "0",
        "--ignore=.venv",
        "--ignore=var",
        "--ignore=tests",
        "--ignore=bench",
        env=env,
    )
    retex("compilemessages", "-l", "fr", "--ignore=.venv", "-v", "0", env=env)
    say("Migrations are up to date")
    retex("makemigrations", "--check", "--dry-run", "-v", "1", env=env)
    say(f"Tests on {'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'}")
    workers = args.workers or str(min(os.cpu_count() or 1, 4))
    run(PYTHON, "-m", "pytest", "-n", workers, *args.pytest_args, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    demo_parser = commands.add_parser("demo", help="run the demo at http://127.0.0.1:8000")
    demo_parser.add_argument("--host", default="127.0.0.1")
    demo_parser.add_argument("--port", default="8000")
    test_parser = commands.add_parser("test", help="run every check and test")
    test_parser.add_argument("--workers", help="parallel test processes (default: CPU count)")
    test_parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments")
    args = parser.parse_args()
    {"demo": demo, "test": test}[args.command](args)


if __name__ == "__main__":
    main()
