"""A worker killed in the middle of saving loses no answer it had confirmed.

gunicorn runs the app with 2 workers on loopback (SQLite file, or a PostgreSQL schema with
TEST_DATABASE_URL); students save answers in a burst and one worker is SIGKILLed part-way.
Every save that got a 2xx/3xx "saved" must be in the database afterwards, exactly as sent.
Uses the helpers of bench/load_answers.py (the same contract as the load test).
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from app import create_app
from bench import load_answers as load

pytestmark = pytest.mark.slow


def has_answer_save_route() -> bool:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return "quiz.item" in app.view_functions


needs_quiz = pytest.mark.skipif(
    not has_answer_save_route(),
    reason="needs the quiz answer-save route POST /quiz/attempts/<id>/items/<n> (branch quiz)",
)


KILL_EVERY = 30  # answers
MAX_KILLS = 8


@needs_quiz
def test_worker_killed_mid_burst_loses_no_confirmed_answer(empty_database_url, tmp_path):
    students = load.seed(empty_database_url, students=32, items_per_student=10)
    plan = load.planned_saves(students, answers=320)
    killed: list[int] = []
    finished: list[load.Save] = []  # in the order the answers came back
    lock = threading.Lock()

    with load.gunicorn(empty_database_url, workers=2, log_dir=tmp_path) as server:

        def kill_during_burst(save: load.Save) -> None:
            # A worker may be between requests when killed: kill again (a live worker) every
            # KILL_EVERY answers until one save has been cut off in flight.
            with lock:
                finished.append(save)
                cut = any(s.status is None for s in finished)
                if len(finished) % KILL_EVERY == 0 and not cut and len(killed) < MAX_KILLS:
                    victim = server.worker_pids()[0]
                    os.kill(victim, signal.SIGKILL)
                    killed.append(victim)

        run = load.run_saves(
            server.url, students, plan, time.monotonic() + 180, on_save=kill_during_burst
        )
        # The master replaced the killed workers and the site still answers.
        load.wait_until_serving(server, workers=2, timeout=30)
        assert not set(killed) & set(server.worker_pids())

    cut_off = [s for s in run.saves if not s.confirmed]
    assert cut_off, f"{len(killed)} kills and no save was cut off in flight"
    assert all(s.status is None and s.error for s in cut_off), cut_off  # no answer at all
    assert len(cut_off) <= len(killed)  # a sync worker serves one request at a time
    first_cut = min(finished.index(s) for s in cut_off)
    assert any(s.confirmed for s in finished[first_cut + 1 :]), "served again after the kill"
    assert load.check(empty_database_url, students, run.saves) == []
