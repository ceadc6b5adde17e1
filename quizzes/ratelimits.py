"""Rate limits beyond login: generous ceilings that stop scripts and runaway loops, not students.

Login and registration are limited per address in quizzes/auth/routes.py (AUTH_RATE_LIMIT).
The limits here count per account, because a whole class often shares one school address.
Apply them under the route decorator of every view that saves answers or imports files:

    @bp.post("/attempts/<int:attempt_id>/items/<int:position>")
    @login_required
    @answer_saves
    def save_answer(...): ...

All views wearing one decorator share one budget per account (a shared scope).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from quizzes.extensions import limiter


def user_or_address() -> str:
    """The account when logged in, else the client address."""
    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return f"address:{get_remote_address()}"


def configured(key: str) -> Callable[[], str]:
    """Read the limit from the config at request time, so tests and deployments can change it."""
    return lambda: current_app.config[key]


# ANSWER_RATE_LIMIT: saving or checking an answer, quiz answers and flashcard reviews alike.
answer_saves = limiter.shared_limit(
    configured("ANSWER_RATE_LIMIT"),
    scope="answer-saves",
    key_func=user_or_address,
    methods=["POST"],
)
# IMPORT_RATE_LIMIT: uploading a file to import (GIFT, Aiken, CSV, Quizdeck JSON).
imports = limiter.shared_limit(
    configured("IMPORT_RATE_LIMIT"), scope="imports", key_func=user_or_address, methods=["POST"]
)
