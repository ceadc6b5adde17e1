"""Forms that create something count once (quizzes/web/once.py keeps the tokens)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models import UTCDateTime, db, utcnow


class FormSubmission(db.Model):
    """The one-time token of a creation form that was sent, and the page of what it made:
    the same form sent again (a double click, a retried request) is shown that page."""

    __tablename__ = "form_submissions"
    __table_args__ = (UniqueConstraint("user_id", "token", name="uq_form_submissions_user_token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64))
    result_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
