"""Items as pages show them: the key travels only inside `feedback`, once it may be shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from models import Attempt, AttemptItem, MarkChange, MarkReason, db
from models.attempts import LatePolicy
from quizzes.domain.itemtypes import REGISTRY, TYPE_LABELS, Grade, chosen_feedback
from quizzes.web.display import format_time


@dataclass(frozen=True)
class Feedback:
    """What a student sees once an item is answered and graded: now the key may be shown."""

    score: float
    correct: bool
    typo_forgiven: bool
    notes: tuple[str, ...]
    your_answer: str
    right_answer: str
    explanation: str
    sources: tuple[dict[str, Any], ...]
    # (option, the teacher's feedback on it) for each option the student chose.
    option_feedback: tuple[tuple[str, str], ...] = ()
    pending: bool = False  # awaiting a teacher's mark (an essay): neither right nor wrong
    key_label: str = "Right answer"  # an essay's key is how it is marked

    @property
    def verdict(self) -> str:
        if self.pending:
            return "pending"
        if self.correct:
            return "right"
        return "partly" if self.score > 0 else "wrong"


@dataclass(frozen=True)
class ShownItem:
    """One item as a page shows it. `feedback` is None until the item may reveal its key."""

    position: int
    type: str
    prompt: str
    view: dict[str, Any]
    response: Any
    feedback: Feedback | None = None
    topics: tuple[str, ...] = field(default_factory=tuple)

    @property
    def answered(self) -> bool:
        return self.response is not None

    @property
    def locked(self) -> bool:
        return self.feedback is not None

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.type, self.type)

    @property
    def key_options(self) -> int:
        """How many options the number keys pick among (0: the type has none to pick)."""
        module = REGISTRY.get(self.type)
        return module.key_options(self.view) if module else 0


def feedback_for(snapshot: Mapping[str, Any], response: Any, grade: Grade) -> Feedback:
    module = REGISTRY[snapshot["type"]]
    return Feedback(
        score=grade.score,
        correct=grade.correct,
        typo_forgiven=grade.typo_forgiven,
        notes=tuple(grade.notes),
        your_answer=module.describe_response(snapshot["view"], response),
        right_answer=module.describe_key(snapshot["view"], snapshot["key"]),
        explanation=snapshot.get("explanation", ""),
        sources=tuple(snapshot.get("sources", [])),
        option_feedback=chosen_feedback(
            snapshot["type"], snapshot["view"], snapshot["key"], response
        ),
        pending=grade.pending,
        key_label=getattr(module, "KEY_LABEL", "Right answer"),
    )


def shown_item(
    position: int, snapshot: Mapping[str, Any], response: Any, grade: Grade | None
) -> ShownItem:
    """The only way pages get an item: the key travels only inside `feedback`."""
    return ShownItem(
        position=position,
        type=snapshot["type"],
        prompt=snapshot["prompt"],
        view=snapshot["view"],
        response=response,
        feedback=feedback_for(snapshot, response, grade) if grade is not None else None,
        topics=tuple(snapshot.get("topics", [])),
    )


def with_unfinished(shown: ShownItem, form: Mapping[str, list[str]]) -> ShownItem:
    """The item showing an unfinished answer that was not saved (see pages.keep_unfinished),
    for the types that can show one; others show what is stored."""
    show = getattr(REGISTRY[shown.type], "unfinished_response", None)
    if show is None or shown.feedback is not None:
        return shown
    return replace(shown, response=show(shown.view, form))


# What any page shows of an attempt's item before it may reveal its key: the key, its
# per-option feedback, the explanation, sources and fact ids wait for the grade.
SHOWN_BEFORE_REVEAL = ("item_key", "version", "type", "prompt", "view", "topics")


def may_reveal(item: AttemptItem) -> bool:
    """The one rule for when an attempt's item shows its key, explanation and sources: once
    it is graded, by "Check answer" (feedback at once) or by the submit (feedback at the
    end). Pages, the result and the account export all ask here."""
    return item.graded


def shown_snapshot(item: AttemptItem) -> dict[str, Any]:
    """The item's snapshot cut to what the pages would show the student at this moment."""
    if may_reveal(item):
        return dict(item.snapshot)
    return {name: item.snapshot[name] for name in SHOWN_BEFORE_REVEAL if name in item.snapshot}


def teacher_comments(attempt: Attempt) -> dict[int, str]:
    """The teacher's comment on each answer (position -> the newest manual mark's comment),
    for the items that may reveal their grade now: a comment speaks of the answer and the
    key, so it waits as they do. Empty comments are left out."""
    shown = {item.id: item.position for item in attempt.items if may_reveal(item)}
    if not shown:
        return {}
    comments: dict[int, str] = {}
    for item_id, comment in db.session.execute(
        select(MarkChange.attempt_item_id, MarkChange.comment)
        .where(
            MarkChange.attempt_item_id.in_(list(shown)),
            MarkChange.reason == MarkReason.MANUAL,
        )
        .order_by(MarkChange.changed_at, MarkChange.id)
    ):
        comments[shown[item_id]] = comment  # the newest mark's comment stands
    return {position: text for position, text in comments.items() if text}


def shown_attempt_item(item: AttemptItem) -> ShownItem:
    grade = None
    if may_reveal(item):
        grade = Grade(
            score=item.score or 0.0,
            correct=bool(item.correct),
            typo_forgiven=item.typo_forgiven,
            notes=tuple(item.notes or []),
            pending=item.score is None,  # graded, not yet marked (see answers.awaiting_mark)
        )
    return shown_item(item.position, item.snapshot, item.response, grade)


@dataclass(frozen=True)
class Lateness:
    """How an attempt ended late, in a badge and in a sentence: one meaning per word, the
    same for the student (history, result) as for the teacher's gradebook."""

    badge: str
    sentence: str


def lateness(attempt: Attempt, due_at: datetime | None) -> list[Lateness]:
    found = []
    if attempt.late and attempt.late_policy is LatePolicy.CLOSE:
        found.append(
            Lateness(
                "Closed at the time limit",
                f"The time limit closed this quiz at {format_time(attempt.deadline)}; "
                "answers saved after that were not accepted.",
            )
        )
    elif attempt.late:
        found.append(
            Lateness(
                "After the time limit",
                f"Submitted after the time limit ({format_time(attempt.deadline)}).",
            )
        )
    submitted = attempt.submitted_at
    if due_at is not None and submitted is not None and submitted > due_at:
        found.append(
            Lateness(
                "Late",
                f"Handed in after the due date ({format_time(due_at)}): your teacher sees "
                "it marked late.",
            )
        )
    return found


@dataclass(frozen=True)
class RemovalNote:
    """An attempt whose assignment the teacher removed: a badge for the history, a sentence
    for the result page."""

    badge: str
    sentence: str


def removal_note(attempt: Attempt) -> RemovalNote | None:
    removed = attempt.assignment_removed_at
    if removed is None:
        return None
    if attempt.submitted_by_removal:
        return RemovalNote(
            "Assignment removed",
            f"Your teacher removed this assignment on {format_time(removed)}, while this "
            "attempt was open, so it was submitted then, as it stood: the answers saved by "
            "then were graded, and questions left unanswered scored nothing.",
        )
    return RemovalNote(
        "Assignment removed",
        f"Your teacher removed this assignment on {format_time(removed)}. This attempt "
        "no longer counts for the class; it stays here for you.",
    )


def removed_while_open(attempt: Attempt) -> str:
    """The start of what a student is told on acting in a tab left open on an attempt
    that the removal of its assignment submitted."""
    return (
        "Your teacher removed this assignment on "
        f"{format_time(attempt.assignment_removed_at)}, so this quiz was submitted then, as "
        "it stood."
    )
