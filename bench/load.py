"""Load runs: gunicorn (sync workers) on loopback, driven by wrk with a Lua script.

Used by bench/run_all.py; runnable alone for a quick look:

    .venv/bin/python bench/load.py [--seconds 10] [--rounds 3]

Every page is measured against bare Flask ("hello") served the same way in the same run,
round after round (hello, then each page, then hello again...), so a busy moment on the
shared machine hits the baseline and the pages alike. Students log in once each through
the real login form; wrk sends their session cookies in turn, and POSTs carry the CSRF
token their own pages gave them (CSRF protection stays on).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import apps  # noqa: E402
import synth  # noqa: E402

WRK = shutil.which("wrk") or "/usr/bin/wrk"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
USER_AGENT = "quizdeck-bench"
CONNECTIONS = 32
THREADS = 2
WORKERS = 2


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- servers -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Serve `app` (e.g. "apps:hello()") with 2 sync workers; yields the base URL."""
    port = free_port()
    command = [
        GUNICORN,
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--pythonpath",
        str(BENCH),
        "--config",  # limits lifted, in memory: not the production check (gunicorn.conf.py)
        str(BENCH / "gunicorn.conf.py"),
        "--log-level",
        "warning",
        app,
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn {app} exited with {server.returncode}")
            try:
                with urllib.request.urlopen(base + "/", timeout=5):
                    break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app} did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        # Only the server this function started: its own process group.
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# -- logged-in students ------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Student:
    """A browser of one student: its cookies, and requests as wrk will send them."""

    base: str
    username: str
    jar: CookieJar = field(default_factory=CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def fetch(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, Location, body) without following redirects."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path, data=body, headers={"User-Agent": USER_AGENT}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    def csrf(self, path: str) -> str:
        status, _, html = self.fetch(path)
        if status != 200:
            raise RuntimeError(f"{self.username}: GET {path} gave {status}")
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if match is None:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1)

    def login(self) -> None:
        token = self.csrf("/auth/login")
        status, location, _ = self.fetch(
            "/auth/login",
            {"csrf_token": token, "username": self.username, "password": synth.BENCH_PASSWORD},
        )
        if status != 302 or "/auth/login" in location:
            raise RuntimeError(f"login of {self.username} failed ({status} {location})")

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def login_all(base: str, usernames: Sequence[str]) -> dict[str, Student]:
    students = {}
    for name in usernames:
        student = Student(base, name)
        student.login()
        students[name] = student
    return students


# -- wrk ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    cookie: str = ""
    body: str = ""


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def lua_script(calls: Sequence[Call]) -> str:
    """A wrk script that sends `calls` in turn (each thread from its own offset) and prints
    a JSON summary (requests, errors, latency percentiles) when done."""
    lines = ["local calls = {}"]
    for call in calls:
        headers = [f'["User-Agent"] = {_lua(USER_AGENT)}']
        if call.cookie:
            headers.append(f'["Cookie"] = {_lua(call.cookie)}')
        body = "nil"
        if call.method == "POST":
            headers.append('["Content-Type"] = "application/x-www-form-urlencoded"')
            body = _lua(call.body)
        lines.append(
            f"calls[#calls + 1] = wrk.format({_lua(call.method)}, {_lua(call.path)}, "
            f"{{{', '.join(headers)}}}, {body})"
        )
    lines.append(
        """
local counter = 0
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end
function init(args)
  counter = offset or 0
end
function request()
  counter = counter + 1
  return calls[(counter % #calls) + 1]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "status_errors": %d, "connect_errors": %d, '
    .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, '
    .. '"p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""
    )
    return "\n".join(lines)


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def wrk(base: str, script: str, seconds: float) -> WrkResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
        path = handle.name
    try:
        command = [
            WRK,
            "-t",
            str(THREADS),
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            path,
            base + "/",
        ]
        output = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=True
        ).stdout
    finally:
        os.unlink(path)
    match = re.search(r"^BENCHJSON (.*)$", output, re.M)
    if match is None:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    data = json.loads(match.group(1))
    # Socket errors of wrk's own closing moment are not the server's; status errors are.
    errors = data["status_errors"] + data["timeouts"] + data["connect_errors"]
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )


# -- what is measured --------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    calls: tuple[Call, ...]
    server: str = "quizdeck"  # or "stack": the required stack alone (apps.stack)


@dataclass
class Measured:
    target: Target
    rounds: list[WrkResult] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)  # to hello in the same round

    @property
    def rps(self) -> float:
        return statistics.median(r.rps for r in self.rounds)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def p50_ms(self) -> float:
        return statistics.median(r.p50_ms for r in self.rounds)

    @property
    def p99_ms(self) -> float:
        return statistics.median(r.p99_ms for r in self.rounds)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rounds)


def _lookup(db_path: Path) -> dict:
    """Ids the requests need: each quiz student's open attempt, each card learner's deck
    and card id range."""
    with sqlite3.connect(db_path) as conn:
        attempts = dict(
            conn.execute(
                "SELECT u.username, a.id FROM attempts a JOIN users u ON u.id = a.user_id "
                "WHERE a.status = 'in_progress'"
            ).fetchall()
        )
        decks = {
            name: (deck_id, low, high)
            for name, deck_id, low, high in conn.execute(
                "SELECT u.username, d.id, min(c.id), max(c.id) FROM decks d "
                "JOIN users u ON u.id = d.owner_id JOIN cards c ON c.deck_id = d.id "
                "WHERE c.first_studied_at IS NOT NULL GROUP BY d.id"
            )
        }
    return {"attempts": attempts, "decks": decks}


def quiz_students() -> list[str]:
    return [f"s{n:05d}" for n in range(1, synth.QUIZ_STUDENTS + 1)]


def card_students() -> list[str]:
    return [f"c{n:03d}" for n in range(1, synth.CARD_STUDENTS + 1)]


def stack_targets(base: str) -> list[Target]:
    """The same kinds of request on the required stack alone (apps.stack), each of
    apps.STACK_USERS users signed in with their own cookie and CSRF token."""
    page_calls, save_calls = [], []
    for number in range(1, apps.STACK_USERS + 1):
        user = Student(base, f"user{number}")
        status, _, _ = user.fetch(f"/login/{number}")
        if status != 200:
            raise RuntimeError(f"stack: login of user {number} gave {status}")
        path = f"/item/{number}"
        token = user.csrf(path)
        page_calls.append(Call("GET", path, user.cookie))
        for answer in range(4):
            body = urllib.parse.urlencode({"csrf_token": token, "answer": answer})
            save_calls.append(Call("POST", path, user.cookie, body))
    signed = tuple(Call("GET", "/signed", call.cookie) for call in page_calls)
    return [
        Target(
            "stack_template",
            "Stack alone: a template, no database",
            (Call("GET", "/template"),),
            "stack",
        ),
        Target("stack_signed", "Stack alone: empty route behind login", signed, "stack"),
        Target(
            "stack_item", "Stack alone: item page (ORM read, template)", tuple(page_calls), "stack"
        ),
        Target(
            "stack_save", "Stack alone: save (CSRF, insert, commit)", tuple(save_calls), "stack"
        ),
    ]


def targets(base: str, db_path: Path, bank_deck: str) -> list[Target]:
    """Log every simulated student in, check each request works once, build the scripts."""
    ids = _lookup(db_path)
    progress(f"logging in {synth.QUIZ_STUDENTS + synth.CARD_STUDENTS} students")
    students = login_all(base, quiz_students() + card_students())
    item_calls, save_calls = [], []
    for name in quiz_students():
        student = students[name]
        path = f"/quiz/attempts/{ids['attempts'][name]}/items/1"
        token = student.csrf(path)
        item_calls.append(Call("GET", path, student.cookie))
        for answer in range(4):
            body = urllib.parse.urlencode({"csrf_token": token, "answer": answer, "go": "next"})
            save_calls.append(Call("POST", path, student.cookie, body))
    study_calls, bank_calls, rate_calls = [], [], []
    for name in card_students():
        student = students[name]
        deck_id, low, high = ids["decks"][name]
        study = f"/cards/my-{deck_id}/study"
        token = student.csrf(study)
        study_calls.append(Call("GET", study, student.cookie))
        bank_calls.append(Call("GET", f"/cards/{bank_deck}/study", student.cookie))
        step = max(1, (high - low) // 400)
        # No "seen" version in these bodies: every press is recorded (a form that carries
        # one is not counted twice; these presses repeat the same cards round after round).
        for number, card_id in enumerate(range(low, high, step)):
            body = urllib.parse.urlencode(
                {
                    "csrf_token": token,
                    "card": f"card:{card_id}",
                    "rating": 1 + number % 4,
                    "shown_at": "",
                }
            )
            rate_calls.append(Call("POST", f"{study}/rate", student.cookie, body))
    found = [
        # For scale: a page with a template and a CSRF token, no login and no query.
        Target("login", "Reference: login page (GET, no database)", (Call("GET", "/auth/login"),)),
        # For scale: being signed in, and nothing else (a route only the bench app has).
        Target(
            "signed",
            "Reference: empty route behind login (GET)",
            tuple(Call("GET", apps.SIGNED_IN_FLOOR, call.cookie) for call in item_calls),
        ),
        Target("item", "Quiz item page (GET, logged in)", tuple(item_calls)),
        Target("save", "Save an answer (POST, CSRF)", tuple(save_calls)),
        Target("study", "Next flashcard (GET study page)", tuple(study_calls)),
        Target(
            "bank_study",
            f"Next flashcard of a bank deck (GET study page, {bank_deck})",
            tuple(bank_calls),
        ),
        Target("rate", "Rate a flashcard (POST, CSRF)", tuple(rate_calls)),
    ]
    return found


_EXPECTED = {
    "stack_template": (200, ""),
    "stack_signed": (200, ""),
    "stack_item": (200, ""),
    "stack_save": (302, "/item/"),
    "login": (200, ""),
    "signed": (200, ""),
    "item": (200, ""),
    "save": (302, "/items/2"),
    "study": (200, ""),
    "bank_study": (200, ""),
    "rate": (302, ""),
}


def _check(bases: dict[str, str], found: Sequence[Target]) -> None:
    """One request of each kind through urllib: a wrong cookie or token fails here."""
    for target in found:
        call = target.calls[0]
        request = urllib.request.Request(
            bases[target.server] + call.path,
            data=call.body.encode() if call.method == "POST" else None,
            headers={"User-Agent": USER_AGENT, "Cookie": call.cookie},
        )
        opener = urllib.request.build_opener(_NoRedirect())
        try:
            with opener.open(request, timeout=30) as response:
                status, location = response.status, ""
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location", "")
        expected_status, expected_location = _EXPECTED[target.key]
        if status != expected_status or expected_location not in location:
            raise RuntimeError(f"{target.key}: {call.method} {call.path} gave {status} {location}")


def _with_bank(db_path: Path) -> str:
    """The built-in bank built into the run's database; the bank deck studied."""
    os.environ["BENCH_DB"] = str(db_path)
    with sqlite3.connect(db_path) as conn:
        return apps.build_bank(apps.quizdeck(), conn)


def run(
    db_source: Path, *, seconds: float, rounds: int, warmup: float
) -> tuple[Measured, list[Measured]]:
    """Hello and every page, `rounds` times in turn, on a fresh copy of the database."""
    with tempfile.TemporaryDirectory(prefix="quizdeck-load-") as folder:
        db_path = Path(folder) / "run.sqlite"
        progress(f"copying {db_source.name} for this run")
        shutil.copyfile(db_source, db_path)
        progress("building the built-in bank into it")
        bank_deck = _with_bank(db_path)
        stack_db = Path(folder) / "stack.sqlite"
        apps.build_stack_db(stack_db)
        hello_target = Target("hello", "Bare Flask hello (baseline)", (Call("GET", "/"),))
        with (
            gunicorn("apps:hello()") as hello_base,
            gunicorn("apps:quizdeck()", {"BENCH_DB": str(db_path)}) as app_base,
            gunicorn("apps:stack()", {"BENCH_STACK_DB": str(stack_db)}) as stack_base,
        ):
            servers = {"quizdeck": app_base, "stack": stack_base}
            pages = stack_targets(stack_base) + targets(app_base, db_path, bank_deck)
            _check(servers, pages)
            scripts = {t.key: lua_script(t.calls) for t in [hello_target, *pages]}
            bases = {"hello": hello_base} | {t.key: servers[t.server] for t in pages}
            progress(f"warm-up: {warmup:g} s each")
            for key in scripts:
                wrk(bases[key], scripts[key], warmup)
            hello = Measured(hello_target)
            measured = [Measured(t) for t in pages]
            for number in range(1, rounds + 1):
                progress(f"round {number}/{rounds}: hello")
                baseline = wrk(hello_base, scripts["hello"], seconds)
                hello.rounds.append(baseline)
                hello.ratios.append(1.0)
                for page in measured:
                    progress(f"round {number}/{rounds}: {page.target.key}")
                    result = wrk(bases[page.target.key], scripts[page.target.key], seconds)
                    page.rounds.append(result)
                    page.ratios.append(result.rps / baseline.rps)
    return hello, measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--size", choices=sorted(synth.SPECS), default="full")
    args = parser.parse_args(argv)
    path, _ = synth.ensure(synth.SPECS[args.size])
    hello, measured = run(path, seconds=args.seconds, rounds=args.rounds, warmup=args.warmup)
    print(f"{'page':40} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} errors")
    for row in [hello, *measured]:
        print(
            f"{row.target.label:40} {row.rps:8.0f} {row.ratio:6.2f} "
            f"{row.p50_ms:7.1f} {row.p99_ms:7.1f} {row.errors}"
        )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
