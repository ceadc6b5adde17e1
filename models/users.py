"""Accounts."""

from __future__ import annotations

import enum
import hmac
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String, case
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from models import UTCDateTime, db, utcnow


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Role(enum.StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"
    ADMIN = "admin"
    # Signed up as a teacher where an administrator approves teachers (TEACHER_SIGNUP):
    # a learner's pages until then (quizzes/auth/signup.py).
    PENDING_TEACHER = "pending_teacher"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # Sessions and "remember me" cookies name the account by id: an id must never be handed
    # out again after an account is deleted (SQLite reuses the highest rowid by default;
    # PostgreSQL sequences never go back).
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    # What teachers and classmates see ("Ana Kim"); the username stays the sign-in name.
    display_name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of the id that sessions and "remember me" cookies carry: a new token on logout
    # ends every session of the account, including copies of its cookies.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: new_session_token())

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def holds_session(self, token: str) -> bool:
        return hmac.compare_digest(self.session_token.encode(), token.encode())

    def end_sessions(self) -> None:
        """Sign out everywhere: every cookie naming the old token stops working."""
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        # Werkzeug's default is scrypt.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def has_password(self) -> bool:
        """False for an account an LMS launch made (quizzes/lti): it signs in through the
        LMS until its owner sets a password (/lti/password)."""
        return bool(self.password_hash)

    @property
    def is_teacher(self) -> bool:
        return self.role in (Role.TEACHER, Role.ADMIN)

    @property
    def awaits_approval(self) -> bool:
        return self.role is Role.PENDING_TEACHER

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def shown_name(self) -> str:
        """The display name where one is set, else the username."""
        return self.display_name or self.username

    @hybrid_property
    def full_label(self) -> str:
        """For teachers' lists: "Ana Kim (ana.k)", or the username alone (also in SQL,
        for the lists that select names: gradebook, queue, CSVs, regrade)."""
        return f"{self.display_name} ({self.username})" if self.display_name else self.username

    @full_label.inplace.expression
    @classmethod
    def _full_label_sql(cls):  # type: ignore[no-untyped-def]
        return case(
            (cls.display_name != "", cls.display_name + " (" + cls.username + ")"),
            else_=cls.username,
        )

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role.value})>"


class ResetCode(db.Model):
    """A one-time code that lets its user set a new password (quizzes/auth/reset.py).

    Given by a teacher to a class member, by an administrator or by `flask users reset`:
    no mail server is needed. Only a hash is kept; a newer code replaces older ones."""

    __tablename__ = "reset_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Who made it (None: the command line, or an account deleted since).
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
