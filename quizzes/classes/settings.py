"""An assignment after it is given: its dates, limits and review options changed, its held
answers released, one student's later due date or extra time. Flushes, never commits;
`now` comes in. Attempts are never touched but to give an open one its extra time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from models import Assignment, Attempt, AttemptStatus, Extension, db
from models.attempts import FeedbackMode, LatePolicy
from quizzes.classes.assignments import is_enrolled, set_review_options
from quizzes.domain.assignments import GradePolicy, attempt_seconds
from quizzes.domain.review import ReviewOptions


class ExtensionRefused(Exception):
    """The extension does not fit the assignment; the message says why."""


@dataclass(frozen=True)
class AssignmentSettings:
    opens_at: datetime
    due_at: datetime | None
    attempt_limit: int | None
    time_limit_minutes: int | None
    feedback_mode: FeedbackMode
    review: ReviewOptions
    draw_count: int | None = None
    grade_method: GradePolicy = GradePolicy.BEST


def update_assignment(assignment: Assignment, settings: AssignmentSettings) -> None:
    """New dates, limits and review options. Attempts already started keep the time limit
    and answering mode they started with; every attempt stays."""
    assignment.opens_at = settings.opens_at
    assignment.due_at = settings.due_at
    assignment.attempt_limit = settings.attempt_limit
    assignment.time_limit_minutes = settings.time_limit_minutes
    assignment.feedback_mode = settings.feedback_mode
    assignment.draw_count = settings.draw_count
    assignment.grade_method = settings.grade_method
    set_review_options(assignment, settings.review)
    db.session.flush()


def release(assignment: Assignment, now: datetime) -> None:
    """What the review options keep "until I release them" shows from now on."""
    if assignment.released_at is None:
        assignment.released_at = now
        db.session.flush()


def give_extension(
    assignment: Assignment,
    student_id: int,
    *,
    due_at: datetime | None,
    extra_minutes: int | None,
    now: datetime,
) -> Extension:
    """Give (or change) one student's later due date and extra minutes. An attempt of theirs
    still open gets the extra time at once."""
    if not is_enrolled(student_id, assignment.class_id):
        raise ExtensionRefused("Choose a student of this class.")
    if due_at is not None:
        if assignment.due_at is None:
            raise ExtensionRefused(
                "This assignment has no due date, so there is none to extend: give it one "
                "first (Edit), or give extra time only."
            )
        if due_at <= assignment.due_at:
            raise ExtensionRefused("A later due date must come after the class's due date.")
    if extra_minutes and not assignment.time_limit_minutes:
        raise ExtensionRefused(
            "This assignment is untimed, so extra time adds nothing: give a time limit first "
            "(Edit), or give a later due date only."
        )
    extension = assignment.extension_for(student_id)
    if extension is None:
        extension = Extension(assignment=assignment, student_id=student_id)
        db.session.add(extension)
    extension.due_at = due_at
    extension.extra_minutes = extra_minutes or 0
    db.session.flush()
    _retime_open_attempts(assignment, student_id, now)
    return extension


def remove_extension(assignment: Assignment, student_id: int) -> bool:
    extension = assignment.extension_for(student_id)
    if extension is None:
        return False
    assignment.extensions.remove(extension)
    db.session.flush()
    return True


def _retime_open_attempts(assignment: Assignment, student_id: int, now: datetime) -> None:
    """A timed attempt the student has open now ends at its start plus their time limit
    (extra time included), or at their due date when that comes first; never earlier
    than it would have."""
    minutes = assignment.time_limit_for(student_id)
    if not minutes:
        return
    open_attempts = db.session.scalars(
        select(Attempt).where(
            Attempt.assignment_id == assignment.id,
            Attempt.user_id == student_id,
            Attempt.status == AttemptStatus.IN_PROGRESS,
            Attempt.deadline.is_not(None),
        )
    )
    due_at = assignment.due_for(student_id)
    for attempt in open_attempts:
        seconds = attempt_seconds(minutes, due_at, attempt.started_at) or 0
        deadline = attempt.started_at + timedelta(seconds=seconds)
        if deadline > attempt.deadline:
            attempt.deadline = deadline
            attempt.time_limit_seconds = seconds
            attempt.late_policy = LatePolicy.CLOSE
    db.session.flush()
