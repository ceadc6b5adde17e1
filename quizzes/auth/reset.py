"""One-time password reset codes: a teacher gives one to a member of their class, an
administrator to anyone, `flask users reset NAME` prints one. No mail server is needed.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown in
groups of four; only its SHA-256 is stored (it is random enough that a plain hash is not
guessable), it expires after RESET_CODE_HOURS, works once, and a newer code for the same
account replaces the older ones.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import MutableMapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, select

from models import Enrollment, ResetCode, Role, SchoolClass, User, db

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# Where the page that made a code leaves it for the page that shows it, once.
SHOWN_ONCE_KEY = "reset_code_to_show"
CODE_LENGTH = 12


def _normalised(code: str) -> str:
    """What a person typed, as the code was made: dashes, spaces and case do not matter."""
    return "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())[:64]


def _hash(code: str) -> str:
    return hashlib.sha256(_normalised(code).encode()).hexdigest()


def may_give_code(giver: User, user: User) -> bool:
    """Administrators for anyone else; teachers for students in a class they teach.

    Never for oneself (the account page changes one's own password) and never a teacher
    for another teacher or an administrator: a code is a way into the account."""
    if giver.id == user.id:
        return False
    if giver.is_admin:
        return True
    if not giver.is_teacher or user.role is not Role.STUDENT:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Enrollment.student_id == user.id,
                    Enrollment.class_id == SchoolClass.id,
                    SchoolClass.teacher_id == giver.id,
                )
            )
        )
    )


def give_code(user: User, made_by: User | None, now: datetime, hours: int) -> str:
    """A new code for `user` (older unused ones stop working). The caller commits."""
    db.session.execute(delete(ResetCode).where(ResetCode.user_id == user.id))
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    db.session.add(
        ResetCode(
            user_id=user.id,
            code_hash=_hash(code),
            made_by_id=made_by.id if made_by else None,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def redeem(username: str, code: str, new_password: str, now: datetime) -> User | None:
    """Set the new password if `code` is a current code of the account called `username`.

    Returns the user, or None (which of name, code or expiry was wrong is not told: that
    would help guessing). Every session of the account ends. The caller commits."""
    if len(_normalised(code)) != CODE_LENGTH:
        return None
    user = db.session.scalar(select(User).where(db.func.lower(User.username) == username.lower()))
    if user is None:
        return None
    row = db.session.scalar(
        select(ResetCode).where(
            ResetCode.user_id == user.id,
            ResetCode.code_hash == _hash(code),
            ResetCode.used_at.is_(None),
        )
    )
    if row is None or row.expires_at <= now:
        return None
    row.used_at = now
    user.set_password(new_password)
    user.end_sessions()
    return user


def take_shown_code(session: MutableMapping[str, Any], user_id: int) -> str | None:
    """The code just made for `user_id`, taken out of the session: shown once only."""
    shown = session.get(SHOWN_ONCE_KEY)
    if not isinstance(shown, dict) or shown.get("user_id") != user_id:
        return None
    session.pop(SHOWN_ONCE_KEY, None)
    return shown.get("code")
