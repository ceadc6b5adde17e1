"""Rate limits beyond login: generous ceilings that stop scripts and runaway loops, not students.

Login and registration are limited per address in quizzes/auth/routes.py (AUTH_RATE_LIMIT).
The limits here count per account, because a whole class often shares one school address.
Apply them under the route decorator of every view that saves answers or imports files:

    @bp.post("/attempts/<int:attempt_id>/items/<int:position>")
    @login_required
    @answer_saves
    def save_answer(...): ...

All views wearing one decorator share one budget per account (a shared scope); only POSTs
count. The counting is Flask-Limiter's own: its storage (memory, or Redis for several
servers: RATELIMIT_STORAGE_URI), its strategy, RATELIMIT_ENABLED and
RATELIMIT_SWALLOW_ERRORS (a storage error lets the request through, logged, instead of
failing it, as Flask-Limiter does for login). What is left out is
Flask-Limiter's general pass around each view (exemption scopes, request contexts, the
limit string parsed again): about 150 µs of every answer save, an eighth of it
(bench/floors.py), for a check that needs one counter.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import RateLimitItem, parse_many

from quizzes.extensions import limiter
from quizzes.web.errors import render_error


def user_or_address() -> str:
    """The account when logged in, else the client address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{get_remote_address()}"


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> tuple[RateLimitItem, ...]:
    """ "120 per minute;1000 per day" as limit items, parsed once per text."""
    return tuple(parse_many(text))


def per_account(
    config_key: str, scope: str, key: Callable[[], str] = user_or_address
) -> Callable[[Callable], Callable]:
    """Limit the POSTs of the decorated views to app.config[config_key] (read at request
    time, so tests and deployments can change it) per account (or per `key()`), shared by
    every view of `scope`. Over the limit: the 429 page, with Retry-After, and the view
    does not run."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            if request.method == "POST" and limiter.enabled:
                try:
                    over = _first_over(current_app.config[config_key], scope, key())
                except Exception:
                    if not current_app.config.get("RATELIMIT_SWALLOW_ERRORS"):
                        raise
                    current_app.logger.exception("Rate limit %s not counted: storage error", scope)
                    over = None
                if over is not None:
                    return _too_many(over, scope, key())
            return view(*args, **kwargs)

        return limited

    return decorate


def _first_over(limits: str, scope: str, key: str) -> RateLimitItem | None:
    """Count this request against each limit; the first one it goes over, if any."""
    for item in _parsed(limits):
        if not limiter.limiter.hit(item, scope, key):
            return item
    return None


def _too_many(item: RateLimitItem, scope: str, key: str):
    reset_at = limiter.limiter.get_window_stats(item, scope, key).reset_time
    body, code = render_error(429)
    wait = max(1, math.ceil(reset_at - time.time()))
    return body, code, {"Retry-After": str(wait)}


# ANSWER_RATE_LIMIT: saving or checking an answer, quiz answers and flashcard reviews alike.
answer_saves = per_account("ANSWER_RATE_LIMIT", "answer-saves")
# IMPORT_RATE_LIMIT: uploading a file to import (question sets: GIFT, Aiken, CSV, Quizdeck JSON;
# flashcards: Anki packages and text files) and confirming the import.
imports = per_account("IMPORT_RATE_LIMIT", "imports")


def over_import_limit() -> bool:
    """Count one upload inside a view that is not all an upload (the item editor's image)
    against IMPORT_RATE_LIMIT, as @imports counts a whole view; True when it goes over."""
    if not limiter.enabled:
        return False
    return (
        _first_over(current_app.config["IMPORT_RATE_LIMIT"], "imports", user_or_address())
        is not None
    )


def shared_store_problem(app: Flask, workers: int) -> str | None:
    """Why the app's rate limits would not hold as configured across `workers` processes
    (a per-process store: each worker counts alone), or None when they do. gunicorn.conf.py
    refuses to start on it."""
    limiters = app.extensions.get("limiter") if isinstance(app, Flask) else None
    if not limiters or workers <= 1 or not app.config.get("RATELIMIT_ENABLED", True):
        return None
    store = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    if not store.startswith("memory://"):
        return None
    return (
        f"Quizdeck refuses to start {workers} workers with rate limits kept in memory "
        f"(RATELIMIT_STORAGE_URI={store}): each worker would count on its own, so every "
        f"limit (AUTH_RATE_LIMIT={app.config.get('AUTH_RATE_LIMIT')}, say) would allow "
        f"{workers} times as many. Set "
        "RATELIMIT_STORAGE_URI to a store the workers share, such as "
        "redis://127.0.0.1:6379/0, or run a single worker (-w 1)."
    )


def live_player() -> str:
    """A live session's player: the account, or the guest this browser joined as (a class
    of guests shares one school address, so the address would make them share a budget)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    players = session.get("live_players")
    session_id = str((request.view_args or {}).get("session_id"))
    if isinstance(players, dict) and isinstance(players.get(session_id), int):
        return f"live-player:{players[session_id]}"
    return f"address:{get_remote_address()}"


# LIVE_JOIN_RATE_LIMIT: joining a live session (typing its PIN), per account or address:
# a class joins together from one school address; guessing PINs stays slow.
live_joins = per_account("LIVE_JOIN_RATE_LIMIT", "live-joins")
# LIVE_ANSWER_RATE_LIMIT: live answers, per player (a guest counts on their own).
live_answers = per_account("LIVE_ANSWER_RATE_LIMIT", "live-answers", key=live_player)
