"""Time limits: pure arithmetic on the server's clock, which is the only authority."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

# A click at 0:01 reaches the server a moment later; this much is still on time.
GRACE = timedelta(seconds=10)


def deadline_for(started_at: datetime, time_limit_seconds: int | None) -> datetime | None:
    if not time_limit_seconds:
        return None
    return started_at + timedelta(seconds=time_limit_seconds)


def is_past(deadline: datetime | None, now: datetime) -> bool:
    """True once the deadline and its grace are over."""
    return deadline is not None and now > deadline + GRACE


def seconds_left(deadline: datetime | None, now: datetime) -> int | None:
    """Whole seconds until the deadline (0 once it has passed); None without a limit."""
    if deadline is None:
        return None
    return max(0, math.ceil((deadline - now).total_seconds()))


def format_duration(seconds: int) -> str:
    """1:05:09, 12:04 or 0:42: what a countdown shows."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
