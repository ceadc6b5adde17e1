"""Live sessions under load: N simulated players in one session, on loopback, under the
README's production command (gunicorn, gthread workers, Redis for the rate limits and the
live pushes). A script that prints figures, not a test:

    python bench/live.py [--players 500] [--questions 5] [--workers 4] [--threads 200]

It starts redis-server on a free loopback port and gunicorn against a temporary SQLite
database, seeds a teacher and a set of single-choice items, joins N guests over HTTP
(join page, CSRF token, PIN, nickname), opens one server-sent event stream per player
(one thread each) and then, per question: the teacher's "next" (or "start"), the time
until each player's stream shows that question, every player's answer (time to its
acknowledgement), the teacher's close. Then 10% of the players drop their streams at
once and reconnect; a player counts as recovered when the new stream shows the current
question with the answer they had sent. Last, the answers stored are counted in the
database against the answers acknowledged.

The servers and simulated players are in bench/live_support.py.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.live_support import (  # noqa: E402 (after the path is set)
    Player,
    answer,
    app_server,
    close_stream,
    control,
    count_answers,
    join,
    open_stream,
    redis_server,
    seed,
    wait_for,
)

# -- the run -------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(players_count: int, questions: int, workers: int, threads: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="live-bench-"))
    database_url = f"sqlite:///{tmp / 'bench.sqlite'}"
    seeded = seed(database_url, questions)
    figures: dict = {
        "players": players_count,
        "questions": questions,
        "workers": workers,
        "threads": threads,
    }
    with (
        redis_server() as redis_url,
        app_server(
            database_url, redis_url, workers=workers, threads=threads, log=tmp / "gunicorn.log"
        ) as base,
    ):
        players = [Player(f"p{n:03d}") for n in range(players_count)]
        with ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda p: join(base, seeded.pin, p, seeded.session_id), players))
        stream_path = f"/live/play/{seeded.session_id}/events"
        with ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda p: open_stream(base, stream_path, p), players))
        time.sleep(2)  # every stream registered with its process's hub
        to_last, per_player, acks = [], [], []
        sent = acknowledged = 0
        for number in range(1, questions + 1):
            started = time.monotonic()
            control(base, seeded, "start" if number == 1 else "next")
            wait_for(lambda n=number: all(n in p.seen for p in players), 60)
            got = [p.seen[number] - started for p in players if number in p.seen]
            missing = players_count - len(got)
            if missing:
                print(f"question {number}: {missing} players never saw it", file=sys.stderr)
            per_player.extend(got)
            to_last.append(max(got))
            with ThreadPoolExecutor(64) as pool:
                results = list(
                    pool.map(
                        lambda p, n=number: answer(
                            base, seeded.session_id, p, n, random.randrange(3)
                        ),
                        players,
                    )
                )
            sent += len(results)
            acks.extend(r for r in results if r is not None)
            acknowledged += sum(r is not None for r in results)
            if number < questions:
                control(base, seeded, "close")
        # 10% drop at once mid-question (the last one, still open), then reconnect.
        dropped = players[: max(1, players_count // 10)]
        for p in dropped:
            close_stream(p)
            p.seen.clear()
            p.mine.clear()
        time.sleep(0.5)
        started = time.monotonic()
        with ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda p: open_stream(base, stream_path, p), dropped))
        wait_for(lambda: all(questions in p.seen and p.mine.get(questions) for p in dropped), 30)
        recovered = [p for p in dropped if questions in p.seen and p.mine.get(questions)]
        recover_time = max((p.seen[questions] - started for p in recovered), default=None)
        control(base, seeded, "close")
        control(base, seeded, "end")
        for p in players:
            close_stream(p)
    stored = count_answers(database_url, seeded.session_id)
    figures.update(
        {
            "next_to_last_player_s": {
                "median": statistics.median(to_last),
                "p95": percentile(to_last, 0.95),
                "max": max(to_last),
            },
            "next_to_each_player_s": {
                "median": statistics.median(per_player),
                "p95": percentile(per_player, 0.95),
            },
            "answer_ack_s": {"median": statistics.median(acks), "p95": percentile(acks, 0.95)},
            "answers_sent": sent,
            "answers_acknowledged": acknowledged,
            "answers_stored": stored,
            "dropped": len(dropped),
            "recovered": len(recovered),
            "recovered_within_s": recover_time,
        }
    )
    shutil.rmtree(tmp, ignore_errors=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--players", type=int, nargs="+", default=[500, 50])
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=200)
    args = parser.parse_args()
    ok = True
    for count in args.players:
        figures = run(count, args.questions, args.workers, args.threads)
        print(json.dumps(figures, indent=2))
        ok &= (
            figures["answers_stored"] == figures["answers_acknowledged"] == figures["answers_sent"]
            and figures["recovered"] == figures["dropped"]
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
