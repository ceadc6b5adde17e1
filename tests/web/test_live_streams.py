"""The event streams over HTTP, in one process (the in-process hub): a phone's stream
starts with the round and its own answer, brings the teacher's moves as they happen, and
ends by itself so the browser reconnects."""

from __future__ import annotations

import json
import threading
import time

from models import Role
from tests.web.live_support import answer, control, join, make_set, start_session


def events(body: str) -> list[tuple[str, dict]]:
    out = []
    for block in body.split("\n\n"):
        lines = dict(
            line.split(": ", 1) for line in block.splitlines() if ": " in line and line[0] != ":"
        )
        if "event" in lines:
            out.append((lines["event"], json.loads(lines["data"])))
    return out


def test_a_phone_stream_follows_the_round(make_app, create_user):
    app = make_app(LIVE_POLL_SECONDS=0.2, LIVE_STREAM_SECONDS=2)
    create_user("teacher1", Role.TEACHER)
    from tests.conftest import AuthActions

    teacher = app.test_client()
    AuthActions(teacher).login("teacher1")
    with app.app_context():
        set_id = make_set(None)
    session_id = start_session(app, teacher, set_id)
    guest = app.test_client()
    join(app, guest, session_id, "Mina")

    def teacher_moves() -> None:
        time.sleep(0.5)
        control(teacher, session_id, "start")
        answer(guest, session_id, 1, answer="0")
        control(teacher, session_id, "close")

    mover = threading.Thread(target=teacher_moves)
    started = time.monotonic()
    response = guest.get(f"/live/play/{session_id}/events", buffered=False)
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-store"
    mover.start()
    body = b"".join(response.response).decode()
    response.close()
    mover.join()
    assert 2 <= time.monotonic() - started < 6  # it ended by itself
    assert body.startswith("retry: 1000\n\n")
    got = events(body)
    names = [name for name, _ in got]
    assert names[:2] == ["state", "mine"] and got[0][1]["phase"] == "lobby"
    phases = [data["phase"] for name, data in got if name == "state"]
    assert phases[0] == "lobby" and "question" in phases and phases[-1] == "results"
    results = [data for name, data in got if name == "state" and data["phase"] == "results"]
    assert results[-1]["results"]["right_answer"] == "Pyongyang"
    mine = [data for name, data in got if name == "mine"][-1]
    assert mine["answered"] and "correct" in mine  # the grade, once the question closed
    # No event before the close carried the key or a grade.
    before_close = body[: body.index('"phase":"results"')]
    assert '"right_answer"' not in before_close and '"correct"' not in before_close


def test_a_push_with_redis_down_still_reaches_this_process():
    import logging
    import socket

    from quizzes.live.broker import RedisBroker

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    broker = RedisBroker(f"redis://127.0.0.1:{port}/0")
    logging.getLogger("quizzes.live.broker").disabled = True
    try:
        with broker.hub.listen("7:players") as inbox:
            broker.publish("7:players", "pushed")
            assert inbox.get_nowait() == "pushed"
    finally:
        logging.getLogger("quizzes.live.broker").disabled = False
