"""Pushes to the browsers of a live session: a per-process hub, fed locally or by Redis.

Every app process keeps one hub: the event streams it serves wait on the hub's queues.
Without Redis, a publish goes straight into this process's hub (one process runs a
session; SQLite alone is enough). With LIVE_REDIS_URL (by default the Redis of
RATELIMIT_STORAGE_URI) a publish goes to a Redis channel, and one subscriber thread per
process hands what arrives to its hub, so a player served by one process sees what the
teacher did through another. A push lost on the way costs only latency: each stream also
reads the session's version from the database when it has heard nothing for a while.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Iterator

from flask import Flask, current_app

log = logging.getLogger(__name__)
PREFIX = "quizdeck-live:"
MAX_QUEUED = 64  # a listener that stops reading (a dead connection) cannot grow memory


class Hub:
    """Channel name -> the queues of this process's listeners."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[str, set[queue.Queue]] = {}

    @contextlib.contextmanager
    def listen(self, channel: str) -> Iterator[queue.Queue]:
        inbox: queue.Queue = queue.Queue(MAX_QUEUED)
        with self._lock:
            self._listeners.setdefault(channel, set()).add(inbox)
        try:
            yield inbox
        finally:
            with self._lock:
                listeners = self._listeners.get(channel)
                if listeners is not None:
                    listeners.discard(inbox)
                    if not listeners:
                        del self._listeners[channel]

    def deliver(self, channel: str, message: str) -> None:
        with self._lock:
            inboxes = list(self._listeners.get(channel, ()))
        for inbox in inboxes:
            try:
                inbox.put_nowait(message)
            except queue.Full:  # the stream's next database check catches it up
                pass

    def listeners(self, channel: str) -> int:
        with self._lock:
            return len(self._listeners.get(channel, ()))


class LocalBroker:
    """One process: a publish reaches this process's listeners only."""

    # Several processes without Redis share a session only through the database.
    quiet_check_seconds = 2.0

    def __init__(self) -> None:
        self.hub = Hub()

    def publish(self, channel: str, message: str) -> None:
        self.hub.deliver(channel, message)

    def ready(self) -> None:
        pass


class RedisBroker:
    """Several processes: publish through Redis; one subscriber thread per process."""

    quiet_check_seconds = 10.0  # a safety net only: Redis delivers the pushes

    def __init__(self, url: str) -> None:
        import redis  # the "redis" extra; only needed when LIVE_REDIS_URL is set

        self.hub = Hub()
        self._redis = redis.Redis.from_url(url)
        self._started = threading.Event()
        self._subscribed = threading.Event()
        self._lock = threading.Lock()

    def publish(self, channel: str, message: str) -> None:
        try:
            self._redis.publish(PREFIX + channel, message)
        except Exception:  # the streams' database check still delivers, later
            log.exception("live: publish to Redis failed")
            self.hub.deliver(channel, message)

    def ready(self, timeout: float = 5.0) -> None:
        """Start the subscriber thread if needed, and the first time wait (briefly) until
        it listens. With Redis down, later streams do not wait: the database check still
        brings them the round."""
        if self._started.is_set():
            return
        with self._lock:
            if self._started.is_set():
                return
            threading.Thread(target=self._run, name="live-redis", daemon=True).start()
            self._started.set()
        self._subscribed.wait(timeout)

    def _run(self) -> None:
        while True:
            try:
                pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(PREFIX + "*")
                self._subscribed.set()
                for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    channel = message["channel"].decode().removeprefix(PREFIX)
                    self.hub.deliver(channel, message["data"].decode())
            except Exception:
                log.exception("live: Redis subscription lost; subscribing again")
                self._subscribed.clear()
                time.sleep(1)


def redis_url(config: dict) -> str | None:
    url = config.get("LIVE_REDIS_URL")
    if url is None:
        storage = config.get("RATELIMIT_STORAGE_URI") or ""
        url = storage if storage.startswith(("redis://", "rediss://")) else ""
    return url or None


def init_app(app: Flask) -> None:
    url = redis_url(app.config)
    app.extensions["live_broker"] = RedisBroker(url) if url else LocalBroker()


def broker() -> LocalBroker | RedisBroker:
    return current_app.extensions["live_broker"]
