"""The review-option rule, without an app: each timing against the attempt's state, the
class's last due date (extensions included) and the teacher's release."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizzes.domain.review import (
    SELF_STUDY,
    ReviewMoment,
    ReviewOptions,
    ReviewTiming,
    last_due_date,
    reveal,
    review_options_problem,
    shows,
)

DUE = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def moment(*, submitted=True, now=DUE + HOUR, last_due=DUE, released_at=None) -> ReviewMoment:
    return ReviewMoment(SELF_STUDY, submitted, now, last_due, released_at)


@pytest.mark.parametrize("timing", list(ReviewTiming))
def test_nothing_shows_on_an_ungraded_item(timing):
    assert not shows(timing, moment(released_at=DUE), graded=False)


def test_right_after_each_answer_shows_a_checked_item_before_the_submit():
    assert shows(ReviewTiming.ANSWERED, moment(submitted=False), graded=True)
    assert not shows(ReviewTiming.SUBMITTED, moment(submitted=False), graded=True)


@pytest.mark.parametrize(
    ("now", "last_due", "expected"),
    [
        (DUE - HOUR, DUE, False),
        (DUE, DUE, True),
        (DUE + HOUR, DUE + 2 * HOUR, False),  # a classmate's extension still runs
        (DUE + 3 * HOUR, DUE + 2 * HOUR, True),
        (DUE + 1000 * HOUR, None, False),  # no due date: "after the due date" never comes
    ],
)
def test_after_the_due_date_waits_for_the_last_one(now, last_due, expected):
    assert (
        shows(ReviewTiming.AFTER_DUE, moment(now=now, last_due=last_due), graded=True) is expected
    )


def test_after_the_due_date_never_shows_an_attempt_still_open():
    late = moment(submitted=False, now=DUE + 5 * HOUR)
    assert not shows(ReviewTiming.AFTER_DUE, late, graded=True)
    assert not shows(ReviewTiming.RELEASED, late, graded=True)


def test_released_and_never():
    assert not shows(ReviewTiming.RELEASED, moment(), graded=True)
    assert shows(ReviewTiming.RELEASED, moment(released_at=DUE), graded=True)
    assert not shows(ReviewTiming.RELEASED, moment(released_at=DUE + 2 * HOUR), graded=True)
    assert not shows(ReviewTiming.NEVER, moment(released_at=DUE), graded=True)


def test_reveal_decides_each_category_apart():
    options = ReviewOptions(
        score=ReviewTiming.SUBMITTED,
        answers=ReviewTiming.AFTER_DUE,
        explanations=ReviewTiming.RELEASED,
        feedback=ReviewTiming.NEVER,
    )
    before_due = ReviewMoment(options, True, DUE - HOUR, DUE, None)
    after_due = ReviewMoment(options, True, DUE + HOUR, DUE, DUE)
    assert reveal(before_due, graded=True).score and not reveal(before_due, graded=True).answers
    shown = reveal(after_due, graded=True)
    assert (shown.score, shown.answers, shown.explanations, shown.feedback) == (
        True,
        True,
        True,
        False,
    )


def test_last_due_date_counts_extensions_and_needs_a_class_date():
    assert last_due_date(DUE, []) == DUE
    assert last_due_date(DUE, [None, DUE + HOUR, DUE - HOUR]) == DUE + HOUR
    assert last_due_date(None, [DUE]) is None


def test_options_that_cannot_work():
    after_due = ReviewOptions(answers=ReviewTiming.AFTER_DUE)
    assert "needs a due date" in review_options_problem(
        after_due, has_due_date=False, checks_each_answer=False
    )
    assert review_options_problem(after_due, has_due_date=True, checks_each_answer=True) is None
    held_score = ReviewOptions(score=ReviewTiming.SUBMITTED)
    assert "Check answer" in review_options_problem(
        held_score, has_due_date=True, checks_each_answer=True
    )
    assert review_options_problem(held_score, has_due_date=True, checks_each_answer=False) is None
