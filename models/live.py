"""Live class sessions: a teacher's round, its questions, its players and their answers.

The database holds the whole state of a round, so a teacher's reload, a phone's reconnect
or a second app process all read the same question and the answers already given.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import UTCDateTime, db, utcnow


class LiveSession(db.Model):
    __tablename__ = "live_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Players type it to join while the session runs; cleared when it ends, so it is reused.
    pin: Mapped[str | None] = mapped_column(String(12), unique=True)
    set_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_sets.id", ondelete="SET NULL"), index=True
    )
    # The class whose memory chose the questions and whose gradebook may keep the round.
    class_id: Mapped[int | None] = mapped_column(
        ForeignKey("school_classes.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    seconds_per_question: Mapped[int] = mapped_column(Integer)
    show_leaderboard: Mapped[bool] = mapped_column(Boolean, default=False)
    keep_in_gradebook: Mapped[bool] = mapped_column(Boolean, default=False)
    # quizzes.domain.live.rounds.Round, stored: phase, position, deadline, time left.
    phase: Mapped[str] = mapped_column(String(16), default="lobby")
    position: Mapped[int] = mapped_column(Integer, default=-1)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_ms: Mapped[int | None] = mapped_column(Integer)
    # Raised by every change players must see; a stream that missed a push catches up by it.
    version: Mapped[int] = mapped_column(Integer, default=0)
    seed: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The gradebook entry the round became (when kept), so the report can link to it.
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )

    questions: Mapped[list[LiveQuestion]] = relationship(
        back_populates="session", order_by="LiveQuestion.position", cascade="all, delete-orphan"
    )
    players: Mapped[list[LivePlayer]] = relationship(
        back_populates="session", order_by="LivePlayer.id", cascade="all, delete-orphan"
    )


class LiveQuestion(db.Model):
    __tablename__ = "live_questions"
    __table_args__ = (
        UniqueConstraint("session_id", "position", name="uq_live_questions_session_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 0-based
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))
    # As quiz attempts keep it (quizzes/quiz/services.snapshot_of): "key" stays on the
    # server until the question closes.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[LiveSession] = relationship(back_populates="questions")


class LivePlayer(db.Model):
    __tablename__ = "live_players"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id", name="uq_live_players_session_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    # A signed-in student (their answers count); None for a guest.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    nickname: Mapped[str] = mapped_column(String(40))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)

    session: Mapped[LiveSession] = relationship(back_populates="players")


class LiveAnswer(db.Model):
    __tablename__ = "live_answers"
    __table_args__ = (
        UniqueConstraint("question_id", "player_id", name="uq_live_answers_question_player"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("live_questions.id", ondelete="CASCADE"), index=True
    )
    player_id: Mapped[int] = mapped_column(
        ForeignKey("live_players.id", ondelete="CASCADE"), index=True
    )
    response: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    correct: Mapped[bool] = mapped_column(Boolean)
    typo_forgiven: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    elapsed_ms: Mapped[int] = mapped_column(Integer)  # from the question's opening
