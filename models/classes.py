"""Classes a teacher runs, and the students enrolled in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models import UTCDateTime, db, utcnow
from models.attempts import Attempt, FeedbackMode
from quizzes.domain.assignments import GradePolicy
from quizzes.domain.review import (
    SELF_STUDY,
    ReviewMoment,
    ReviewOptions,
    ReviewTiming,
    last_due_date,
    reveal,
)


def _review_timing() -> Mapped[ReviewTiming]:
    # The server default keeps what assignments made before the options showed.
    return mapped_column(
        Enum(
            ReviewTiming,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=ReviewTiming.ANSWERED,
        server_default=ReviewTiming.ANSWERED.value,
    )


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
    # k of the set's n items drawn per student and attempt (seeded); None: every item.
    draw_count: Mapped[int | None] = mapped_column(Integer)
    # Which attempt counts (Moodle's "Grading method"); best is what the gradebook showed.
    grade_method: Mapped[GradePolicy] = mapped_column(
        Enum(
            GradePolicy,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=GradePolicy.BEST,
        server_default=GradePolicy.BEST.value,
    )
    feedback_mode: Mapped[FeedbackMode] = mapped_column(
        Enum(
            FeedbackMode,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Review options (quizzes/domain/review.py): when students see each category.
    review_score: Mapped[ReviewTiming] = _review_timing()
    review_answers: Mapped[ReviewTiming] = _review_timing()
    review_explanations: Mapped[ReviewTiming] = _review_timing()
    review_feedback: Mapped[ReviewTiming] = _review_timing()
    # When the teacher pressed "Release now" (what waits for a release shows from then).
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    school_class: Mapped[SchoolClass] = relationship(back_populates="assignments")
    question_set = relationship("QuestionSet")
    extensions: Mapped[list[Extension]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", order_by="Extension.id"
    )

    @property
    def review_options(self) -> ReviewOptions:
        return ReviewOptions(
            score=self.review_score,
            answers=self.review_answers,
            explanations=self.review_explanations,
            feedback=self.review_feedback,
        )

    def extension_for(self, student_id: int) -> Extension | None:
        return next((e for e in self.extensions if e.student_id == student_id), None)

    def due_for(self, student_id: int) -> datetime | None:
        """The due date that applies to this student: theirs when extended."""
        extension = self.extension_for(student_id)
        if extension is not None and extension.due_at is not None and self.due_at is not None:
            return max(extension.due_at, self.due_at)  # a class date moved later still counts
        return self.due_at

    def time_limit_for(self, student_id: int) -> int | None:
        """The time limit in minutes for this student, their extra time included."""
        if not self.time_limit_minutes:
            return None
        extension = self.extension_for(student_id)
        return self.time_limit_minutes + (extension.extra_minutes if extension else 0)


class Extension(db.Model):
    """One student's later due date and/or extra time on one assignment."""

    __tablename__ = "assignment_extensions"
    __table_args__ = (
        UniqueConstraint("assignment_id", "student_id", name="uq_extensions_assignment_student"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: the assignment's
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="extensions")
    student = relationship("User")


def review_moment(attempt: Attempt, now: datetime) -> ReviewMoment:
    """What the review options of the attempt's assignment depend on, now. An attempt
    without an assignment (self-study, or one whose assignment was removed) shows
    everything once graded, as quizzes always did. The decision itself:
    quizzes.quiz.presentation.may_reveal."""
    assignment = (
        db.session.get(Assignment, attempt.assignment_id)
        if attempt.assignment_id is not None
        else None
    )
    if assignment is None:
        return ReviewMoment(SELF_STUDY, attempt.is_submitted, now, None, None)
    return ReviewMoment(
        options=assignment.review_options,
        submitted=attempt.is_submitted,
        now=now,
        last_due=last_due_date(assignment.due_at, (e.due_at for e in assignment.extensions)),
        released_at=assignment.released_at,
    )


def score_shown(attempt: Attempt, moment: ReviewMoment) -> bool:
    """Whether the attempt's overall score may be shown (it is graded once submitted)."""
    return attempt.is_submitted and reveal(moment, graded=True).score
