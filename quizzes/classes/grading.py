"""A student's attempt as the class's teacher reads and marks it: every answer with the
key, per-option feedback, explanation and time, the marks set by hand and the trail of
every change; and the per-question marks of an assignment. Flushes, never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from models import (
    Assignment,
    Attempt,
    AttemptItem,
    AttemptStatus,
    Enrollment,
    Item,
    MarkChange,
    MarkReason,
    User,
    db,
)
from quizzes.domain.assignments import AttemptResult, GradePolicy, counted_attempt
from quizzes.domain.itemtypes import REGISTRY, Grade, listed_prompt
from quizzes.domain.marking import QuestionColumn, StudentMarks, max_points
from quizzes.quiz import presentation
from quizzes.quiz.regrade import marked_by_hand, rescore_item

MAX_COMMENT_CHARS = 2000


@dataclass(frozen=True)
class MarkedAnswer:
    """One answer of an attempt on the teacher's page."""

    attempt_item_id: int
    shown: presentation.ShownItem  # always with feedback: the teacher sees the key
    graded: bool  # False: not graded yet (an attempt in progress, an essay to mark)
    score: float | None
    max_points: float
    seconds_in: int | None  # when the answer was last saved, counted from the start
    option_feedback: tuple[tuple[str, str], ...]  # (option, feedback written for it)
    by_hand: bool  # the mark that stands was set by a teacher
    awaiting: bool  # only a teacher can mark it, and none has yet
    comment: str  # the newest manual mark's comment, what the student reads
    history: tuple[MarkChange, ...]  # every change of this answer's mark, oldest first


def _option_feedback(snapshot: dict) -> tuple[tuple[str, str], ...]:
    """Feedback written per option (choice types keep it per shown option in the key)."""
    options = snapshot.get("view", {}).get("options")
    why = snapshot.get("key", {}).get("why")
    if not isinstance(options, list) or not isinstance(why, list) or len(why) != len(options):
        return ()
    return tuple((str(option), text) for option, text in zip(options, why, strict=True) if text)


def _changes(attempt: Attempt) -> dict[int, list[MarkChange]]:
    found: dict[int, list[MarkChange]] = {}
    for change in db.session.scalars(
        select(MarkChange)
        .where(MarkChange.attempt_id == attempt.id)
        .order_by(MarkChange.changed_at, MarkChange.id)
    ):
        found.setdefault(change.attempt_item_id, []).append(change)
    return found


def marked_answers(attempt: Attempt) -> list[MarkedAnswer]:
    changes = _changes(attempt)
    answers = []
    for item in attempt.items:
        history = changes.get(item.id, [])
        manual = [change for change in history if change.reason is MarkReason.MANUAL]
        grade = Grade(
            score=item.score or 0.0,
            correct=bool(item.correct),
            typo_forgiven=item.typo_forgiven,
            notes=tuple(item.notes or []),
        )
        seconds = None
        if item.answered_at is not None:
            seconds = max(0, round((item.answered_at - attempt.started_at).total_seconds()))
        answers.append(
            MarkedAnswer(
                attempt_item_id=item.id,
                shown=presentation.shown_item(item.position, item.snapshot, item.response, grade),
                graded=item.graded,
                score=item.score,
                max_points=max_points(item.snapshot),
                seconds_in=seconds,
                option_feedback=_option_feedback(item.snapshot),
                by_hand=bool(manual),
                awaiting=attempt.is_submitted
                and awaiting_mark(item, {item.id} if manual else set()),
                comment=manual[-1].comment if manual else "",
                history=tuple(history),
            )
        )
    return answers


def awaiting_mark(item: AttemptItem, marked: set[int]) -> bool:
    """Whether a submitted answer waits for a teacher: its type says only a person marks
    it (an essay with something written) and no one has, or it was never graded."""
    if item.id in marked:
        return False
    if item.score is None and not item.graded:
        return True
    needs = getattr(REGISTRY.get(item.item_type), "needs_marking", None)
    return needs is not None and needs(item.snapshot, item.response)


class MarkRefused(ValueError):
    pass


def set_mark(
    attempt: Attempt,
    position: int,
    score: float,
    comment: str,
    teacher_id: int,
    now: datetime,
    levels: list[int] | None = None,
) -> bool:
    """A teacher's mark for one answer, with the comment the student reads, kept in the
    trail; the attempt's total (and an LMS gradebook) follow. False when neither the mark
    nor the comment changes. Refused while the attempt is still being taken."""
    if not attempt.is_submitted:
        raise MarkRefused("This attempt is still in progress: mark it once it is submitted.")
    item = next((one for one in attempt.items if one.position == position), None)
    if item is None:
        raise MarkRefused(f"The attempt has no question {position}.")
    comment = comment.strip()[:MAX_COMMENT_CHARS]
    old_score = item.score
    current = _changes(attempt).get(item.id, [])
    manual = [change for change in current if change.reason is MarkReason.MANUAL]
    same_comment = (manual[-1].comment if manual else "") == comment
    same_levels = (manual[-1].levels if manual else None) == levels
    if item.graded and old_score == score and same_comment and same_levels and manual:
        return False
    rescore_item(attempt, position, score, now)
    marked_grade = getattr(REGISTRY.get(item.item_type), "marked_grade", None)
    if marked_grade is not None:
        # The pending grade's note ("Awaiting your teacher's mark") gives way to the mark;
        # the comment is shown on its own (presentation.teacher_comments).
        item.notes = list(marked_grade(score).notes)
    db.session.add(
        MarkChange(
            attempt_id=attempt.id,
            attempt_item_id=item.id,
            changed_by_id=teacher_id,
            changed_at=now,
            reason=MarkReason.MANUAL,
            old_score=old_score if item.graded or old_score is not None else None,
            new_score=score,
            max_points=max_points(item.snapshot),
            comment=comment,
            levels=levels,
        )
    )
    db.session.flush()
    return True


def markers(history: list[MarkChange]) -> dict[int, str]:
    """Names of the teachers in a trail (user id -> username)."""
    ids = {change.changed_by_id for change in history if change.changed_by_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


# -- per-question marks of an assignment ------------------------------------------------------


def question_marks(
    assignment: Assignment, policy: GradePolicy
) -> tuple[list[QuestionColumn], list[StudentMarks]]:
    """Each enrolled student's counted attempt (the gradebook's), question by question, in
    the set's order of items (attempts shuffle them)."""
    students = db.session.execute(
        select(User.id, User.full_label)
        .join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.class_id == assignment.class_id)
        .order_by(func.lower(User.username))
    ).all()
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == assignment.id).order_by(Attempt.id)
    ).all()
    by_student: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_student.setdefault(attempt.user_id, []).append(attempt)
    counted: dict[int, Attempt] = {}
    for student_id, theirs in by_student.items():
        results = [
            AttemptResult(
                student_id=a.user_id,
                assignment_id=assignment.id,
                started_at=a.started_at,
                submitted_at=a.submitted_at if a.status is AttemptStatus.SUBMITTED else None,
                score=a.score if a.status is AttemptStatus.SUBMITTED else None,
                attempt_id=a.id,
            )
            for a in theirs
        ]
        chosen = counted_attempt(results, policy)
        if chosen is not None:
            counted[student_id] = next(a for a in theirs if a.id == chosen.attempt_id)
        elif waiting := [
            a for a in theirs if a.status is AttemptStatus.SUBMITTED and a.score is None
        ]:
            # Submitted, a mark still to give (an essay): its marks so far, none counted yet.
            counted[student_id] = max(waiting, key=lambda a: a.started_at)
    # Questions: every item key the counted attempts answered, in the set's order.
    snapshots: dict[str, dict] = {}
    for attempt in counted.values():
        for item in attempt.items:
            snapshots.setdefault(item.item_key, item.snapshot)
    order = {
        key: position
        for key, position in db.session.execute(
            select(Item.key, Item.position).where(Item.key.in_(list(snapshots)))
        )
    }
    keys = sorted(snapshots, key=lambda key: (order.get(key, 10**6), key))
    columns = [
        QuestionColumn(key, listed_prompt(snapshots[key]), max_points(snapshots[key]))
        for key in keys
    ]
    marked = marked_by_hand([item.id for a in counted.values() for item in a.items])
    rows = []
    for student_id, name in students:
        attempt = counted.get(student_id)
        if attempt is None:
            rows.append(StudentMarks(name, None, {}))
            continue
        marks = {
            item.item_key: None if awaiting_mark(item, marked) else item.score
            for item in attempt.items
        }
        rows.append(StudentMarks(name, attempt.score, marks))
    return columns, rows
