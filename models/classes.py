"""Classes a teacher runs, and the students enrolled in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import UTCDateTime, db, utcnow
from models.attempts import FeedbackMode


class SchoolClass(db.Model):
    __tablename__ = "school_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Students type it to join: quizzes.domain.joincodes alphabet, stored without separators.
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    teacher = relationship("User")
    enrollments: Mapped[list[Enrollment]] = relationship(
        back_populates="school_class", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="school_class",
        cascade="all, delete-orphan",
        order_by="Assignment.opens_at.desc()",
    )


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("class_id", "student_id", name="uq_enrollments_class_student"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("school_classes.id", ondelete="CASCADE"), index=True
    )
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    school_class: Mapped[SchoolClass] = relationship(back_populates="enrollments")
    student = relationship("User")


class Assignment(db.Model):
    """A question set given to a class: when it opens and is due, and how it is taken.

    Attempts point back with Attempt.assignment_id (models/attempts.py).
    """

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("school_classes.id", ondelete="CASCADE"), index=True
    )
    set_id: Mapped[int] = mapped_column(
        ForeignKey("question_sets.id", ondelete="CASCADE"), index=True
    )
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempt_limit: Mapped[int | None] = mapped_column(Integer)  # None: as many as wanted
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)  # None: untimed
    feedback_mode: Mapped[FeedbackMode] = mapped_column(
        Enum(
            FeedbackMode,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    school_class: Mapped[SchoolClass] = relationship(back_populates="assignments")
    question_set = relationship("QuestionSet")
