"""Server-sent event streams of a live session: one per projector and one per phone.

A stream registers with this process's hub first, then sends the round as it stands (so
nothing published in between is lost), then forwards what the hub brings. When the hub
is quiet for LIVE_POLL_SECONDS it reads the session's version from the database and
sends the round again if it moved (a push lost on the way, or a process without Redis).
After LIVE_STREAM_SECONDS it ends; the browser's EventSource reconnects by itself.
Between reads no database connection is held: hundreds of open streams would exhaust
the pool.
"""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Callable, Iterator

from flask import Response, current_app, stream_with_context
from sqlalchemy import select

from models import LiveSession, db
from quizzes.live.broker import broker

RETRY_MS = 1000


def players_channel(session_id: int) -> str:
    return f"{session_id}:players"


def host_channel(session_id: int) -> str:
    return f"{session_id}:host"


def message(name: str, data: dict) -> str:
    return json.dumps({"event": name, "data": data}, separators=(",", ":"))


def publish(channel: str, name: str, data: dict) -> None:
    broker().publish(channel, message(name, data))


def sse(name: str, data: dict) -> str:
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def version_of(session_id: int) -> int | None:
    version = db.session.scalar(select(LiveSession.version).where(LiveSession.id == session_id))
    db.session.remove()
    return version


def stream(
    session_id: int,
    channel: str,
    snapshot: Callable[[], list[str]],
    forward: Callable[[str, dict], list[str] | None],
) -> Response:
    """`snapshot()` gives the events that bring a browser up to date (read inside the
    stream, after it listens). `forward(name, data)` turns a pushed message into events,
    [] to drop it, or None to end the stream (the player was removed)."""
    config = current_app.config
    hub_broker = broker()
    poll = config["LIVE_POLL_SECONDS"] or hub_broker.quiet_check_seconds
    lifetime = config["LIVE_STREAM_SECONDS"]
    hub_broker.ready()

    def generate() -> Iterator[str]:
        with hub_broker.hub.listen(channel) as inbox:
            yield f"retry: {RETRY_MS}\n\n"
            first = snapshot()
            db.session.remove()
            known = version_of(session_id)
            yield from first
            ends = time.monotonic() + lifetime
            while (left := ends - time.monotonic()) > 0:
                try:
                    raw = inbox.get(timeout=min(poll, left))
                except queue.Empty:
                    version = version_of(session_id)
                    if version is None:
                        return
                    if version != known:
                        known = version
                        yield from snapshot()
                        db.session.remove()
                    else:
                        yield ": still here\n\n"
                    continue
                pushed = json.loads(raw)
                version = pushed["data"].get("v")
                if version is not None:
                    known = max(known or 0, version)
                out = forward(pushed["event"], pushed["data"])
                db.session.remove()
                if out is None:
                    return
                yield from out

    response = Response(stream_with_context(generate()), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # a proxy in front must not hold events back
    return response
