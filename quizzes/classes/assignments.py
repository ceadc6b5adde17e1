"""Assignments between the ORM and the domain: give a set to a class, start an attempt,
read the gradebook and the item analysis. Flushes, never commits; `now` comes in."""

from __future__ import annotations

import gc
import json
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, func, select, update

from models import (
    Assignment,
    Attempt,
    AttemptItem,
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
from quizzes.domain import analysis
from quizzes.domain.assignments import (
    AttemptResult,
    Availability,
    Column,
    Gradebook,
    GradePolicy,
    attempt_seconds,
    availability,
    build_gradebook,
    start_refusal,
    told_apart,
)
from quizzes.domain.itemtypes import REGISTRY, listed_prompt
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
) -> Assignment:
    assignment = Assignment(
        class_id=school_class.id,
        set_id=question_set.id,
        opens_at=opens_at,
        due_at=due_at,
        attempt_limit=attempt_limit,
        time_limit_minutes=time_limit_minutes,
        feedback_mode=feedback_mode,
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


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
    ended = sum(quiz_services.submit(attempt, now) for attempt in still_open)
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

    @property
    def can_start(self) -> bool:
        return self.refusal is None and self.open_attempt_id is None


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
        shown.append(
            StudentAssignment(
                assignment=assignment,
                state=availability(assignment.opens_at, assignment.due_at, now),
                attempts=len(attempts),
                best=max(scores) if scores else None,
                open_attempt_id=open_attempt.id if open_attempt else None,
                refusal=start_refusal(
                    assignment.opens_at,
                    assignment.due_at,
                    assignment.attempt_limit,
                    len(attempts),
                    now,
                ),
                title=titles[assignment.id],
            )
        )
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(shown, key=lambda s: (s.assignment.due_at or far, s.assignment.id))


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
    """What the home page lists: open assignments not yet submitted, and ones in progress."""
    return [
        s
        for s in student_assignments(student, now)
        if s.state is Availability.OPEN and (s.open_attempt_id or (s.best is None and s.can_start))
    ]


def start(student: User, assignment: Assignment, now: datetime, rng: random.Random) -> Attempt:
    """A new attempt on the whole set, or the one already in progress."""
    if not is_enrolled(student.id, assignment.class_id):
        raise LookupError("not in this class")
    attempts = attempts_started(assignment, student.id)
    open_attempt = next((a for a in attempts if a.status is AttemptStatus.IN_PROGRESS), None)
    if open_attempt is not None:
        return open_attempt
    refusal = start_refusal(
        assignment.opens_at, assignment.due_at, assignment.attempt_limit, len(attempts), now
    )
    if refusal:
        raise StartRefused(refusal)
    size = db.session.scalar(
        select(func.count(Item.id)).where(
            Item.set_id == assignment.set_id, Item.retired_at.is_(None)
        )
    )
    timed = attempt_seconds(assignment.time_limit_minutes, assignment.due_at, now)
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


# -- the teacher's side -------------------------------------------------------------------------


def gradebook(school_class: SchoolClass, policy: GradePolicy) -> Gradebook:
    students = db.session.execute(
        select(User.id, User.username)
        .join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.class_id == school_class.id)
        .order_by(func.lower(User.username))
    ).all()
    assignments = sorted(school_class.assignments, key=lambda a: (a.opens_at, a.id))
    titles = class_titles(assignments)
    columns = [Column(a.id, titles[a.id], a.due_at) for a in assignments]
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.assignment_id.in_([a.id for a in assignments]))
    ).all()
    results = [
        AttemptResult(
            student_id=a.user_id,
            assignment_id=a.assignment_id,
            started_at=a.started_at,
            submitted_at=a.submitted_at if a.status is AttemptStatus.SUBMITTED else None,
            score=a.score if a.status is AttemptStatus.SUBMITTED else None,
        )
        for a in attempts
    ]
    return build_gradebook([(sid, name) for sid, name in students], columns, results, policy)


@dataclass(frozen=True)
class AnalysedItem:
    number: int
    item: Item | None  # None when the item was deleted since
    prompt: str
    type: str
    stats: analysis.ItemAnalysis
    version: int | None = None  # set when students saw several versions of the item
    current: bool = True  # this version is the item as it is now


def _picked(snapshot: dict[str, Any], response: Any) -> tuple[str, ...]:
    """What the student chose, as the item's type counts it (option texts, typed text)."""
    if response is None:
        return ()
    return REGISTRY[snapshot["type"]].counted_answer(snapshot["view"], response)


def _prompt_text(snapshot: dict[str, Any]) -> str:
    """The question in one line, as its type lists it (the progress page lists it so too)."""
    return listed_prompt(snapshot)


def _choices(snapshot: dict[str, Any]) -> list[tuple[str, bool]] | None:
    """Every option of a choice item in the set's own order, with whether it is right."""
    return REGISTRY[snapshot["type"]].choice_list(snapshot["view"], snapshot["key"])


_MISSING = object()


class _JsonCache:
    """JSON values read as text, each distinct text decoded once: the answers of a class
    repeat a few views (option orders) and responses many times. Drivers that decode JSON
    themselves would hand over Python values: the query casts to text so they do not."""

    def __init__(self) -> None:
        self._seen: dict[str, Any] = {}

    def __call__(self, raw: Any) -> Any:
        if not isinstance(raw, str):
            return raw  # decoded already, or a bare number (SQLite's numeric affinity)
        value = self._seen.get(raw, _MISSING)
        if value is _MISSING:
            value = self._seen[raw] = json.loads(raw)
        return value


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while tens of thousands of small objects are built.

    They hold no reference cycles (reference counting frees them), but each few hundred
    allocations start a collection that walks them all: about 40% of an item analysis
    of 25,000 answers. The collector runs again as soon as the block ends. (Threads that
    overlap: whichever paused it first turns it back on; the others leave it as found.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def item_analysis(assignment: Assignment) -> tuple[list[AnalysedItem], int]:
    """Per item, over each student's first submitted attempt (as Moodle's default report
    does: later attempts are coloured by feedback on the first). Also the attempt count.

    Reads ids, scores, responses and snapshots as plain text in one query, and decodes
    each distinct text once: a class of 500 answering 50 items is 25,000 answers, but
    they repeat a few snapshots (option orders) and responses many times. Asking the
    database to pick fields out of each snapshot costs more than that.
    """
    with _cyclic_gc_paused():
        return _item_analysis(assignment)


def _item_analysis(assignment: Assignment) -> tuple[list[AnalysedItem], int]:
    first_attempts: dict[int, int] = {}  # student -> attempt id
    for attempt_id, user_id in db.session.execute(
        select(Attempt.id, Attempt.user_id)
        .where(
            Attempt.assignment_id == assignment.id,
            Attempt.status == AttemptStatus.SUBMITTED,
        )
        .order_by(Attempt.started_at, Attempt.id)
    ):
        first_attempts.setdefault(user_id, attempt_id)
    rank = {attempt_id: n for n, attempt_id in enumerate(first_attempts.values())}
    answers: dict[int, list[analysis.Answer]] = {attempt_id: [] for attempt_id in rank}
    seen_versions: dict[int, list[int]] = {attempt_id: [] for attempt_id in rank}
    versions: dict[str, set[int]] = {}  # item key -> the versions students saw
    # Per (item key, version), the snapshot that stands for it: the first in attempt order.
    first_seen: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
    decoded = _JsonCache()
    # What one (snapshot, response) pair says, worked out once: a class repeats them.
    meaning: dict[tuple[str, Any], tuple[dict[str, Any], int, tuple[str, ...]]] = {}
    answer = AttemptItem.__table__.c  # Core columns: plain rows, no ORM loading per row
    for attempt_id, key, score, response, snapshot in db.session.execute(
        select(
            answer.attempt_id,
            answer.item_key,
            answer.score,
            cast(answer.response, Text),
            cast(answer.snapshot, Text),
        )
        .where(answer.attempt_id.in_(list(rank)))
        .order_by(answer.attempt_id, answer.position)
    ).all():  # all(): one fetch, not a fetch per row
        found = meaning.get((snapshot, response))
        if found is None:
            shown = decoded(snapshot)
            found = (shown, shown.get("version") or 1, _picked(shown, decoded(response)))
            meaning[snapshot, response] = found
        shown, version, picked = found
        if (key, version) not in first_seen:
            versions.setdefault(key, set()).add(version)
            first_seen[key, version] = (rank[attempt_id], shown)
        elif rank[attempt_id] < first_seen[key, version][0]:
            first_seen[key, version] = (rank[attempt_id], shown)
        answers[attempt_id].append(analysis.Answer(key, score or 0.0, picked))
        seen_versions[attempt_id].append(version)

    # An item edited while the class answered it is analysed per version: the numbers of
    # a question before and after a fix (a wrong key, a clearer prompt) must not mix.
    edited = {key for key, seen in versions.items() if len(seen) > 1}

    def group(key: str, version: int) -> str:
        return f"{key}@v{version}" if key in edited else key

    attempts = list(answers.values())
    if edited:
        attempts = [
            [
                analysis.Answer(group(a.item_key, version), a.score, a.picked)
                if a.item_key in edited
                else a
                for a, version in zip(row, seen_versions[attempt_id], strict=True)
            ]
            for attempt_id, row in answers.items()
        ]
    origin = {group(key, version): (key, version) for key, version in first_seen}
    snapshots = {group(key, version): shown for (key, version), (_, shown) in first_seen.items()}
    choices = {key: listed for key, snapshot in snapshots.items() if (listed := _choices(snapshot))}
    stats = {result.item_key: result for result in analysis.analyse(attempts, choices)}
    items = {
        item.key: item
        for item in db.session.scalars(select(Item).where(Item.key.in_(list(versions))))
    }

    def place(group_key: str) -> tuple[int, str, int]:
        key, version = origin[group_key]
        return (items[key].position if key in items else 10**6, key, version)

    analysed = []
    for number, group_key in enumerate(sorted(stats, key=place), start=1):
        snapshot = snapshots[group_key]
        key, version = origin[group_key]
        item = items.get(key)
        analysed.append(
            AnalysedItem(
                number=number,
                item=item,
                prompt=_prompt_text(snapshot),
                type=snapshot["type"],
                stats=stats[group_key],
                version=version if len(versions[key]) > 1 else None,
                current=item is not None and item.version == version,
            )
        )
    return analysed, len(first_attempts)


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
