"""Servers, data and simulated players for the live-session bench (bench/live.py) and the
two-process test (tests/web/test_live_redis.py): redis-server and gunicorn (the README's
production command) on free loopback ports, a seeded session, players that join over
HTTP and read their server-sent event stream in a thread."""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

# One redis-server starter for the benches and their tests (the live ones import it from here).
from bench.rate_limits import redis_server  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SECRET_KEY = "live-bench-secret"
TIMEOUT = 30.0
# The README's production command, as argument lists (workers and threads from the CLI).
GUNICORN = [sys.executable, "-m", "gunicorn", "-k", "gthread"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- servers -------------------------------------------------------------------------------


def server_env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "RATELIMIT_STORAGE_URI": redis_url,
        # Every simulated player comes from 127.0.0.1.
        "LIVE_JOIN_RATE_LIMIT": "100000 per minute",
        "AUTH_RATE_LIMIT": "100000 per minute",
        **extra,
    }


@contextmanager
def app_server(
    database_url: str, redis_url: str, *, workers: int, threads: int, log: Path, **extra: str
) -> Iterator[str]:
    """gunicorn (gthread) serving create_app() on a free loopback port; its base URL."""
    port = free_port()
    command = [
        *GUNICORN,
        "-w",
        str(workers),
        "--threads",
        str(threads),
        "-b",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        "3",
        "app:create_app()",
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=server_env(database_url, redis_url, **extra),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(url, "GET", "/auth/login")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not serve:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


# -- data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seeded:
    session_id: int
    pin: str
    teacher_cookie: str
    teacher_csrf: str


def seed(database_url: str, questions: int, seconds: int = 300) -> Seeded:
    """Tables, a teacher, a built-in set of `questions` single-choice items and a session
    of all of them; the teacher's signed session cookie and CSRF token."""
    from flask import session
    from flask_wtf.csrf import generate_csrf

    from app import create_app
    from models import Item, QuestionSet, Role, SetStatus, User, db, utcnow
    from quizzes.live import services

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        db.create_all()
        teacher = User(username="bench_teacher", role=Role.TEACHER, password_hash="x")
        question_set = QuestionSet(title="Bench set", owner_id=None, status=SetStatus.PUBLISHED)
        db.session.add_all([teacher, question_set])
        db.session.flush()
        for n in range(questions):
            db.session.add(
                Item(
                    key=f"bench.{n}",
                    set_id=question_set.id,
                    position=n,
                    type="single",
                    prompt=f"Question {n + 1}: which is right?",
                    data={
                        "options": [
                            {"text": f"Right {n}", "correct": True},
                            {"text": f"Wrong {n}a"},
                            {"text": f"Wrong {n}b"},
                        ]
                    },
                    topics=["bench"],
                    fact_ids=[f"bench.{n}"],
                )
            )
        db.session.flush()
        live = services.create_session(
            teacher,
            question_set,
            list(question_set.items),
            seconds=seconds,
            show_leaderboard=False,
            school_class=None,
            keep_in_gradebook=False,
            now=utcnow(),
            rng=random.Random(1),
        )
        db.session.commit()
        session_id, pin = live.id, live.pin
        teacher_session_id = teacher.get_id()
    with app.test_request_context():
        session["_user_id"] = teacher_session_id
        session["_fresh"] = True
        token = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return Seeded(session_id, pin, f"session={cookie}", token)


def count_answers(database_url: str, session_id: int) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(
            text(
                "SELECT count(*) FROM live_answers a JOIN live_questions q "
                "ON q.id = a.question_id WHERE q.session_id = :s"
            ),
            {"s": session_id},
        ).scalar_one()
    engine.dispose()
    return count


# -- HTTP ----------------------------------------------------------------------------------


def request(
    base: str,
    method: str,
    path: str,
    *,
    cookie: str = "",
    form: dict | None = None,
    headers: dict | None = None,
) -> tuple[int, dict[str, str], bytes]:
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        sent = {"Cookie": cookie} if cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def session_cookie(headers: dict[str, str], previous: str = "") -> str:
    found = re.search(r"session=([^;]+)", headers.get("set-cookie", ""))
    return f"session={found.group(1)}" if found else previous


@dataclass
class Player:
    name: str
    cookie: str = ""
    csrf: str = ""
    # question number -> monotonic time the stream first showed it open
    seen: dict[int, float] = field(default_factory=dict)
    mine: dict[int, bool] = field(default_factory=dict)  # "mine" events: answered?
    stream: http.client.HTTPConnection | None = None
    reader: threading.Thread | None = None


def join(base: str, pin: str, player: Player, session_id: int) -> None:
    status, headers, page = request(base, "GET", f"/live/join?pin={pin}")
    player.cookie = session_cookie(headers)
    token = _token(page)
    status, headers, page = request(
        base,
        "POST",
        "/live/join",
        cookie=player.cookie,
        form={"csrf_token": token, "pin": pin, "nickname": player.name},
    )
    if status != 302:
        raise RuntimeError(f"join {player.name}: {status} {page[:300]!r}")
    player.cookie = session_cookie(headers, player.cookie)
    status, _, page = request(base, "GET", f"/live/play/{session_id}", cookie=player.cookie)
    player.csrf = _token(page)


def _token(page: bytes) -> str:
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not found:
        raise RuntimeError(f"no CSRF token in {page[:200]!r}")
    return found.group(1).decode()


def open_stream(base: str, path: str, player: Player, on_event=None) -> None:
    """Read the player's event stream in a thread, noting when each question shows."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    connection.request(
        "GET", path, headers={"Cookie": player.cookie, "Accept": "text/event-stream"}
    )
    response = connection.getresponse()
    player.stream = connection

    def read() -> None:
        name = ""
        try:
            while True:
                line = response.fp.readline()
                if not line:
                    return
                line = line.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data = json.loads(line[6:])
                    now = time.monotonic()
                    if name == "state" and data.get("phase") == "question" and data["question"]:
                        player.seen.setdefault(data["question"]["number"], now)
                    if name == "mine" and data.get("number"):
                        player.mine[data["number"]] = data.get("answered", False)
                    if on_event:
                        on_event(name, data, now)
        except (OSError, ValueError, AttributeError):
            return

    player.reader = threading.Thread(target=read, daemon=True)
    player.reader.start()


def close_stream(player: Player) -> None:
    if player.stream is not None:
        try:
            player.stream.sock.shutdown(socket.SHUT_RDWR)
        except (OSError, AttributeError):
            pass
        player.stream.close()
        player.stream = None


def control(base: str, seeded: Seeded, action: str) -> None:
    status, _, body = request(
        base,
        "POST",
        f"/live/{seeded.session_id}/control",
        cookie=seeded.teacher_cookie,
        form={"csrf_token": seeded.teacher_csrf, "action": action},
        headers={"Accept": "application/json"},
    )
    if status != 200:
        raise RuntimeError(f"control {action}: {status} {body[:300]!r}")


def answer(base: str, session_id: int, player: Player, number: int, choice: int) -> float | None:
    """Seconds to the acknowledgement, or None when it was not acknowledged."""
    start = time.monotonic()
    status, _, body = request(
        base,
        "POST",
        f"/live/play/{session_id}/answer",
        cookie=player.cookie,
        form={"csrf_token": player.csrf, "number": number, "answer": choice},
        headers={"Accept": "application/json"},
    )
    if status == 200 and json.loads(body).get("ok"):
        return time.monotonic() - start
    return None


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()
