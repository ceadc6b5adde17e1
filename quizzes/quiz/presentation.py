"""Items as pages show them: the key travels only inside `feedback`, once it may be shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from models import Attempt, AttemptItem, MarkChange, MarkReason, db
from models.attempts import LatePolicy
from models.classes import review_moment, score_shown
from quizzes.domain.itemtypes import REGISTRY, TYPE_LABELS, Grade, chosen_feedback
from quizzes.domain.review import (
    Reveal,
    ReviewMoment,
    ReviewTiming,
    reveal,
)
from quizzes.web.display import format_time

# review_moment and score_shown live with the assignment (models/classes.py), so that
# pages below the quiz feature (progress) hold scores back the same way; re-exported here.
__all__ = ["reveal", "review_moment", "score_shown"]

# Everything shows: self-study, the guest's sample, the teacher's preview.
EVERYTHING = Reveal(score=True, answers=True, explanations=True, feedback=True)


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
    # Which parts the review options let the page show; the others are blanked.
    shows: Reveal = EVERYTHING

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
    # Checked already: its answer is final even when the review options show nothing yet.
    graded: bool = False

    @property
    def answered(self) -> bool:
        return self.response is not None

    @property
    def locked(self) -> bool:
        return self.feedback is not None or self.graded

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


def held_back(feedback: Feedback, shows: Reveal) -> Feedback:
    """The feedback with what the review options hold back blanked, not merely unprinted."""
    return replace(
        feedback,
        score=feedback.score if shows.score else 0.0,
        correct=feedback.correct if shows.score else False,
        typo_forgiven=feedback.typo_forgiven if shows.answers else False,
        notes=feedback.notes if shows.answers else (),
        right_answer=feedback.right_answer if shows.answers else "",
        explanation=feedback.explanation if shows.explanations else "",
        sources=feedback.sources if shows.explanations else (),
        option_feedback=feedback.option_feedback if shows.feedback else (),
        # "Awaiting grading" tells of the score, so it waits with the score.
        pending=feedback.pending if shows.score else False,
        shows=shows,
    )


def shown_item(
    position: int,
    snapshot: Mapping[str, Any],
    response: Any,
    grade: Grade | None,
    shows: Reveal = EVERYTHING,
) -> ShownItem:
    """The only way pages get an item: the key travels only inside `feedback`."""
    feedback = None
    if grade is not None and shows.anything:
        feedback = held_back(feedback_for(snapshot, response, grade), shows)
    return ShownItem(
        position=position,
        type=snapshot["type"],
        prompt=snapshot["prompt"],
        view=snapshot["view"],
        response=response,
        feedback=feedback,
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


def may_reveal(item: AttemptItem, moment: ReviewMoment) -> Reveal:
    """The one rule for what an attempt's item shows, category by category: nothing before
    it is graded ("Check answer" with feedback at once, or the submit), then what the
    assignment's review options allow at this moment. Pages, the result, the history, the
    student's class list and the account export all ask here."""
    return reveal(moment, graded=item.graded)


def shown_snapshot(item: AttemptItem, moment: ReviewMoment) -> dict[str, Any]:
    """The item's snapshot cut to what the pages would show the student at this moment."""
    shows = may_reveal(item, moment)
    allowed = set(SHOWN_BEFORE_REVEAL)
    if shows.answers:
        allowed |= {"key", "fact_ids"}
    if shows.explanations:
        allowed |= {"explanation", "sources"}
    snapshot = {name: value for name, value in item.snapshot.items() if name in allowed}
    key = item.snapshot.get("key")
    if isinstance(key, dict) and "why" in key:  # per-option feedback travels in the key
        if shows.answers and not shows.feedback:
            snapshot["key"] = {name: value for name, value in key.items() if name != "why"}
        elif shows.feedback and not shows.answers:
            snapshot["option_feedback"] = key["why"]
    return snapshot


def teacher_comments(attempt: Attempt, moment: ReviewMoment) -> dict[int, str]:
    """The teacher's comment on each answer (position -> the newest manual mark's comment),
    for the items whose per-option feedback the review options show now: a comment is
    feedback on the answer, so it waits as that category does. Empty comments are left out."""
    shown = {item.id: item.position for item in attempt.items if may_reveal(item, moment).feedback}
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


def shown_attempt_item(item: AttemptItem, moment: ReviewMoment) -> ShownItem:
    shows = may_reveal(item, moment)
    grade = None
    if shows.anything:
        grade = Grade(
            score=item.score or 0.0,
            correct=bool(item.correct),
            typo_forgiven=item.typo_forgiven,
            notes=tuple(item.notes or []),
            pending=item.score is None,  # graded, not yet marked (see answers.awaiting_mark)
        )
    return replace(
        shown_item(item.position, item.snapshot, item.response, grade, shows), graded=item.graded
    )


_CATEGORY_NAMES = {
    "score": "Your score",
    "answers": "The right answers",
    "explanations": "The explanations",
    "feedback": "The feedback on your choices",
}


def held_notes(moment: ReviewMoment) -> list[str]:
    """What a submitted attempt's result page does not show yet, and when it will, in words."""
    shown = reveal(moment, graded=True)
    notes = []
    for category, timing in zip(
        ("score", "answers", "explanations", "feedback"), moment.options.timings(), strict=True
    ):
        if getattr(shown, category):
            continue
        name = _CATEGORY_NAMES[category]
        if timing is ReviewTiming.NEVER:
            notes.append(f"{name}: not shown for this assignment.")
        elif timing is ReviewTiming.AFTER_DUE and moment.last_due is not None:
            notes.append(
                f"{name}: shown after the due date, {format_time(moment.last_due)} "
                "(when every classmate has handed in)."
            )
        elif timing is ReviewTiming.RELEASED:
            notes.append(f"{name}: shown when your teacher releases them.")
        else:  # after the due date, with none set: only a release shows them
            notes.append(f"{name}: shown when your teacher releases them.")
    return notes


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
