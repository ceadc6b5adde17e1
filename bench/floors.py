"""What each request costs in the app alone: direct WSGI calls, no HTTP server, no load tool.

    .venv/bin/python bench/floors.py [--size small|full] [--runs N] [--profile NAME]

The load runs (bench/load.py) quote pages as shares of bare Flask under gunicorn, where
the server, the load tool and the kernel add about the same to every request. This
script takes them away, to show where a page's time goes: bare Flask's hello, an empty
Quizdeck route (the app's hooks), the same behind login (what being signed in adds), and
the pages the targets name. Same process, same data; medians of many warm calls.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import statistics
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import apps  # noqa: E402
import inproc  # noqa: E402
import synth  # noqa: E402

USER_AGENT = "quizdeck-bench"
CSRF_SECRET = "f" * 40  # the session's CSRF secret, fixed so forms can be built once


def signed_cookie(site: inproc.Site, username: str) -> str:
    """A session cookie as a login through the form leaves it: the user, the session
    protection identifier of this client, a CSRF secret (so no request rewrites it)."""
    from quizzes.extensions import login_manager

    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": USER_AGENT}
    with site.app.test_request_context(environ_base=environ):
        identifier = login_manager._session_identifier_generator()
    client = site.client(username)
    with client.session_transaction() as session:
        session["_id"] = identifier
        session["csrf_token"] = CSRF_SECRET
    return client.get_cookie("session").value


def csrf_token(site: inproc.Site) -> str:
    from flask import session
    from flask_wtf.csrf import generate_csrf

    with site.app.test_request_context():
        session["csrf_token"] = CSRF_SECRET
        return generate_csrf()


def caller(
    app, path: str, cookie: str | None, *, form: Callable[[], dict] | None = None, status: str
) -> Callable[[], None]:
    """One request straight into the WSGI app; checks the status and that a GET leaves
    the session cookie alone (a rewritten cookie would be work a real browser avoids)."""
    base = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_USER_AGENT": USER_AGENT,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if cookie:
        base["HTTP_COOKIE"] = f"session={cookie}"

    def call() -> None:
        environ = dict(base)
        if form is not None:
            body = urllib.parse.urlencode(form()).encode()
            environ.update(
                REQUEST_METHOD="POST",
                CONTENT_TYPE="application/x-www-form-urlencoded",
                CONTENT_LENGTH=str(len(body)),
            )
            environ["wsgi.input"] = io.BytesIO(body)
        seen: list = []
        for _ in app(environ, lambda code, headers, exc=None: seen.append((code, headers))):
            pass
        code, headers = seen[0]
        if not code.startswith(status):
            raise RuntimeError(f"{path}: {code}, expected {status}")
        if form is None and cookie and any(name == "Set-Cookie" for name, _ in headers):
            raise RuntimeError(f"{path}: the session cookie was rewritten")

    return call


def stack_app():
    """The required stack alone (apps.stack) on a fresh database: its WSGI app, a signed-in
    user's session cookie and that session's CSRF token."""
    path = synth.OUT / "stack.sqlite"
    for leftover in synth.OUT.glob("stack.sqlite*"):
        leftover.unlink()
    apps.build_stack_db(path)
    app = apps.stack(str(path))
    client = app.test_client()
    client.get("/login/1", environ_base={"HTTP_USER_AGENT": USER_AGENT})
    page = client.get("/item/1", environ_base={"HTTP_USER_AGENT": USER_AGENT}).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return app.wsgi_app, client.get_cookie("session").value, token


def requests(site: inproc.Site) -> dict[str, tuple[str, Callable[[], None]]]:
    app = site.app.wsgi_app
    hello = apps.hello().wsgi_app
    student, learner = "s00001", synth.GROWTH_USER
    quiz_cookie, card_cookie = signed_cookie(site, student), signed_cookie(site, learner)
    token = csrf_token(site)
    item = f"/quiz/attempts/{site.open_attempt(student)}/items/1"
    study = f"/cards/my-{site.deck(learner)}/study"
    bank_study = f"/cards/{apps.build_bank(site.app, site.conn)}/study"
    low, high = site.conn.execute(
        "SELECT min(id), max(id) FROM cards WHERE deck_id = ?", (site.deck(learner),)
    ).fetchone()
    numbers = iter(range(10**12))

    def answer() -> dict:
        return {"csrf_token": token, "answer": str(next(numbers) % 4), "go": "next"}

    def rating() -> dict:
        number = next(numbers)
        card = low + (number * 7919) % (high - low)
        return {"csrf_token": token, "card": f"card:{card}", "rating": str(1 + number % 4)}

    stack, stack_cookie, stack_token = stack_app()

    def stack_answer() -> dict:
        return {"csrf_token": stack_token, "answer": str(next(numbers) % 4)}

    return {
        "hello": ("Bare Flask hello", caller(hello, "/", None, status="200")),
        "stack_template": (
            "Stack alone: a template, no database",
            caller(stack, "/template", None, status="200"),
        ),
        "stack_signed": (
            "Stack alone: empty route behind login",
            caller(stack, "/signed", stack_cookie, status="200"),
        ),
        "stack_item": (
            "Stack alone: item page (ORM read, template)",
            caller(stack, "/item/1", stack_cookie, status="200"),
        ),
        "stack_save": (
            "Stack alone: save (CSRF, insert, commit)",
            caller(stack, "/item/1", stack_cookie, form=stack_answer, status="302"),
        ),
        "anonymous": (
            "Empty Quizdeck route",
            caller(app, apps.ANONYMOUS_FLOOR, None, status="200"),
        ),
        "signed": (
            "Empty route behind login",
            caller(app, apps.SIGNED_IN_FLOOR, quiz_cookie, status="200"),
        ),
        "login": (
            "Login page (template, no database)",
            caller(app, "/auth/login", None, status="200"),
        ),
        "item": ("Quiz item page", caller(app, item, quiz_cookie, status="200")),
        "save": ("Save an answer", caller(app, item, quiz_cookie, form=answer, status="302")),
        "study": ("Study page (next card)", caller(app, study, card_cookie, status="200")),
        "bank_study": (
            "Bank topic deck: study page",
            caller(app, bank_study, card_cookie, status="200"),
        ),
        "rate": (
            "Rate a card",
            caller(app, f"{study}/rate", card_cookie, form=rating, status="302"),
        ),
    }


def measure(
    calls: dict[str, Callable[[], None]], runs: int, blocks: int = 10
) -> dict[str, list[float]]:
    """Each request `runs` times, in blocks of back-to-back calls taken in turn: back to
    back as a load run sends them (one page at a time, warm), in turn so that a busy
    moment of the shared machine hits every request alike."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():
        for _ in range(50):
            call()
    for _ in range(blocks):
        for name, call in calls.items():
            kept = samples[name]
            for _ in range(max(1, runs // blocks)):
                begin = time.perf_counter()
                call()
                kept.append(time.perf_counter() - begin)
    return samples


@dataclass(frozen=True)
class Floor:
    key: str
    label: str
    median_us: float
    fastest_us: float


def run(size: str = "small", runs: int = 2000) -> list[Floor]:
    with inproc.site(synth.SPECS[size]) as site:
        found = requests(site)
        inproc.progress(f"in the app alone: {len(found)} requests, {runs} times each")
        samples = measure({name: call for name, (_, call) in found.items()}, runs)
    return [
        Floor(name, label, statistics.median(samples[name]) * 1e6, min(samples[name]) * 1e6)
        for name, (label, _) in found.items()
    ]


def server_cost_us(hello_us: float, signed_us: float, signed_ratio: float) -> float:
    """What the server, the load tool and the kernel add to each request under load, from
    two requests measured both ways: bare Flask's hello (ratio 1 by definition) and the
    empty route behind login. With that cost c, ratio = (c + hello) / (c + app time)."""
    return (signed_ratio * signed_us - hello_us) / (1 - signed_ratio)


def app_budget_us(hello_us: float, server_us: float, ratio: float, count: int = 1) -> float:
    """The app time a page (or `count` requests together) may take to reach `ratio`."""
    return (server_us + hello_us) / ratio - count * server_us


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(synth.SPECS), default="small")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--profile", help="cProfile this request instead (a name below)")
    args = parser.parse_args(argv)
    if args.profile:
        with inproc.site(synth.SPECS[args.size]) as site:
            call = requests(site)[args.profile][1]
            for _ in range(50):
                call()
            profiler = cProfile.Profile()
            profiler.runcall(lambda: [call() for _ in range(args.runs)])
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(50)
        print(re.sub(r"/\S*site-packages/", "", out.getvalue()))
        return 0
    floors = run(args.size, args.runs)
    hello = floors[0].median_us
    print(f"{'request':38} {'median µs':>10} {'fastest µs':>11} {'× hello':>8}")
    for floor in floors:
        print(
            f"{floor.label:38} {floor.median_us:10.0f} {floor.fastest_us:11.0f} "
            f"{floor.median_us / hello:8.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
