"""Configuration: defaults, then instance/config.py, then the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from quizzes.domain import limits


def instance_secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def database_uri() -> str:
    url = os.environ.get("DATABASE_URL", "sqlite:///quizdeck.sqlite")
    # Hosted PostgreSQL often hands out postgres://; SQLAlchemy wants a driver name.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def engine_options(uri: str) -> dict:
    """A ping before each checkout finds server connections that died (PostgreSQL after a
    restart); a SQLite file has none to lose, so its requests skip the extra statement."""
    return {"pool_pre_ping": not uri.startswith("sqlite")}


def defaults(instance_path: str) -> dict:
    return {
        "SECRET_KEY": instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_uri(),
        "MAX_CONTENT_LENGTH": limits.UPLOAD_BYTES,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Said for every app: Flask-Limiter's default is its one shared instance's last
        # setting, so an app made after one with limits off would start with them off too.
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "AUTH_RATE_LIMIT": os.environ.get("AUTH_RATE_LIMIT", "10 per minute"),
        # Per address: a class of 30 behind one school address signs up in one lesson
        # (typos included); a script still gets no more than this a day.
        "REGISTER_RATE_LIMIT": os.environ.get(
            "REGISTER_RATE_LIMIT", "60 per 10 minutes;300 per day"
        ),
        "LOGIN_ADDRESS_RATE_LIMIT": os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "120 per minute"),
        # Join codes: tries per account (a typo or two), and per address for a whole class.
        "JOIN_RATE_LIMIT": os.environ.get("JOIN_RATE_LIMIT", "10 per minute"),
        "JOIN_ADDRESS_RATE_LIMIT": os.environ.get("JOIN_ADDRESS_RATE_LIMIT", "120 per minute"),
        # Per account (quizzes/web/ratelimits.py): far above what a person clicks, below a loop.
        "ANSWER_RATE_LIMIT": os.environ.get("ANSWER_RATE_LIMIT", "120 per minute"),
        "IMPORT_RATE_LIMIT": os.environ.get("IMPORT_RATE_LIMIT", "60 per hour"),
        "PASSWORD_MIN_LENGTH": 10,
        # Who becomes a teacher by signing up: "approval" by an administrator (default),
        # "invitation" with a code an administrator made, or "open" (quizzes/auth/signup.py).
        "TEACHER_SIGNUP": os.environ.get("TEACHER_SIGNUP", "approval"),
        "TEACHER_INVITATION_DAYS": int(os.environ.get("TEACHER_INVITATION_DAYS", "14")),
        # How long a password reset code (quizzes/auth/reset.py) works once given.
        "RESET_CODE_HOURS": int(os.environ.get("RESET_CODE_HOURS", "72")),
        # Live sessions (quizzes/live): joins per address or account, answers per player.
        "LIVE_JOIN_RATE_LIMIT": os.environ.get(
            "LIVE_JOIN_RATE_LIMIT", "60 per minute;600 per hour"
        ),
        "LIVE_ANSWER_RATE_LIMIT": os.environ.get("LIVE_ANSWER_RATE_LIMIT", "60 per minute"),
        # Redis for live pushes between app processes: unset = the Redis of
        # RATELIMIT_STORAGE_URI, if any; "" = none (one process runs a session).
        "LIVE_REDIS_URL": os.environ.get("LIVE_REDIS_URL"),
        # A quiet event stream checks the database this often (unset: 2 s on one process,
        # 10 s with Redis, which delivers the pushes); streams end (and the browser
        # reconnects) after LIVE_STREAM_SECONDS, so no server thread waits forever.
        "LIVE_POLL_SECONDS": float(os.environ.get("LIVE_POLL_SECONDS", "0")) or None,
        "LIVE_STREAM_SECONDS": float(os.environ.get("LIVE_STREAM_SECONDS", "55")),
    }
