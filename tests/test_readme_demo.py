"""The README's demo command works: it prepares everything and serves the consultation page."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
        return response.read().decode()


@pytest.mark.slow
def test_the_demo_command_serves_the_seeds_consultation(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["RETEX_VAR_DIR"] = str(tmp_path)  # a fresh embedded database, as on a new machine
    log = (tmp_path / "demo.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "dev.py", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        home = None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and server.poll() is None:
            try:
                home = fetch(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.5)
        output = (tmp_path / "demo.log").read_text()
        assert home is not None, f"the demo server did not answer:\n{output[-3000:]}"
        assert "Villes de France" in home
        assert 'href="/consultations/gestion-de-crise-et-numerique/"' in home
        page = fetch(f"http://127.0.0.1:{port}/consultations/gestion-de-crise-et-numerique/")
        assert "Cybersécurité" in page
        assert "20 mars 2021" in page
        # An open consultation lets visitors try the testimony form.
        form = fetch(
            f"http://127.0.0.1:{port}/consultations/demonstration-canicules-et-numerique/temoigner/"
        )
        assert "Votre collectivité" in form
        # The organiser's credentials are printed for the person who ran the command.
        assert "/gestion/" in output
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()
