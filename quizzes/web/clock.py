"""The server clock: every view, service and command that needs "now" asks here.

Tests move time by setting app.config["QUIZDECK_NOW"] to a callable that returns an aware
UTC datetime; nothing else reads the wall clock (the domain takes `now` as an argument).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from models import utcnow


def now() -> datetime:
    clock = current_app.config.get("QUIZDECK_NOW") or utcnow
    return clock()
