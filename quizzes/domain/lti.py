"""LTI 1.3 decisions that need no web or database: who a launch makes someone here, which
keys /lti/jwks publishes, when a failed score is tried again, what a score message says,
and which origins may frame the app."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

CONTEXT_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTITUTION_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
SYSTEM_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/system/person#"
# Course roles that teach. Teaching assistants and content developers prepare the course too.
TEACHING = {"Instructor", "Administrator", "ContentDeveloper", "Mentor", "TeachingAssistant"}
TEACHING_SUB = ("Instructor#", "Administrator#", "ContentDeveloper#")

ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"

# How long a retired signing key stays in /lti/jwks: platforms cache a tool's JWKS, and a
# token signed a moment before the rotation must still verify.
KEY_GRACE = timedelta(days=2)
# Backoff for a score the LMS refused or did not answer: 1, 2, 4 ... minutes, at most 6 h.
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=6)
MAX_TRIES = 20


def _short_role(role: str) -> str:
    for prefix in (CONTEXT_ROLE, INSTITUTION_ROLE, SYSTEM_ROLE):
        if role.startswith(prefix):
            return role[len(prefix) :]
    # LTI 1.3 allows the short context-role names on their own ("Instructor").
    return role


def is_instructor(roles: Iterable[str]) -> bool:
    """True when one of the launch's context roles teaches; institution and system roles
    (an LMS-wide "Administrator") do not make someone this course's teacher."""
    for role in roles:
        if not isinstance(role, str):
            continue
        if role.startswith((INSTITUTION_ROLE, SYSTEM_ROLE)):
            continue
        short = _short_role(role)
        if short in TEACHING or short.startswith(TEACHING_SUB):
            return True
    return False


def is_learner(roles: Iterable[str]) -> bool:
    return any(
        isinstance(role, str)
        and not role.startswith((INSTITUTION_ROLE, SYSTEM_ROLE))
        and _short_role(role).split("#")[0] == "Learner"
        for role in roles
    )


def username_base(name: str | None, given: str | None, sub: str) -> str:
    """A readable start for a new account's username (this app's usernames are ASCII
    letters, digits, '_', '.', '-'); the caller adds a number when it is taken."""
    text = (name or given or "").strip()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    if not text:
        text = "lms-" + re.sub(r"[^A-Za-z0-9]", "", sub)[:12].lower()
    return text[:30] or "lms-user"


@dataclass(frozen=True)
class KeyRecord:
    kid: str
    public_jwk: dict[str, Any]
    created_at: datetime
    retired_at: datetime | None


def published_keys(keys: Sequence[KeyRecord], now: datetime) -> list[dict[str, Any]]:
    """The public keys /lti/jwks shows: every key in use, and retired ones in their grace."""
    return [
        {**key.public_jwk, "kid": key.kid, "alg": "RS256", "use": "sig"}
        for key in sorted(keys, key=lambda key: key.created_at, reverse=True)
        if key.retired_at is None or now - key.retired_at < KEY_GRACE
    ]


def signing_key(keys: Sequence[KeyRecord]) -> KeyRecord | None:
    """The newest key not retired: the one that signs."""
    live = [key for key in keys if key.retired_at is None]
    return max(live, key=lambda key: key.created_at) if live else None


def retry_delay(tries: int) -> timedelta:
    """The wait after the `tries`-th failed send (1-based)."""
    delay = FIRST_RETRY * (2 ** max(0, min(tries - 1, 16)))
    return min(delay, LAST_RETRY)


def score_message(
    user_sub: str, score: float, scored_at: datetime, started_at: datetime | None = None
) -> dict[str, Any]:
    """The AGS Score body: out of 100, fully graded, with the time the score was given,
    which the platform uses to ignore an older score arriving after a newer one."""
    given = round(max(0.0, min(1.0, score)) * 100, 2)
    message: dict[str, Any] = {
        "userId": user_sub,
        "scoreGiven": given,
        "scoreMaximum": 100,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": scored_at.isoformat(timespec="milliseconds"),
    }
    if started_at is not None:
        message["submission"] = {
            "startedAt": started_at.isoformat(timespec="milliseconds"),
            "submittedAt": scored_at.isoformat(timespec="milliseconds"),
        }
    return message


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of an http(s) URL, as CSP frame-ancestors wants it."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # an unreadable URL or port
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}"


def frame_ancestors(urls: Iterable[str]) -> str:
    """The CSP frame-ancestors value for these platforms' URLs, or 'none' when none."""
    origins = sorted({origin for url in urls if (origin := origin_of(url))})
    return " ".join(origins) if origins else "'none'"
