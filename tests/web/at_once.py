"""Requests sent at the same moment: threads on one app, released together."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from flask import Flask
from flask.testing import FlaskClient

T = TypeVar("T")


def at_once(app: Flask, cookie: str | None, send: Callable[[FlaskClient], T], times: int = 2):
    """Run `send` with `times` clients (each holding the session `cookie`) in threads that
    start together; returns what each returned, in the order they finished."""
    start = threading.Barrier(times)
    results: list[T] = []
    errors: list[BaseException] = []

    def press() -> None:
        client = app.test_client()
        if cookie:
            client.set_cookie("session", cookie)
        start.wait()
        try:
            results.append(send(client))
        except BaseException as error:  # noqa: BLE001 (re-raised in the test's thread)
            errors.append(error)

    threads = [threading.Thread(target=press) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    return results
