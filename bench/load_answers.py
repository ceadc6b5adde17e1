"""Load test: N answer saves from 32 concurrent students against gunicorn on loopback.

    python bench/load_answers.py [--answers 640] [--students 32] [--workers 4]
                                 [--database-url URL] [--time-limit 300]

Starts the app under gunicorn (several worker processes) on 127.0.0.1 against a temporary
SQLite database (or --database-url, e.g. a PostgreSQL test database: its tables are created
if missing and the run adds its own rows), seeds students, one published question set of
short-answer items and one quiz attempt per student, logs every student in over HTTP, then
sends exactly N answer saves, 32 students at a time (one request in flight per student,
each to its own item, each answer unique). It then checks, in the database: N answers
stored, each exactly as sent, no item row duplicated, and no 5xx. Exit status 0 when all
holds, 1 otherwise. Bounded: a fixed count of requests, a per-request timeout and an
overall time limit; only 127.0.0.1 is contacted.

The HTTP contract used (quizzes/quiz/routes.py, branch `quiz`):
  POST /auth/login                                    username, password, csrf_token
  GET  /quiz/attempts/<attempt_id>/items/<position>   the item page (gives a CSRF token)
  POST /quiz/attempts/<attempt_id>/items/<position>   answer=<text>, csrf_token; with the
       header X-Requested-With: fetch it answers JSON {"status": "saved", ...}
and, to seed attempts, quizzes.quiz.services.assemble(user_id, settings=QuizSettings(...),
now=..., rng=..., set_id=...). tests/web/test_crash_safety.py reuses these helpers.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "load test password"
SECRET_KEY = "load-test-secret"
REQUEST_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the server ----------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log_path: Path

    def worker_pids(self) -> list[int]:
        """The gunicorn master's children: its worker processes."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        # Every student logs in from 127.0.0.1: lift the per-address login limit.
        "AUTH_RATE_LIMIT": "100000 per minute",
        "ANSWER_RATE_LIMIT": "100000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
    }


@contextmanager
def gunicorn(database_url: str, workers: int, log_dir: Path) -> Iterator[Server]:
    """gunicorn serving create_app() on a free loopback port, stopped on exit."""
    port = free_port()
    log_path = log_dir / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--config",  # limits lifted, in memory: not the production check (gunicorn.conf.py)
        str(ROOT / "bench" / "gunicorn.conf.py"),
        "app:create_app()",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=server_env(database_url),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_until_serving(server, workers, timeout=60)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def wait_until_serving(server: Server, workers: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=2) as response:
                if response.status == 200 and len(server.worker_pids()) == workers:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"gunicorn did not serve within {timeout}s:\n{server.log()}")
        time.sleep(0.2)


# -- the data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeededStudent:
    username: str
    attempt_id: int
    positions: tuple[int, ...]


def make_app(database_url: str):
    from app import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY, "TESTING": False}
    )


def seed(database_url: str, students: int, items_per_student: int) -> list[SeededStudent]:
    """Students, a published set of short-answer items, one in-progress attempt each."""
    from werkzeug.security import generate_password_hash

    from models import Item, QuestionSet, Role, SetStatus, User, db, utcnow
    from models.attempts import FeedbackMode
    from quizzes.quiz import services

    app = make_app(database_url)
    run = f"{os.getpid()}-{random.randrange(10**6)}"  # several runs may share a database
    password_hash = generate_password_hash(PASSWORD)
    seeded = []
    with app.app_context():
        db.create_all()
        question_set = QuestionSet(title=f"Load test {run}", status=SetStatus.PUBLISHED)
        db.session.add(question_set)
        db.session.flush()
        for n in range(items_per_student):
            db.session.add(
                Item(
                    key=f"load.{run}.{n}",
                    set_id=question_set.id,
                    position=n,
                    type="short",
                    prompt=f"Type anything ({n + 1})",
                    data={"answers": [{"text": "anything", "fraction": 1.0}]},
                )
            )
        db.session.flush()
        settings = services.QuizSettings(size=items_per_student, feedback_mode=FeedbackMode.END)
        for s in range(students):
            user = User(
                username=f"load{s}-{run}"[:40], role=Role.STUDENT, password_hash=password_hash
            )
            db.session.add(user)
            db.session.flush()
            attempt = services.assemble(
                user.id,
                settings=settings,
                now=utcnow(),
                rng=random.Random(s),
                set_id=question_set.id,
            )
            positions = tuple(sorted(item.position for item in attempt.items))
            seeded.append(SeededStudent(user.username, attempt.id, positions))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return seeded


def stored_answers(database_url: str, attempt_ids: list[int]) -> tuple[dict, Counter]:
    """{(attempt_id, position): response} for answered items, and a count of item rows."""
    from sqlalchemy import select

    from models import db
    from models.attempts import AttemptItem

    app = make_app(database_url)
    with app.app_context():
        rows = db.session.execute(
            select(AttemptItem.attempt_id, AttemptItem.position, AttemptItem.response).where(
                AttemptItem.attempt_id.in_(attempt_ids)
            )
        ).all()
        db.session.remove()
        db.engine.dispose()
    per_slot = Counter((a, p) for a, p, _ in rows)
    answers = {(a, p): r for a, p, r in rows if r is not None}
    return answers, per_slot


# -- the students --------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at, not to follow


@dataclass
class Save:
    attempt_id: int
    position: int
    answer: str
    status: int | None = None  # None: no HTTP answer (connection reset, timeout)
    outcome: str = ""
    error: str = ""

    @property
    def confirmed(self) -> bool:
        return self.status is not None and 200 <= self.status < 400 and self.outcome == "saved"


@dataclass
class StudentClient:
    base_url: str
    username: str
    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    csrf_token: str = ""

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def token_from(self, path: str) -> str:
        status, page = self.request(path)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        if status != 200 or not found:
            raise RuntimeError(f"{self.username}: no CSRF token on {path} ({status})")
        return found.group(1)

    def login(self) -> None:
        token = self.token_from("/auth/login")
        status, _ = self.request(
            "/auth/login",
            {"username": self.username, "password": PASSWORD, "csrf_token": token},
        )
        if status != 302:
            raise RuntimeError(f"{self.username}: login answered {status}")

    def open_attempt(self, attempt_id: int, position: int) -> None:
        self.csrf_token = self.token_from(f"/quiz/attempts/{attempt_id}/items/{position}")

    def save(self, save: Save) -> Save:
        try:
            save.status, body = self.request(
                f"/quiz/attempts/{save.attempt_id}/items/{save.position}",
                {"answer": save.answer, "csrf_token": self.csrf_token},
                {"X-Requested-With": "fetch"},
            )
            if save.status == 200:
                save.outcome = json.loads(body).get("status", "")
        # Reset or cut short by a killed worker, timed out, or not JSON.
        except (OSError, http.client.HTTPException, ValueError) as error:
            save.error = f"{type(error).__name__}: {error}"
        return save


def planned_saves(students: list[SeededStudent], answers: int) -> list[list[Save]]:
    """Exactly `answers` saves, spread over the students, each to its own item."""
    plan: list[list[Save]] = [[] for _ in students]
    for n in range(answers):
        s = n % len(students)
        student = students[s]
        position = student.positions[len(plan[s])]
        plan[s].append(Save(student.attempt_id, position, f"answer {n} from {student.username}"))
    return plan


@dataclass
class Run:
    saves: list[Save]
    login_seconds: float
    save_seconds: float


def run_saves(
    base_url: str,
    students: list[SeededStudent],
    plan: list[list[Save]],
    deadline: float,
    on_save: Callable[[Save], None] | None = None,
) -> Run:
    """Log every student in, then each sends its saves in order, all students at once.

    `on_save` is called (from the student's thread) after each save has its answer.
    """

    def sign_in(student: SeededStudent) -> StudentClient:
        client = StudentClient(base_url, student.username)
        client.login()
        client.open_attempt(student.attempt_id, student.positions[0])
        return client

    def one_student(client: StudentClient, saves: list[Save]) -> list[Save]:
        for save in saves:
            if time.monotonic() > deadline:
                save.error = "time limit reached before sending"
                continue
            client.save(save)
            if on_save is not None:
                on_save(save)
        return saves

    with ThreadPoolExecutor(max_workers=len(students)) as pool:
        t0 = time.monotonic()
        clients = list(pool.map(sign_in, students))
        t1 = time.monotonic()
        done = list(pool.map(one_student, clients, plan))
        t2 = time.monotonic()
    return Run([save for saves in done for save in saves], t1 - t0, t2 - t1)


# -- the checks ----------------------------------------------------------------------------


def check(database_url: str, students: list[SeededStudent], saves: list[Save]) -> list[str]:
    """Every confirmed answer stored as sent, once; one row per item; no server error."""
    stored, per_slot = stored_answers(database_url, [s.attempt_id for s in students])
    problems = []
    errors = [s for s in saves if s.status is not None and s.status >= 500]
    if errors:
        problems.append(f"{len(errors)} saves answered 5xx, e.g. {errors[0]}")
    duplicated = [slot for slot, count in per_slot.items() if count != 1]
    if duplicated:
        problems.append(f"{len(duplicated)} attempt items stored more than once: {duplicated[:5]}")
    expected_rows = sum(len(s.positions) for s in students)
    if sum(per_slot.values()) != expected_rows:
        problems.append(f"{sum(per_slot.values())} attempt item rows, expected {expected_rows}")
    lost = [s for s in saves if s.confirmed and stored.get((s.attempt_id, s.position)) != s.answer]
    if lost:
        problems.append(f"{len(lost)} confirmed answers not stored as sent, e.g. {lost[0]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=640, help="exactly this many saves")
    parser.add_argument("--students", type=int, default=32, help="concurrent students")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--time-limit", type=float, default=300, help="seconds, whole run")
    args = parser.parse_args(argv)
    if not 1 <= args.answers <= 100_000 or not 1 <= args.students <= 256:
        parser.error("--answers must be 1..100000 and --students 1..256")
    deadline = time.monotonic() + args.time_limit
    try:
        import models.attempts  # noqa: F401
        import quizzes.quiz.services  # noqa: F401
    except ImportError as error:
        print(f"needs the quiz feature (models/attempts.py, quizzes/quiz): {error}")
        return 2

    with tempfile.TemporaryDirectory(prefix="quizdeck-load-") as tmp:
        database_url = args.database_url or f"sqlite:///{Path(tmp) / 'load.sqlite'}"
        per_student = math.ceil(args.answers / args.students)
        students = seed(database_url, args.students, per_student)
        plan = planned_saves(students, args.answers)
        with gunicorn(database_url, args.workers, Path(tmp)) as server:
            run = run_saves(server.url, students, plan, deadline)
            log = server.log()
        saves = run.saves
        problems = check(database_url, students, saves)
        stored, _ = stored_answers(database_url, [s.attempt_id for s in students])

    statuses = Counter(s.status for s in saves)
    confirmed = sum(s.confirmed for s in saves)
    print(
        f"{len(saves)} saves from {args.students} students on {args.workers} gunicorn workers "
        f"({'temporary SQLite' if not args.database_url else 'given database'}): "
        f"{run.save_seconds:.1f} s, {len(saves) / run.save_seconds:.0f} saves/s "
        f"(after {run.login_seconds:.1f} s of logins)"
    )
    print(f"HTTP statuses: {dict(statuses)}; confirmed 'saved': {confirmed}")
    if confirmed != args.answers:
        problems.append(f"{confirmed} of {args.answers} saves confirmed")
    if len(stored) != args.answers:
        problems.append(f"{len(stored)} answers stored, expected {args.answers}")
    if "Traceback" in log:
        problems.append("the server log holds a traceback:\n" + log[-3000:])
    for problem in problems:
        print("PROBLEM:", problem)
    print("OK: every answer stored once, as sent" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
