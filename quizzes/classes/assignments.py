"""Assignments between the ORM and the domain: give a set to a class, remove it, list a
student's work, start an attempt (the gradebook and item analysis: classes/reports.py).
Flushes, never commits; `now` comes in."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select, update

from models import (
    Assignment,
    Attempt,
    AttemptStatus,
    Enrollment,
    Item,
    QuestionSet,
    SchoolClass,
    SetStatus,
    User,
    db,
)
from models.attempts import FeedbackMode, LatePolicy
from quizzes.domain.assignments import (
    AttemptResult,
    Availability,
    GradePolicy,
    attempt_seconds,
    availability,
    counted_score,
    draw_seed,
    start_refusal,
    told_apart,
)
from quizzes.domain.review import SELF_STUDY, ReviewOptions
from quizzes.quiz import answers as quiz_answers
from quizzes.quiz import presentation
from quizzes.quiz import services as quiz_services


class StartRefused(Exception):
    """The student may not start an attempt now; the message says why."""


def assignable_sets(teacher: User) -> list[QuestionSet]:
    """The teacher's published sets that have items."""
    has_items = (
        select(Item.id).where(Item.set_id == QuestionSet.id, Item.retired_at.is_(None)).exists()
    )
    return list(
        db.session.scalars(
            select(QuestionSet)
            .where(
                QuestionSet.owner_id == teacher.id,
                QuestionSet.status == SetStatus.PUBLISHED,
                has_items,
            )
            .order_by(QuestionSet.title)
        )
    )


def create_assignment(
    school_class: SchoolClass,
    question_set: QuestionSet,
    *,
    opens_at: datetime,
    due_at: datetime | None,
    attempt_limit: int | None,
    time_limit_minutes: int | None,
    feedback_mode: FeedbackMode,
    review: ReviewOptions = SELF_STUDY,
    draw_count: int | None = None,
    grade_method: GradePolicy = GradePolicy.BEST,
) -> Assignment:
    assignment = Assignment(
        class_id=school_class.id,
        set_id=question_set.id,
        opens_at=opens_at,
        due_at=due_at,
        attempt_limit=attempt_limit,
        time_limit_minutes=time_limit_minutes,
        feedback_mode=feedback_mode,
        draw_count=draw_count,
        grade_method=grade_method,
    )
    set_review_options(assignment, review)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def set_review_options(assignment: Assignment, review: ReviewOptions) -> None:
    assignment.review_score = review.score
    assignment.review_answers = review.answers
    assignment.review_explanations = review.explanations
    assignment.review_feedback = review.feedback


@dataclass(frozen=True)
class RemovalImpact:
    """Whose work removing an assignment touches, counted in students (one student can be
    in both counts: submitted once, and now on another attempt)."""

    in_progress: int  # students with an attempt started and not submitted
    submitted: int  # students who submitted at least one attempt


def removal_impact(assignment: Assignment) -> RemovalImpact:
    counts = dict(
        db.session.execute(
            select(Attempt.status, func.count(func.distinct(Attempt.user_id)))
            .where(Attempt.assignment_id == assignment.id)
            .group_by(Attempt.status)
        ).all()
    )
    return RemovalImpact(
        in_progress=counts.get(AttemptStatus.IN_PROGRESS, 0),
        submitted=counts.get(AttemptStatus.SUBMITTED, 0),
    )


def remove_assignment(assignment: Assignment, now: datetime) -> int:
    """Remove the assignment, and say how many open attempts of it were submitted.

    An attempt still open is submitted now, as it stands, as a time limit would close it:
    saved answers are graded, unanswered questions score nothing. Otherwise it would carry
    on as practice that nobody asked for, and a student with it open would lose nothing
    but never learn why it left their classes. Every attempt of the assignment keeps the
    moment of its removal, so the student's pages can say what happened; the link itself
    is cleared by the foreign key (ON DELETE SET NULL).
    """
    still_open = db.session.scalars(
        select(Attempt).where(
            Attempt.assignment_id == assignment.id,
            Attempt.status == AttemptStatus.IN_PROGRESS,
        )
    ).all()
    # One by one, each a conditional UPDATE: a student submitting at this moment wins or
    # loses cleanly, and nothing is graded twice.
    ended = sum(quiz_answers.submit(attempt, now) for attempt in still_open)
    db.session.execute(
        update(Attempt)
        .where(Attempt.assignment_id == assignment.id)
        .values(assignment_removed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.delete(assignment)
    db.session.flush()
    return ended


def assignments_of_set(question_set: QuestionSet) -> list[Assignment]:
    return list(db.session.scalars(select(Assignment).where(Assignment.set_id == question_set.id)))


def attempts_started(assignment: Assignment, student_id: int) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.assignment_id == assignment.id, Attempt.user_id == student_id)
            .order_by(Attempt.started_at)
        )
    )


def is_enrolled(student_id: int, class_id: int) -> bool:
    return (
        db.session.scalar(
            select(Enrollment.id).where(
                Enrollment.class_id == class_id, Enrollment.student_id == student_id
            )
        )
        is not None
    )


# -- the student's side -------------------------------------------------------------------------


@dataclass(frozen=True)
class StudentAssignment:
    assignment: Assignment
    state: Availability
    attempts: int
    best: float | None
    open_attempt_id: int | None  # an attempt in progress, to resume
    refusal: str | None  # why "Start" is not offered
    title: str = ""  # the set's title, numbered as in the gradebook when assigned twice
    due_at: datetime | None = None  # the student's due date (an extension's when given)
    time_limit_minutes: int | None = None  # the student's time limit, extra time included
    score_shown: bool = True  # False while the review options hold the score back
    counted: float | None = None  # the score that counts, by the assignment's method
    submitted: bool = False  # an attempt was handed in, marked or not
    # A handed-in attempt waits for a teacher's mark (an essay); told only when the score
    # shows, since the wait tells of the score.
    awaiting_grading: bool = False

    @property
    def can_start(self) -> bool:
        return self.refusal is None and self.open_attempt_id is None

    @property
    def to_do(self) -> bool:
        """Open and not handed in yet, or an attempt in progress. A handed-in attempt is done
        for the student even while its score waits for a teacher's mark."""
        if self.state is not Availability.OPEN:
            return False
        return self.open_attempt_id is not None or (not self.submitted and self.can_start)


def student_assignments(student: User, now: datetime) -> list[StudentAssignment]:
    """Every assignment of the student's classes, due soonest first, undated last."""
    assignments = db.session.scalars(
        select(Assignment)
        .join(Enrollment, Enrollment.class_id == Assignment.class_id)
        .where(Enrollment.student_id == student.id)
    ).all()
    titles = class_titles(assignments)
    shown = []
    for assignment in assignments:
        attempts = attempts_started(assignment, student.id)
        scores = [
            a.score for a in attempts if a.status is AttemptStatus.SUBMITTED and a.score is not None
        ]
        open_attempt = next((a for a in attempts if a.status is AttemptStatus.IN_PROGRESS), None)
        due_at = assignment.due_for(student.id)
        handed_in = [a for a in attempts if a.status is AttemptStatus.SUBMITTED]
        submitted = handed_in[0] if handed_in else None
        counted, _ = counted_score(
            [
                AttemptResult(student.id, assignment.id, a.started_at, a.submitted_at, a.score)
                for a in attempts
                if a.status is AttemptStatus.SUBMITTED
            ],
            assignment.grade_method,
            due_at,
        )
        score_shown = submitted is None or presentation.score_shown(
            submitted, presentation.review_moment(submitted, now)
        )
        shown.append(
            StudentAssignment(
                assignment=assignment,
                state=availability(assignment.opens_at, due_at, now),
                attempts=len(attempts),
                best=max(scores) if scores else None,
                open_attempt_id=open_attempt.id if open_attempt else None,
                refusal=start_refusal(
                    assignment.opens_at,
                    due_at,
                    assignment.attempt_limit,
                    len(attempts),
                    now,
                ),
                title=titles[assignment.id],
                due_at=due_at,
                time_limit_minutes=assignment.time_limit_for(student.id),
                score_shown=score_shown,
                counted=counted,
                submitted=submitted is not None,
                awaiting_grading=score_shown and any(a.score is None for a in handed_in),
            )
        )
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(shown, key=lambda s: (s.due_at or far, s.assignment.id))


def class_titles(assignments: Sequence[Assignment]) -> dict[int, str]:
    """Each assignment's title as the gradebook shows it: a set assigned twice to one class
    is "Week 1 (1)" and "Week 1 (2)", by opening time, so a student can tell them apart."""
    by_class: dict[int, list[Assignment]] = {}
    for assignment in sorted(assignments, key=lambda a: (a.opens_at, a.id)):
        by_class.setdefault(assignment.class_id, []).append(assignment)
    titles = {}
    for listed in by_class.values():
        told = told_apart([a.question_set.title for a in listed])
        titles.update((a.id, title) for a, title in zip(listed, told, strict=True))
    return titles


def due_for_home(student: User, now: datetime) -> list[StudentAssignment]:
    """What the home page lists: open assignments to do (not yet submitted, or in progress),
    and open ones handed in whose score waits for a teacher's mark, shown as such."""
    return [
        s
        for s in student_assignments(student, now)
        if s.to_do or (s.state is Availability.OPEN and s.awaiting_grading)
    ]


def start(student: User, assignment: Assignment, now: datetime, rng: random.Random) -> Attempt:
    """A new attempt on the whole set, or the one already in progress."""
    if not is_enrolled(student.id, assignment.class_id):
        raise LookupError("not in this class")
    attempts = attempts_started(assignment, student.id)
    open_attempt = next((a for a in attempts if a.status is AttemptStatus.IN_PROGRESS), None)
    if open_attempt is not None:
        return open_attempt
    due_at = assignment.due_for(student.id)
    refusal = start_refusal(
        assignment.opens_at, due_at, assignment.attempt_limit, len(attempts), now
    )
    if refusal:
        raise StartRefused(refusal)
    size = db.session.scalar(
        select(func.count(Item.id)).where(
            Item.set_id == assignment.set_id, Item.retired_at.is_(None)
        )
    )
    timed = attempt_seconds(assignment.time_limit_for(student.id), due_at, now)
    if assignment.draw_count:
        # k of n: drawn with a seed of this student's nth attempt, so two starts at once
        # draw alike; the attempt keeps the items drawn, for resume and review.
        size = min(size or 1, assignment.draw_count)
        rng = random.Random(
            draw_seed(
                current_app.config["SECRET_KEY"],
                _start_token(assignment, 0),
                student.id,
                len(attempts) + 1,
            )
        )
    settings = quiz_services.QuizSettings(
        size=min(size or 1, quiz_services.MAX_SIZE),
        feedback_mode=assignment.feedback_mode,
        time_limit_seconds=timed,
        late_policy=LatePolicy.CLOSE if timed else LatePolicy.MARK,
    )
    try:
        return quiz_services.assemble(
            student.id,
            settings=settings,
            now=now,
            rng=rng,
            set_id=assignment.set_id,
            assignment_id=assignment.id,
            start_token=_start_token(assignment, len(attempts) + 1),
        )
    except quiz_services.NoItemsError:
        raise StartRefused("This set has no questions yet. Tell your teacher.") from None


def _start_token(assignment: Assignment, nth: int) -> str:
    """The student's nth attempt of this assignment: two presses of Start at once (a double
    click, two tabs) make one attempt, never one past the limit. The creation time tells
    the assignment apart from a removed one whose id SQLite gave it: the removed one's
    attempts keep their tokens, and Start would find those instead of starting afresh."""
    created = int(assignment.created_at.timestamp() * 1_000_000)
    return f"assignment:{assignment.id}:{created}:{nth}"


def class_assignment_rows(school_class: SchoolClass) -> list[tuple[Assignment, int]]:
    """The class's assignments with how many students submitted at least once."""
    rows = []
    for assignment in school_class.assignments:
        submitted = db.session.scalar(
            select(func.count(func.distinct(Attempt.user_id))).where(
                Attempt.assignment_id == assignment.id,
                Attempt.status == AttemptStatus.SUBMITTED,
            )
        )
        rows.append((assignment, submitted or 0))
    return rows
