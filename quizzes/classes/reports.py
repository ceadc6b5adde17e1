"""What a teacher reads about a class's work: the gradebook and the item analysis of an
assignment. Reads only."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, func, select

from models import (
    Assignment,
    Attempt,
    AttemptItem,
    AttemptStatus,
    Enrollment,
    Item,
    SchoolClass,
    User,
    db,
)
from quizzes.classes.assignments import class_titles
from quizzes.domain import analysis
from quizzes.domain.assignments import (
    AttemptResult,
    Column,
    Gradebook,
    GradePolicy,
    build_gradebook,
)
from quizzes.domain.itemtypes import REGISTRY, listed_prompt

# -- the teacher's side -------------------------------------------------------------------------


def gradebook(school_class: SchoolClass, policy: GradePolicy | None) -> Gradebook:
    """Scores by `policy`, or by each assignment's own grading method when None."""
    students = db.session.execute(
        select(User.id, User.full_label)
        .join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.class_id == school_class.id)
        .order_by(func.lower(User.username))
    ).all()
    assignments = sorted(school_class.assignments, key=lambda a: (a.opens_at, a.id))
    titles = class_titles(assignments)
    columns = [
        Column(
            a.id,
            titles[a.id],
            a.due_at,
            a.grade_method,
            {e.student_id: a.due_for(e.student_id) for e in a.extensions if e.due_at},
        )
        for a in assignments
    ]
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
            attempt_id=a.id,
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
        if score is None:
            continue  # awaiting a teacher's mark (an essay): analysed once marked
        answers[attempt_id].append(analysis.Answer(key, score, picked))
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
