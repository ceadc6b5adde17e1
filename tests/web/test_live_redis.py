"""Two app processes share a live session through Redis: a player whose event stream is
served by one process sees the teacher's "next", sent through the other, at once.

Both processes are gunicorn (gthread, the README's production command) on one SQLite file
and one redis-server started here on a free loopback port. Their streams check the
database only every 60 s, so a question that arrives within seconds came through Redis.
Uses the helpers of bench/live_support.py (as bench/live.py does).
"""

from __future__ import annotations

import shutil
import time

import pytest

from bench import live_support as bench

pytestmark = [
    pytest.mark.slow,
    pytest.mark.sqlite_only("the processes share one SQLite file"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]
PUSHED_WITHIN = 5.0  # seconds; the database check would take 60


def test_a_player_on_one_process_sees_next_sent_through_the_other(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    seeded = bench.seed(database_url, questions=2)
    quiet = {"LIVE_POLL_SECONDS": "60"}
    with (
        bench.redis_server() as redis_url,
        bench.app_server(
            database_url, redis_url, workers=1, threads=8, log=tmp_path / "a.log", **quiet
        ) as process_a,
        bench.app_server(
            database_url, redis_url, workers=1, threads=8, log=tmp_path / "b.log", **quiet
        ) as process_b,
    ):
        player = bench.Player("Mina")
        bench.join(process_a, seeded.pin, player, seeded.session_id)
        bench.open_stream(process_a, f"/live/play/{seeded.session_id}/events", player)
        time.sleep(1)  # the stream listens on process A's hub
        assert player.seen == {}

        started = time.monotonic()
        bench.control(process_b, seeded, "start")
        assert bench.wait_for(lambda: 1 in player.seen, PUSHED_WITHIN), "question 1 not pushed"
        assert player.seen[1] - started < PUSHED_WITHIN

        # The answer goes to process A, the close and "next" through process B.
        assert bench.answer(process_a, seeded.session_id, player, 1, 0) is not None
        bench.control(process_b, seeded, "close")
        assert bench.wait_for(lambda: 1 in player.mine, PUSHED_WITHIN), "results not pushed"
        started = time.monotonic()
        bench.control(process_b, seeded, "next")
        assert bench.wait_for(lambda: 2 in player.seen, PUSHED_WITHIN), "next not pushed"
        assert player.seen[2] - started < PUSHED_WITHIN
        bench.close_stream(player)
    assert bench.count_answers(database_url, seeded.session_id) == 1
