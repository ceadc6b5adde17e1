"""Review options, as Moodle's quiz has them: for each thing an answered item can show (its
score, the right answer, the explanation with its sources, the feedback written per option),
when the student may see it. Pure: options, dates and the attempt's state in, a decision out."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


class ReviewTiming(enum.StrEnum):
    ANSWERED = "answered"  # right after each answer: a checked item, or every item on submit
    SUBMITTED = "submitted"  # once the attempt is submitted
    AFTER_DUE = "after_due"  # after the last due date that applies in the class
    RELEASED = "released"  # when the teacher presses "Release now"
    NEVER = "never"


TIMING_LABELS = {
    ReviewTiming.ANSWERED: "Right after each answer",
    ReviewTiming.SUBMITTED: "After the attempt is submitted",
    ReviewTiming.AFTER_DUE: "After the due date (the latest, extensions included)",
    ReviewTiming.RELEASED: "When I release them",
    ReviewTiming.NEVER: "Never",
}


@dataclass(frozen=True)
class ReviewOptions:
    """When each category shows. The defaults are what every quiz did before the options:
    everything once the item is graded (checked, or submitted)."""

    score: ReviewTiming = ReviewTiming.ANSWERED
    answers: ReviewTiming = ReviewTiming.ANSWERED  # the right answer, and the grader's notes
    explanations: ReviewTiming = ReviewTiming.ANSWERED  # the explanation and its sources
    feedback: ReviewTiming = ReviewTiming.ANSWERED  # per-option feedback, teacher comments

    def timings(self) -> tuple[ReviewTiming, ...]:
        return (self.score, self.answers, self.explanations, self.feedback)


# Self-study quizzes have no assignment: everything shows once graded, as always.
SELF_STUDY = ReviewOptions()


@dataclass(frozen=True)
class Reveal:
    """What one item may show now, category by category."""

    score: bool
    answers: bool
    explanations: bool
    feedback: bool

    @property
    def anything(self) -> bool:
        return self.score or self.answers or self.explanations or self.feedback


HIDDEN = Reveal(False, False, False, False)


@dataclass(frozen=True)
class ReviewMoment:
    """Everything about an attempt and its assignment that the timings depend on."""

    options: ReviewOptions
    submitted: bool
    now: datetime
    last_due: datetime | None  # None: no due date applies, so "after the due date" never comes
    released_at: datetime | None  # when the teacher released; None: not released


def shows(timing: ReviewTiming, moment: ReviewMoment, *, graded: bool) -> bool:
    """Whether a category with this timing shows on an item now. Nothing shows on an
    ungraded item, and nothing but what shows "right after each answer" before the submit:
    an attempt still open past the due date (a late one) learns nothing from its classmates'
    release."""
    if not graded or timing is ReviewTiming.NEVER:
        return False
    if timing is ReviewTiming.ANSWERED:
        return True
    if not moment.submitted:
        return False
    if timing is ReviewTiming.SUBMITTED:
        return True
    if timing is ReviewTiming.AFTER_DUE:
        return moment.last_due is not None and moment.now >= moment.last_due
    return moment.released_at is not None and moment.now >= moment.released_at


def reveal(moment: ReviewMoment, *, graded: bool) -> Reveal:
    options = moment.options
    return Reveal(
        score=shows(options.score, moment, graded=graded),
        answers=shows(options.answers, moment, graded=graded),
        explanations=shows(options.explanations, moment, graded=graded),
        feedback=shows(options.feedback, moment, graded=graded),
    )


def last_due_date(due_at: datetime | None, extended: Iterable[datetime | None]) -> datetime | None:
    """The last due date that still applies in the class: the assignment's, or a later one
    given to a student. Without an assignment due date there is none."""
    if due_at is None:
        return None
    return max([due_at, *(d for d in extended if d is not None)])


def review_options_problem(
    options: ReviewOptions, *, has_due_date: bool, checks_each_answer: bool
) -> str | None:
    """Why these options do not fit the assignment, in words; None when they do."""
    if not has_due_date and ReviewTiming.AFTER_DUE in options.timings():
        return (
            "“After the due date” needs a due date: give one, or choose another time to show them."
        )
    if checks_each_answer and options.score is not ReviewTiming.ANSWERED:
        return (
            "“Check answer” after each question shows whether the answer was right: choose "
            "“Right after each answer” for the score, or show right answers at the end."
        )
    return None
