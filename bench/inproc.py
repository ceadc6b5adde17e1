"""In-process timings on the synthetic data: the progress page with 100,000 answers, item
analysis of the 500-student assignment, and how the quiz item page and the next-card
fetch grow from 1,000 to 100,000 items or cards. Also cProfile of any page.

    .venv/bin/python bench/inproc.py [--profile item|save|study|rate|progress|analysis]

Pages go through Flask's test client (the whole request: routing, session, database,
template), on a copy of the cached database, warm: the median of several runs.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import apps  # noqa: E402
import synth  # noqa: E402


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Timing:
    median_ms: float
    min_ms: float
    runs: int


def timed_pair(
    first: Callable[[], object], second: Callable[[], object], *, runs: int = 100
) -> tuple[Timing, Timing]:
    """Both actions in turn, so that a busy moment of the shared machine hits both alike."""
    samples: tuple[list[float], list[float]] = ([], [])
    for action in (first, second, first, second):
        action()
    for _ in range(runs):
        for action, kept in zip((first, second), samples, strict=True):
            begin = time.perf_counter()
            action()
            kept.append(time.perf_counter() - begin)
    small, large = (Timing(statistics.median(s) * 1000, min(s) * 1000, len(s)) for s in samples)
    return small, large


def timed(action: Callable[[], object], *, runs: int = 30, budget: float = 10.0) -> Timing:
    """Median of `runs` calls after two warm-up calls; fewer runs when each is slow."""
    action()
    action()
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < runs and (len(samples) < 3 or time.perf_counter() - started < budget):
        begin = time.perf_counter()
        action()
        samples.append(time.perf_counter() - begin)
    return Timing(statistics.median(samples) * 1000, min(samples) * 1000, len(samples))


class Site:
    """The app on a private copy of a synthetic database, with ids looked up."""

    def __init__(self, db_path: Path) -> None:
        import os

        os.environ["BENCH_DB"] = str(db_path)
        self.app = apps.quizdeck()
        self.conn = sqlite3.connect(db_path)

    def user_id(self, username: str) -> int:
        return self.conn.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()[
            0
        ]

    def open_attempt(self, username: str) -> int:
        return self.conn.execute(
            "SELECT id FROM attempts WHERE user_id = ? AND status = 'in_progress'",
            (self.user_id(username),),
        ).fetchone()[0]

    def deck(self, username: str) -> int:
        return self.conn.execute(
            "SELECT id FROM decks WHERE owner_id = ?", (self.user_id(username),)
        ).fetchone()[0]

    def client(self, username: str):
        client = self.app.test_client()
        user_id, token = self.conn.execute(
            "SELECT id, session_token FROM users WHERE username = ?", (username,)
        ).fetchone()
        with client.session_transaction() as session:
            session["_user_id"] = f"{user_id}:{token}"  # what User.get_id() gives at login
            session["_fresh"] = True
        return client

    def getter(self, username: str, path: str) -> Callable[[], object]:
        client = self.client(username)

        def get() -> object:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} as {username}: {response.status_code}")
            return response

        return get

    # the pages
    def item_page(self) -> Callable[[], object]:
        name = "s00001"
        return self.getter(name, f"/quiz/attempts/{self.open_attempt(name)}/items/1")

    def save_answer(self) -> Callable[[], object]:
        import re

        name = "s00001"
        path = f"/quiz/attempts/{self.open_attempt(name)}/items/1"
        client = self.client(name)
        html = client.get(path).get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        answers = iter(range(10**9))

        def post() -> object:
            data = {"csrf_token": token, "answer": str(next(answers) % 4), "go": "next"}
            response = client.post(path, data=data)
            if response.status_code != 302:
                raise RuntimeError(f"POST {path}: {response.status_code}")
            return response

        return post

    def study_page(self, username: str = "c001") -> Callable[[], object]:
        return self.getter(username, f"/cards/my-{self.deck(username)}/study")

    def rate_card(self, username: str = "c001") -> Callable[[], object]:
        import re

        ref = f"my-{self.deck(username)}"
        client = self.client(username)
        html = client.get(f"/cards/{ref}/study").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        low, high = self.conn.execute(
            "SELECT min(id), max(id) FROM cards WHERE deck_id = ? AND first_studied_at IS NOT NULL",
            (self.deck(username),),
        ).fetchone()
        numbers = iter(range(10**9))

        def post() -> object:
            number = next(numbers)
            card = low + (number * 7919) % (high - low)
            data = {"csrf_token": token, "card": f"card:{card}", "rating": str(1 + number % 4)}
            response = client.post(f"/cards/{ref}/study/rate", data=data)
            if response.status_code != 302:
                raise RuntimeError(f"rate: {response.status_code}")
            return response

        return post

    def progress_page(self) -> Callable[[], object]:
        return self.getter(synth.HEAVY, "/progress/")

    def analysis(self) -> Callable[[], object]:
        """The teacher's item analysis page when the app has it, else the service."""
        with self.app.test_request_context():
            from flask import url_for

            try:
                path = url_for("teach.item_analysis", assignment_id=1)
            except Exception:  # noqa: BLE001 (the route is not on this branch yet)
                path = None
        if path is not None:
            return self.getter("teacher", path)
        return self._analysis_service

    def _analysis_service(self) -> object:
        """Stand-in until the assignment pages land: what the page must compute, over
        the first submitted attempt of each student (quizzes.domain.analysis)."""
        from sqlalchemy import select

        from models import Attempt, AttemptItem, db
        from quizzes.domain import analysis

        with self.app.app_context():
            rows = db.session.execute(
                select(AttemptItem.attempt_id, AttemptItem.item_key, AttemptItem.score)
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .where(Attempt.assignment_id == 1)
            )
            attempts: dict[int, list[analysis.Answer]] = {}
            for attempt_id, key, score in rows:
                attempts.setdefault(attempt_id, []).append(analysis.Answer(key, score or 0.0))
            return analysis.analyse(list(attempts.values()))

    def next_card(self, username: str) -> Callable[[], object]:
        """What the study page does to find the card to show: load the deck and the
        learner's settings, services.build_queue (counts and the first entries),
        services.next_card."""
        from models import db, utcnow
        from quizzes.cards import decks, services
        from quizzes.cards.study_views import STUDY_HEAD

        user_id, ref = self.user_id(username), f"my-{self.deck(username)}"

        def fetch() -> object:
            with self.app.app_context():
                now = utcnow()
                deck = decks.load_deck(ref, user_id)
                study = services.load_context(user_id)
                queue = services.build_queue(deck, user_id, now, study, head=STUDY_HEAD)
                shown = services.next_card(deck, queue, now, study.settings)
                if shown is None:
                    raise RuntimeError("no card to show")
                db.session.remove()
                return shown

        return fetch


@contextmanager
def site(spec: synth.Spec) -> Iterator[Site]:
    source, _ = synth.ensure(spec)
    with tempfile.TemporaryDirectory(prefix="quizdeck-inproc-") as folder:
        path = Path(folder) / "run.sqlite"
        shutil.copyfile(source, path)
        yield Site(path)


def profile(action: Callable[[], object], runs: int = 50, lines: int = 30) -> str:
    """cProfile of `runs` warm calls, the top functions by cumulative time."""
    action()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        action()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("cumulative").print_stats(lines)
    return out.getvalue()


@dataclass(frozen=True)
class Results:
    progress: Timing
    analysis: Timing
    item_small: Timing
    item_full: Timing
    card_small: Timing
    card_full: Timing


def run() -> Results:
    with site(synth.FULL) as full, site(synth.SMALL) as small:
        progress("in-process: progress page of the student with 100,000 answers")
        progress_timing = timed(full.progress_page(), runs=15)
        progress("in-process: item analysis of the 500-student assignment")
        analysis_timing = timed(full.analysis(), runs=15)
        progress("in-process: quiz item page, 1,000 and 100,000 items, in turn")
        item_small, item_full = timed_pair(small.item_page(), full.item_page(), runs=200)
        progress("in-process: next-card fetch, 1,000 and 100,000 cards, in turn")
        card_small, card_full = timed_pair(
            small.next_card(synth.GROWTH_USER), full.next_card(synth.GROWTH_USER), runs=100
        )
    return Results(progress_timing, analysis_timing, item_small, item_full, card_small, card_full)


PAGES = {
    "item": Site.item_page,
    "save": Site.save_answer,
    "study": Site.study_page,
    "rate": Site.rate_card,
    "progress": Site.progress_page,
    "analysis": Site.analysis,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=sorted(PAGES))
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--size", choices=sorted(synth.SPECS), default="full")
    args = parser.parse_args(argv)
    if args.profile:
        with site(synth.SPECS[args.size]) as here:
            action = PAGES[args.profile](here)
            print(timed(action, runs=args.runs))
            print(profile(action, runs=args.runs, lines=40))
        return 0
    results = run()
    for name, value in vars(results).items():
        print(f"{name:12} {value.median_ms:9.2f} ms (min {value.min_ms:.2f}, {value.runs} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
