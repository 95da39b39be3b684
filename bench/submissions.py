#!/usr/bin/env python3
"""Benchmark of the testimony form: sustained accepted submissions per second, none lost.

    .venv/bin/python bench/submissions.py [--seconds 30] [--concurrency 8] [--workers 2]
    .venv/bin/python bench/submissions.py --config sync:2 --config gthread:2x4 --queries

It prepares a fresh PostgreSQL database (retex_bench_submissions on 127.0.0.1, dropped and
recreated), migrates, loads the territories reference and creates an open consultation (three
themes with sub-topics, advisory audience of communes and intercommunalities of 10,000 to
100,000 inhabitants). For each gunicorn configuration it serves Retex as in production
(production settings, Redis for the rate-limit counters, several workers) on a free loopback
port, and virtual users, in separate client processes, each open the form once and then post
complete, varied testimonies as fast as the server answers them. Accepted means the redirect to
the "sent" page. Afterwards the database must hold every accepted testimony, awaiting e-mail
confirmation, with its first revision, its audit event and its queued confirmation e-mail.

The machine is often shared: besides the rate measured, it reports the CPU time that gunicorn,
the bench database's PostgreSQL backends, Redis and the client spent per accepted submission,
and from it the rate the machine's cores would sustain with nothing else running.

Target: at least 100 accepted submissions per second, zero lost. Figures are printed and written
to bench/results/submissions.json; the exit status is 1 when a target is missed.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import _common
from _common import (
    DEV_SETTINGS,
    PG_SERVER,
    PROD_SETTINGS,
    PYTHON,
    RESULTS_DIR,
    ROOT,
    Gunicorn,
    cpu_model,
    isolated_env,
    load_average,
    nproc,
    prepare_postgres,
    query_database,
    run_manage,
)

VAR_DIR = _common.VAR_DIR / "submissions"
PG_DATABASE = "retex_bench_submissions"
DATABASE_URL = f"{PG_SERVER}/{PG_DATABASE}"
REDIS_URL = "redis://127.0.0.1:6379/14"

TARGET_PER_SECOND = 100
REQUEST_TIMEOUT = 30
SEED = 20201126
SLUG = "bench-numerique-crise"
POPULATION_MIN = 10_000
POPULATION_MAX = 100_000
ERROR_SAMPLES = 5

THEMES = {
    "Continuity of public services": [
        "Remote work of staff",
        "Online procedures",
        "Council meetings at a distance",
    ],
    "Local economy and solidarity": [
        "Support for local shops",
        "Help for isolated people",
        "Volunteer networks",
    ],
    "Education, culture and social ties": [
        "Schooling at home",
        "Culture online",
        "Information of residents",
    ],
}

# Words to make texts that differ from one testimony to the next.
_WORDS = (
    "mairie agents élus habitants commerçants marché plateforme visioconférence tablettes "
    "associations bénévoles seniors écoles familles réseau fibre formulaire téléservice "
    "newsletter réseaux sociaux portage repas appel téléphonique cellule crise confinement "
    "médiathèque drive retrait commande paiement en ligne coordination intercommunalité "
    "département préfecture centre social CCAS jeunesse ateliers numérique inclusion "
    "accompagnement équipement prêt ordinateurs messagerie sécurité données hébergement"
)
WORDS = _WORDS.split()
TOOLS = [
    "Facebook",
    "Zoom",
    "Microsoft Teams",
    "Jitsi",
    "WhatsApp",
    "Une plateforme de click-and-collect",
    "PanneauPocket",
    "Illiwap",
    "Nextcloud",
    "Framaforms",
    "Google Forms",
    "Un site internet municipal",
]
_FIRST_NAMES = "Camille Dominique Claude Sacha Alix Morgan Lou Yannick Maxime Andréa"
FIRST_NAMES = _FIRST_NAMES.split()
_LAST_NAMES = "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent"
LAST_NAMES = _LAST_NAMES.split()
ROLES = ["elected", "agent", "other"]


# --- Machine -------------------------------------------------------------------------------


def machine() -> dict:
    return {
        "nproc": nproc(),
        "cpu_model": cpu_model() or "unknown",
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average_before": load_average(),
    }


def bench_backends() -> list[int]:
    """PostgreSQL server processes serving the bench database (other databases may be busy)."""
    return [
        row[0]
        for row in sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (PG_DATABASE,),
        )
    ]


class CpuMeter:
    """CPU time spent during a window: the whole machine, the gunicorn tree, the PostgreSQL
    backends of the bench database, the Redis server and the client processes (from /proc,
    read only). Their sum per accepted submission gives what two free cores would sustain,
    a figure that holds when other work shares the machine."""

    def __init__(self, gunicorn_pid: int, client_pids: list[int]) -> None:
        self.gunicorn_pid = gunicorn_pid
        self.client_pids = client_pids
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.start: dict | None = None

    @staticmethod
    def _machine() -> tuple[int, int]:
        with Path("/proc/stat").open() as stat:
            values = [int(value) for value in stat.readline().split()[1:]]
        idle = values[3] + values[4]
        return sum(values[:8]), idle

    @staticmethod
    def _process(pid: int) -> tuple[str, int, int]:
        """(command name, parent pid, utime + stime in ticks)."""
        try:
            raw = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return "", 0, 0
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        return name, int(fields[1]), int(fields[11]) + int(fields[12])

    def _sample(self) -> dict:
        total, idle = self._machine()
        processes = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                processes[int(entry.name)] = self._process(int(entry.name))
        gunicorn = {self.gunicorn_pid}
        for pid, (_name, parent, _ticks) in processes.items():
            if parent == self.gunicorn_pid:
                gunicorn.add(pid)
        return {
            "total": total,
            "idle": idle,
            "gunicorn": {pid: processes.get(pid, ("", 0, 0))[2] for pid in gunicorn},
            "client": {pid: processes.get(pid, ("", 0, 0))[2] for pid in self.client_pids},
            "postgres": {pid: processes.get(pid, ("", 0, 0))[2] for pid in bench_backends()},
            # The Redis server may serve others too: its share is an upper bound.
            "redis": {pid: t for pid, (name, _p, t) in processes.items() if name == "redis-server"},
        }

    def begin(self) -> None:
        self.start = self._sample()

    def end(self) -> dict:
        return self._sample()

    def summary(self, end: dict, seconds: float, accepted: int) -> dict:
        def spent(group: str) -> float:
            """CPU seconds; a backend that appeared during the window counts from zero."""
            before = self.start[group]
            ticks = sum(max(0, t - before.get(pid, 0)) for pid, t in end[group].items())
            return ticks / self.ticks

        total = end["total"] - self.start["total"]
        idle = end["idle"] - self.start["idle"]
        busy = (total - idle) / total if total else 0.0
        used = {group: spent(group) for group in ("gunicorn", "postgres", "redis", "client")}
        per_submission = {
            group: round(1000 * value / accepted, 2) if accepted else None
            for group, value in used.items()
        }
        own = sum(used.values())
        cores = nproc()
        return {
            "machine_busy_fraction": round(busy, 2),
            "cores_used_by_others": round(max(0.0, busy * cores - own / seconds), 2),
            "cores_used": {group: round(value / seconds, 2) for group, value in used.items()},
            "cpu_ms_per_accepted": per_submission,
            # What the machine's cores would sustain if the bench had them to itself.
            "capacity_estimate_per_second": round(accepted * cores / own, 1) if own else None,
        }


# --- Database and data -----------------------------------------------------------------------


def sql(query: str, params: tuple = ()) -> list[tuple]:
    """Read the bench database directly: the bench process itself never configures Django."""
    return query_database(DATABASE_URL, query, params)


def base_env() -> dict:
    return isolated_env(DATABASE_URL, VAR_DIR, removed={"REDIS_URL"})


def manage(*args: str, production: bool = False) -> tuple[float, str]:
    env = server_env({}) if production else base_env() | DEV_SETTINGS
    return run_manage(*args, env=env, label=" ".join(args[:2]))


# Run by `manage.py shell -c`: the consultation through the project's own service.
CONSULTATION_CODE = """
import json
from datetime import timedelta
from django.utils import timezone
from retex.consultations.services import ThemeSpec, consultation_create
now = timezone.now()
themes = json.loads({themes!r})
consultation = consultation_create(
    title="Le numérique dans la crise (banc d'essai)",
    slug={slug!r},
    summary="Consultation créée par bench/submissions.py pour mesurer le débit des témoignages.",
    organiser_names="Banc d'essai Retex",
    contact_email="organisateurs@example.org",
    opens_at=now - timedelta(days=1),
    closes_at=now + timedelta(days=30),
    themes=[ThemeSpec(title=title, subtopics=subtopics) for title, subtopics in themes.items()],
    audience_kinds=["commune", "epci"],
    population_min={population_min},
    population_max={population_max},
    enforcement="advisory",
)
print(json.dumps({{"id": consultation.pk}}))
"""


def create_consultation() -> dict:
    code = CONSULTATION_CODE.format(
        themes=json.dumps(THEMES),
        slug=SLUG,
        population_min=POPULATION_MIN,
        population_max=POPULATION_MAX,
    )
    _seconds, output = manage("shell", "-c", code)
    consultation_id = json.loads(output.strip().splitlines()[-1])["id"]
    themes = [
        {
            "id": theme_id,
            "subtopics": [
                row[0]
                for row in sql(
                    "SELECT id FROM consultations_subtopic WHERE theme_id = %s ORDER BY position",
                    (theme_id,),
                )
            ],
        }
        for (theme_id,) in sql(
            "SELECT id FROM consultations_theme WHERE consultation_id = %s ORDER BY position",
            (consultation_id,),
        )
    ]
    communes = [
        row[0]
        for row in sql(
            "SELECT id FROM territories_territory WHERE kind = 'commune'"
            " AND population BETWEEN %s AND %s ORDER BY id",
            (POPULATION_MIN, POPULATION_MAX),
        )
    ]
    return {"id": consultation_id, "themes": themes, "communes": communes}


def flush_redis() -> None:
    import redis  # Installed with the project (Django's Redis cache backend needs it).

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()


# --- Server --------------------------------------------------------------------------------


@dataclass
class ServerConfig:
    """`sync:4` (4 sync workers) or `gthread:2x4` (2 workers of 4 threads)."""

    worker_class: str
    workers: int
    threads: int = 1

    @classmethod
    def parse(cls, spec: str) -> "ServerConfig":
        match = re.fullmatch(r"(sync):(\d+)|(gthread):(\d+)x(\d+)", spec.strip())
        if not match:
            raise argparse.ArgumentTypeError(f"expected sync:W or gthread:WxT, not {spec!r}")
        if match.group(1):
            return cls("sync", int(match.group(2)))
        return cls("gthread", int(match.group(4)), int(match.group(5)))

    @property
    def label(self) -> str:
        if self.worker_class == "sync":
            return f"sync:{self.workers}"
        return f"gthread:{self.workers}x{self.threads}"

    def arguments(self) -> list[str]:
        arguments = ["-w", str(self.workers)]
        if self.worker_class == "gthread":
            arguments += ["-k", "gthread", "--threads", str(self.threads)]
        return arguments


def server_env(extra: dict[str, str]) -> dict:
    return (
        base_env()
        | PROD_SETTINGS
        | {
            "REDIS_URL": REDIS_URL,
            # The bench client is one IP and each virtual user one e-mail address.
            "RETEX_SUBMISSIONS_PER_IP_PER_HOUR": "100000000",
            "RETEX_SUBMISSIONS_PER_EMAIL_PER_DAY": "100000000",
            # Nothing is sent: the confirmation e-mails are only queued, by the real path.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        | extra
    )


def gunicorn(config: ServerConfig, log_path: Path, extra_env: dict[str, str]) -> Gunicorn:
    """gunicorn with production settings, ready once the form answers."""
    return Gunicorn(
        config.arguments(),
        server_env(extra_env),
        log_path,
        form_path(),
        probe_timeout=5,
        stop_timeout=20,
    )


# --- Client --------------------------------------------------------------------------------


def form_path() -> str:
    return f"/consultations/{SLUG}/temoigner/"


def sent_path() -> str:
    return f"/consultations/{SLUG}/temoigner/envoye/"


_HIDDEN_INPUT = re.compile(r"<input[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([a-zA-Z_-]+)="([^"]*)"')


def hidden_value(html: str, name: str) -> str:
    for tag in _HIDDEN_INPUT.findall(html):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get("name") == name:
            return attributes.get("value", "")
    raise ValueError(f"no input named {name!r} in the form")


def error_text(html: str) -> str:
    """What the page says went wrong: its error summary, or its title."""
    start = html.find('class="error-summary"')
    part = html[start : start + 3000] if start >= 0 else ""
    if not part:
        title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
        part = title.group(1) if title else html[:300]
    text = re.sub(r"<[^>]+>", " ", part)
    return " ".join(text.split())[:400]


class VirtualUser:
    """One browser: its own connection and cookies (set by hand: the production cookies are
    `Secure` and would not be sent back over plain HTTP by a browser or a cookie jar)."""

    def __init__(self, port: int, number: int, run: str, data: dict, seed: int) -> None:
        self.port = port
        self.number = number
        self.run = run
        self.data = data
        self.rng = random.Random(seed)
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        self.sent = 0
        self.csrf_token = ""
        self.upload_batch = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed a kept-alive connection between two requests: once more.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, content

    def open_form(self) -> None:
        response, content = self.request("GET", form_path())
        html = content.decode()
        if response.status != 200 or "csrftoken" not in self.cookies:
            raise RuntimeError(f"GET form: HTTP {response.status}, cookies {sorted(self.cookies)}")
        self.csrf_token = hidden_value(html, "csrfmiddlewaretoken")
        self.upload_batch = hidden_value(html, "upload_batch")

    def text(self, words: int) -> str:
        sentences = []
        count = 0
        while count < words:
            length = self.rng.randint(6, 16)
            sentence = " ".join(self.rng.choice(WORDS) for _ in range(length))
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            count += length
        paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        return "\r\n\r\n".join(paragraphs)

    def testimony(self) -> tuple[str, list[tuple[str, str]]]:
        rng = self.rng
        self.sent += 1
        email = f"bench-{self.run}-u{self.number:03d}-{self.sent:06d}@example.org"
        themes = self.data["themes"]
        fields = [
            ("csrfmiddlewaretoken", self.csrf_token),
            ("upload_batch", self.upload_batch),
            ("territory", str(rng.choice(self.data["communes"]))),
            ("territory_query", ""),
            ("author_name", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"),
            ("author_role", rng.choice(ROLES)),
            ("author_email", email),
            (
                "title",
                f"{rng.choice(WORDS).capitalize()} et {rng.choice(WORDS)} :"
                f" retour n° {self.number}-{self.sent}",
            ),
        ]
        for theme in rng.sample(themes, rng.randint(1, len(themes))):
            for subtopic in rng.sample(theme["subtopics"], rng.randint(0, 2)):
                fields.append(("subtopics", str(subtopic)))
            if rng.random() < 0.3:
                fields.append(("themes", str(theme["id"])))
        if not any(name in ("themes", "subtopics") for name, _ in fields):
            fields.append(("themes", str(themes[0]["id"])))
        tools = rng.sample(TOOLS, rng.randint(0, 4))
        if rng.random() < 0.1:  # now and then a tool nobody named before
            tools.append(f"Outil maison {uuid.uuid4().hex[:6]}")
        started_month = rng.randint(3, 12)
        fields += [
            ("initiative", self.text(rng.randint(80, 400))),
            ("difficulties", self.text(rng.randint(0, 150))),
            ("lessons", self.text(rng.randint(0, 150))),
            ("tools", ", ".join(tools)),
            ("partners", "Associations locales, CCAS" if rng.random() < 0.5 else ""),
            ("cost_and_team", f"{rng.randint(1, 9)} agents, {rng.randint(1, 50) * 100} €"),
            ("started_on", f"2020-{started_month:02d}-{rng.randint(1, 28):02d}"),
            ("ended_on", f"2021-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"),
            (
                "links",
                "\r\n".join(
                    f"https://www.ville-{rng.randint(1, 999)}.example.fr/{rng.choice(WORDS)}"
                    for _ in range(rng.randint(0, 2))
                ),
            ),
            ("publication_consent", "on"),
            ("homepage", ""),
            ("_submit", "1"),
        ]
        if rng.random() < 0.1:
            fields.append(("anonymous", "on"))
        return email, fields

    @staticmethod
    def multipart(fields: list[tuple[str, str]]) -> tuple[bytes, str]:
        """As a browser sends the form (multipart, with the empty file input)."""
        boundary = "----RetexBench" + uuid.uuid4().hex
        parts = []
        for name, value in fields:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename=""\r\n'
            "Content-Type: application/octet-stream\r\n\r\n\r\n"
        )
        parts.append(f"--{boundary}--\r\n")
        return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"

    def submit(self) -> tuple[str, int, bool, float, str]:
        """(e-mail, status, accepted, latency in s, error text)."""
        email, fields = self.testimony()
        body, content_type = self.multipart(fields)
        started = time.perf_counter()
        response, content = self.request(
            "POST",
            form_path(),
            body=body,
            headers={"Content-Type": content_type, "Accept-Language": "fr"},
        )
        latency = time.perf_counter() - started
        location = urllib.parse.urlsplit(response.getheader("Location", "")).path
        accepted = response.status == 302 and location == sent_path()
        problem = ""
        if not accepted:
            page = content.decode(errors="replace")
            problem = f"HTTP {response.status} {location} {error_text(page)}"
        return email, response.status, accepted, latency, problem


def client_process(arguments: dict) -> dict:
    """One client process: several virtual users, each in a thread (they mostly wait)."""
    port, run, data = arguments["port"], arguments["run"], arguments["data"]
    start_at, end_at = arguments["start_at"], arguments["end_at"]
    journey = arguments["journey"]
    results = {"posts": [], "errors": [], "error_count": 0, "failures": []}
    lock = threading.Lock()

    def user_loop(number: int) -> None:
        user = VirtualUser(port, number, run, data, seed=SEED + number)
        try:
            user.open_form()
            while time.monotonic() < start_at:  # everybody starts together
                time.sleep(0.01)
            while time.monotonic() < end_at:
                if journey and user.sent:
                    user.open_form()  # each testimony from a freshly opened form
                email, status, accepted, latency, problem = user.submit()
                if journey and accepted:
                    user.request("GET", sent_path())
                finished = time.monotonic()
                with lock:
                    results["posts"].append((finished, latency, accepted, email))
                    if not accepted:
                        results["error_count"] += 1
                        if len(results["errors"]) < ERROR_SAMPLES:
                            results["errors"].append(problem)
        except Exception as error:  # reported, never hidden
            with lock:
                results["failures"].append(f"virtual user {number}: {error!r}")
        finally:
            user.connection.close()

    threads = [
        threading.Thread(target=user_loop, args=(number,), daemon=True)
        for number in arguments["users"]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, end_at - time.monotonic()) + REQUEST_TIMEOUT + 5)
        if thread.is_alive():
            results["failures"].append("a virtual user did not finish in time")
    return results


def client_entry(arguments: dict, queue) -> None:
    try:
        queue.put(client_process(arguments))
    except BaseException as error:
        queue.put({"posts": [], "errors": [], "error_count": 0, "failures": [repr(error)]})


# --- Sampling profiler (optional) ------------------------------------------------------------


def py_spy_path() -> str | None:
    """py-spy is a profiling tool, not a dependency: used when installed in the virtualenv."""
    beside = Path(PYTHON).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


def py_spy_start(master_pid: int, seconds: float, output: Path) -> subprocess.Popen | None:
    executable = py_spy_path()
    if executable is None:
        print("py-spy not found: no profile (pip install py-spy in the virtualenv)")
        return None
    return subprocess.Popen(
        [
            executable,
            "record",
            "--pid",
            str(master_pid),
            "--subprocesses",
            "--nonblocking",
            "--rate",
            "100",
            "--duration",
            str(max(1, int(seconds))),
            "--format",
            "raw",
            "--output",
            str(output),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def _frame_name(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    file = match.group("file")
    for marker in ("site-packages/", "/work/main/", "python3.11/"):
        if marker in file:
            file = file.split(marker, 1)[1]
    return f"{match.group('function')} ({file})"


def py_spy_summary(output: Path, top: int = 25) -> dict:
    """Share of the worker samples spent in (inclusive) and on (self) each function."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    if not output.exists():
        return {}
    for line in output.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame_name(frame) for frame in stack.split(";")]
        frames = [frame for frame in frames if not frame.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += count
        for name in set(frames):
            inclusive[name] = inclusive.get(name, 0) + count
        own[frames[-1]] = own.get(frames[-1], 0) + count

    def ranked(counts: dict[str, int], keep) -> list:
        chosen = sorted((item for item in counts.items() if keep(item[0])), key=lambda i: -i[1])
        return [(name, round(100 * count / total, 1)) for name, count in chosen[:top]]

    return {
        "samples": total,
        "inclusive_retex": ranked(inclusive, lambda name: "(retex/" in name),
        "inclusive_all": ranked(inclusive, lambda name: True),
        "self": ranked(own, lambda name: True),
    }


def print_profile(profile: dict) -> None:
    if not profile:
        return
    print(f"py-spy: {profile['samples']} samples of the gunicorn workers (idle ones included)")
    for title, key in (
        ("inclusive, Retex code", "inclusive_retex"),
        ("inclusive, everything", "inclusive_all"),
        ("self time", "self"),
    ):
        print(f"  {title}:")
        for name, share in profile[key]:
            print(f"    {share:5.1f}%  {name}")


# --- Measuring -----------------------------------------------------------------------------


def latency_summary(seconds: list[float]) -> dict:
    if not seconds:
        return {"count": 0}
    return _common.latency_summary([value * 1000 for value in seconds], digits=1)


@dataclass
class RunReport:
    config: str
    concurrency: int
    client_processes: int
    warmup_seconds: float
    seconds: float
    extra_env: dict = field(default_factory=dict)
    full_journey: bool = False
    posts_total: int = 0
    accepted_total: int = 0
    errors_total: int = 0
    accepted_in_window: int = 0
    accepted_per_second: float = 0.0
    per_second_min: int = 0
    per_second_max: int = 0
    latency_ms: dict = field(default_factory=dict)
    cpu: dict = field(default_factory=dict)
    error_samples: list = field(default_factory=list)
    client_failures: list = field(default_factory=list)
    database: dict = field(default_factory=dict)
    lost: int = 0
    profile: dict = field(default_factory=dict)


def verify(run: str, accepted_emails: set[str]) -> dict:
    """Every accepted testimony, as the author's journey left it, and nothing more."""
    pattern = f"bench-{run}-%"
    rows = sql(
        "SELECT t.author_email, t.status,"
        " (SELECT COUNT(*) FROM contributions_revision r"
        "   WHERE r.testimony_id = t.id AND r.kind = 'submission' AND r.number = 1),"
        " (SELECT COUNT(*) FROM audit_auditevent a WHERE a.action = 'testimony.submit'"
        "   AND a.target_type = 'contributions.testimony' AND a.target_id = t.id::text),"
        " (SELECT COUNT(*) FROM contributions_testimony_themes m WHERE m.testimony_id = t.id)"
        " FROM contributions_testimony t WHERE t.author_email LIKE %s",
        (pattern,),
    )
    tasks = sql(
        "SELECT args_kwargs->'kwargs'->'to'->>0, COUNT(*) FROM django_tasks_database_dbtaskresult"
        " WHERE args_kwargs->'kwargs'->'to'->>0 LIKE %s GROUP BY 1",
        (pattern,),
    )
    task_count = dict(tasks)
    stored = {row[0] for row in rows}
    return {
        "testimonies": len(rows),
        "accepted_not_in_database": len(accepted_emails - stored),
        "in_database_not_accepted": len(stored - accepted_emails),
        "not_pending_verification": sum(1 for row in rows if row[1] != "pending_verification"),
        "without_submission_revision": sum(1 for row in rows if row[2] != 1),
        "without_audit_event": sum(1 for row in rows if row[3] != 1),
        "without_theme": sum(1 for row in rows if row[4] < 1),
        "without_exactly_one_email_task": sum(1 for row in rows if task_count.get(row[0], 0) != 1),
        "email_tasks": sum(task_count.values()),
    }


def run_config(
    config: ServerConfig,
    index: int,
    data: dict,
    args: argparse.Namespace,
    extra_env: dict[str, str],
) -> RunReport:
    run = f"r{index}"
    report = RunReport(
        config=config.label,
        concurrency=args.concurrency,
        client_processes=args.client_processes,
        warmup_seconds=args.warmup,
        seconds=args.seconds,
        extra_env=extra_env,
        full_journey=args.full_journey,
    )
    flush_redis()
    log_path = VAR_DIR / f"gunicorn-{config.label.replace(':', '-')}.log"
    profile_path = VAR_DIR / f"py-spy-{config.label.replace(':', '-')}.txt"
    print(f"\n=== gunicorn {' '.join(config.arguments())} ({config.label}) ===", flush=True)
    with gunicorn(config, log_path, extra_env) as server:
        processes = args.client_processes
        users = list(range(args.concurrency))
        # Everybody opens the form first; posting starts together a moment later.
        start_at = time.monotonic() + 2.0 + 0.05 * args.concurrency
        window_start = start_at + args.warmup
        end_at = window_start + args.seconds
        jobs = [
            {
                "port": server.port,
                "run": run,
                "data": data,
                "users": users[number::processes],
                "start_at": start_at,
                "end_at": end_at,
                "journey": args.full_journey,
            }
            for number in range(processes)
        ]
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        clients = [context.Process(target=client_entry, args=(job, queue)) for job in jobs]
        try:
            for client in clients:
                client.start()
            meter = CpuMeter(server.process.pid, [client.pid for client in clients])
            time.sleep(max(0.0, window_start - time.monotonic()))
            meter.begin()
            profiler = None
            if args.py_spy:
                profiler = py_spy_start(server.process.pid, args.seconds, profile_path)
            time.sleep(max(0.0, end_at - time.monotonic()))
            cpu_end = meter.end()
            if profiler is not None:
                profiler.wait(timeout=60)
            outcomes = [queue.get(timeout=REQUEST_TIMEOUT + 60) for _ in clients]
            for client in clients:
                client.join(timeout=10)
        finally:
            for client in clients:
                if client.is_alive():
                    client.terminate()
                    client.join(timeout=5)
    # Gunicorn has stopped: every request it accepted has been answered.
    posts = [post for outcome in outcomes for post in outcome["posts"]]
    report.posts_total = len(posts)
    report.accepted_total = sum(1 for post in posts if post[2])
    report.errors_total = sum(outcome["error_count"] for outcome in outcomes)
    report.error_samples = [error for outcome in outcomes for error in outcome["errors"]][
        :ERROR_SAMPLES
    ]
    report.client_failures = [failure for outcome in outcomes for failure in outcome["failures"]]
    in_window = [post for post in posts if window_start <= post[0] < end_at]
    report.accepted_in_window = sum(1 for post in in_window if post[2])
    report.cpu = meter.summary(cpu_end, args.seconds, report.accepted_in_window)
    report.accepted_per_second = round(report.accepted_in_window / args.seconds, 1)
    per_second = [0] * max(1, int(args.seconds))
    for finished, _latency, accepted, _email in in_window:
        slot = int(finished - window_start)
        if accepted and slot < len(per_second):
            per_second[slot] += 1
    report.per_second_min = min(per_second)
    report.per_second_max = max(per_second)
    report.latency_ms = latency_summary([post[1] for post in in_window])
    accepted_emails = {post[3] for post in posts if post[2]}
    report.database = verify(run, accepted_emails)
    report.lost = report.database["accepted_not_in_database"]
    if args.py_spy:
        report.profile = py_spy_summary(profile_path)
    print_run(report)
    print_profile(report.profile)
    return report


def print_run(report: RunReport) -> None:
    latency = report.latency_ms
    database = report.database
    verdict = "OK" if report.accepted_per_second >= TARGET_PER_SECOND else "MISSED"
    print(
        f"accepted: {report.accepted_in_window} in {report.seconds:g} s ="
        f" {report.accepted_per_second}/s (per second: min {report.per_second_min},"
        f" max {report.per_second_max}) -> target >= {TARGET_PER_SECOND}/s: {verdict}",
        flush=True,
    )
    print(
        f"POST latency (ms): p50 {latency.get('p50')}, p95 {latency.get('p95')},"
        f" p99 {latency.get('p99')}, max {latency.get('max')}"
        f" ({report.concurrency} virtual users in {report.client_processes} client process(es))"
    )
    cpu = report.cpu
    print(
        f"CPU during the window: machine {cpu['machine_busy_fraction'] * 100:.0f}% busy;"
        f" cores used by gunicorn {cpu['cores_used']['gunicorn']}, by the bench database's"
        f" PostgreSQL backends {cpu['cores_used']['postgres']}, by Redis"
        f" {cpu['cores_used']['redis']}, by the client {cpu['cores_used']['client']}"
    )
    if cpu["cores_used_by_others"] >= 0.2:
        print(
            f"  note: other processes used {cpu['cores_used_by_others']} cores meanwhile; the"
            " rate measured is below what the machine sustains alone"
        )
    per = cpu["cpu_ms_per_accepted"]
    print(
        f"CPU ms per accepted submission: gunicorn {per['gunicorn']}, PostgreSQL"
        f" {per['postgres']}, Redis {per['redis']}, client {per['client']} -> with the"
        f" {nproc()} cores to itself, about"
        f" {cpu['capacity_estimate_per_second']}/s"
    )
    print(
        f"all posts (warm-up included): {report.posts_total}, accepted {report.accepted_total},"
        f" errors {report.errors_total}"
    )
    for sample in report.error_samples:
        print(f"  error: {sample}")
    for failure in report.client_failures:
        print(f"  client failure: {failure}")
    print(
        f"database: {database['testimonies']} testimonies; lost (accepted, not stored)"
        f" {report.lost}; stored but not accepted {database['in_database_not_accepted']};"
        f" not pending verification {database['not_pending_verification']}; without revision"
        f" {database['without_submission_revision']}; without audit event"
        f" {database['without_audit_event']}; without exactly one queued e-mail"
        f" {database['without_exactly_one_email_task']} ({database['email_tasks']} e-mail tasks)",
        flush=True,
    )


def database_complete(database: dict) -> bool:
    return not any(
        database[key]
        for key in (
            "accepted_not_in_database",
            "not_pending_verification",
            "without_submission_revision",
            "without_audit_event",
            "without_theme",
            "without_exactly_one_email_task",
        )
    )


# --- Counting the queries of one submission ------------------------------------------------------

# Run in a child process with the production settings and the bench database: one GET of the
# form and two POSTs by the same browser (the first creates the session, the second updates it),
# each SQL query with the line of Retex that issued it, the Redis commands, then the CPU time
# of more POSTs in this one process (no HTTP server: the view, the ORM and the drivers).
QUERIES_CODE = r"""
import json, sys, time, traceback
import django
django.setup()
import redis
from django.db import connection
from django.test import Client
data = json.loads(sys.argv[1])
path = data["path"]
client = Client(HTTP_HOST="127.0.0.1")
redis_commands = []
execute_command = redis.Redis.execute_command

def counted(self, *args, **options):
    redis_commands.append(str(args[0]))
    return execute_command(self, *args, **options)

redis.Redis.execute_command = counted

def origin():
    for frame in reversed(traceback.extract_stack()[:-2]):
        if "/retex/" in frame.filename and "site-packages" not in frame.filename:
            return f"{frame.filename.split('/retex/', 1)[1]}:{frame.lineno} {frame.name}"
    return "(django)"

class Recorder:
    def __init__(self):
        self.queries = []
    def __call__(self, execute, sql, params, many, context):
        self.queries.append((" ".join(sql.split()), origin()))
        return execute(sql, params, many, context)

def post(number):
    fields = {
        "territory": data["territory"], "territory_query": "", "author_name": "Camille Martin",
        "author_role": "agent", "author_email": f"bench-queries-{number}@example.org",
        "title": f"Mesure des requêtes {number}", "subtopics": data["subtopics"],
        "initiative": "Une initiative décrite en quelques phrases. " * 20,
        "difficulties": "Des difficultés.", "lessons": "Des leçons.",
        "tools": "Facebook, Zoom, Outil " + str(number), "partners": "", "cost_and_team": "",
        "started_on": "2020-03-20", "ended_on": "", "links": "https://example.org/a",
        "publication_consent": "on", "homepage": "", "upload_batch": data["upload_batch"],
        "_submit": "1",
    }
    return client.post(path, fields)

def traced(label, call):
    recorder = Recorder()
    redis_commands.clear()
    with connection.execute_wrapper(recorder):
        response = call()
    print(f"--- {label}: HTTP {response.status_code}, {len(recorder.queries)} SQL statements,"
          f" {len(redis_commands)} Redis commands ({' '.join(redis_commands)})")
    for sql, where in recorder.queries:
        print(f"  {where:<58} {sql[:110]}")

traced("GET form", lambda: client.get(path))
traced("POST #1 (new session)", lambda: post(1))
traced("POST #2 (same browser)", lambda: post(2))
count = data["repeat"]
started = time.process_time()
for number in range(3, count + 3):
    assert post(number).status_code == 302
posting = (time.process_time() - started) * 1000 / count
started = time.process_time()
for number in range(count):
    assert client.get(path).status_code == 200
print(f"--- CPU in one process, without HTTP server: {posting:.1f} ms per POST (test client"
      f" included), {(time.process_time() - started) * 1000 / count:.1f} ms per GET of the form")
"""


def count_queries(data: dict) -> None:
    arguments = {
        "path": form_path(),
        "territory": str(data["communes"][len(data["communes"]) // 2]),
        "subtopics": [str(theme["subtopics"][0]) for theme in data["themes"]],
        "upload_batch": uuid.uuid4().hex,
        "repeat": 100,
    }
    env = server_env({"ALLOWED_HOSTS": "127.0.0.1,testserver"})
    completed = subprocess.run(
        [PYTHON, "-c", QUERIES_CODE, json.dumps(arguments)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    print("\n=== queries of one submission (production settings, bench database) ===")
    print(completed.stdout)
    if completed.returncode != 0:
        print(completed.stderr)


# --- Main ----------------------------------------------------------------------------------


def parse_env(values: list[str]) -> dict[str, str]:
    extra = {}
    for value in values:
        name, equals, setting = value.partition("=")
        if not equals or not name:
            raise argparse.ArgumentTypeError(f"--env expects NAME=VALUE, not {value!r}")
        extra[name] = setting
    return extra


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30, help="measured window (default 30)")
    parser.add_argument("--warmup", type=float, default=5, help="posts before measuring (s)")
    parser.add_argument("--concurrency", type=int, default=8, help="virtual users (default 8)")
    parser.add_argument(
        "--client-processes", type=int, default=1, help="processes the virtual users share"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads per worker (default 4, gthread workers; 1: sync workers)",
    )
    parser.add_argument(
        "--config",
        action="append",
        type=ServerConfig.parse,
        default=[],
        help="sync:W or gthread:WxT, repeatable (overrides --workers/--threads)",
    )
    parser.add_argument(
        "--env", action="append", default=[], help="NAME=VALUE for the server, repeatable"
    )
    parser.add_argument(
        "--full-journey",
        action="store_true",
        help="each testimony: GET the form, POST it, GET the 'sent' page (default: POSTs only)",
    )
    parser.add_argument(
        "--queries", action="store_true", help="also list the SQL queries of one submission"
    )
    parser.add_argument(
        "--py-spy",
        action="store_true",
        help="sample the workers with py-spy during the window (when installed)",
    )
    args = parser.parse_args()
    if args.seconds < 1 or args.warmup < 0 or args.concurrency < 1 or args.client_processes < 1:
        parser.error("--seconds >= 1, --warmup >= 0, --concurrency and --client-processes >= 1")
    args.client_processes = min(args.client_processes, args.concurrency)
    configs = args.config or [
        ServerConfig("gthread", args.workers, args.threads)
        if args.threads > 1
        else ServerConfig("sync", args.workers)
    ]
    extra_env = parse_env(args.env)

    host = machine()
    print(
        f"machine: {host['nproc']} CPU ({host['cpu_model']}), Python {host['python']},"
        f" Linux {host['kernel']}, load average {host['load_average_before']}",
        flush=True,
    )
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    prepare_postgres(PG_SERVER, PG_DATABASE)
    manage("migrate", "--no-input", "-v", "0")
    manage("territories", "load")
    # The form's page links its assets through the production manifest.
    manage("collectstatic", "--no-input", "-v", "0", production=True)
    data = create_consultation()
    print(
        f"database {PG_DATABASE} ready in {time.perf_counter() - started:.0f} s:"
        f" consultation {SLUG}, {len(data['themes'])} themes,"
        f" {len(data['communes'])} communes of {POPULATION_MIN}-{POPULATION_MAX} inhabitants",
        flush=True,
    )

    reports = [
        run_config(config, index, data, args, extra_env)
        for index, config in enumerate(configs, start=1)
    ]
    if args.queries:
        count_queries(data)

    print("\nsummary")
    print(f"{'gunicorn':<14} {'accepted/s':>10} {'lost':>5} {'errors':>6} {'p50':>7} {'p95':>7}")
    for report in reports:
        print(
            f"{report.config:<14} {report.accepted_per_second:>10} {report.lost:>5}"
            f" {report.errors_total:>6} {report.latency_ms.get('p50'):>7}"
            f" {report.latency_ms.get('p95'):>7}"
        )
    host["load_average_after"] = load_average()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "submissions.json"
    path.write_text(
        json.dumps({"machine": host, "runs": [asdict(r) for r in reports]}, indent=2) + "\n"
    )
    print(f"written: {path.relative_to(ROOT)}")
    best = max(report.accepted_per_second for report in reports)
    complete = all(
        database_complete(report.database) and not report.client_failures for report in reports
    )
    if best < TARGET_PER_SECOND or not complete:
        print("targets missed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
