"""Fitting FSRS parameters to a learner's own log (fsrs-rs), and the log's training items."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizzes.domain.srs.optimise import (
    MIN_REVIEWS,
    LoggedReview,
    TooFewReviews,
    optimise,
    training_items,
)
from quizzes.domain.srs.settings import StudySettings
from tests.domain.srs.review_simulation import LEARNER, simulated_log

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def test_items_count_reviews_on_a_later_study_day_with_the_history_before_them():
    log = [
        LoggedReview("a", 3, T0, True),
        LoggedReview("a", 1, T0 + timedelta(minutes=5), False),  # same day: no item
        LoggedReview("a", 3, T0 + timedelta(days=2), False),
        LoggedReview("a", 3, T0 + timedelta(days=9), False),
        # Its first review is older than the log read: the first interval is unknown.
        LoggedReview("b", 3, T0, False),
        LoggedReview("b", 3, T0 + timedelta(days=3), False),
    ]
    items = training_items(log, StudySettings())
    assert items == [((3, 0), (1, 0), (3, 2)), ((3, 0), (1, 0), (3, 2), (3, 7))]


def test_study_days_follow_the_learners_day_start():
    # 02:00 and 05:00 local are two study days when the day starts at 04:00.
    early = datetime(2025, 3, 4, 2, 0, tzinfo=UTC)
    log = [
        LoggedReview("a", 3, early, True),
        LoggedReview("a", 3, early + timedelta(hours=3), False),
    ]
    assert training_items(log, StudySettings()) == [((3, 0), (3, 1))]
    assert training_items(log, StudySettings(day_start_hour=0)) == []


def test_too_few_reviews_is_a_message_with_the_numbers():
    with pytest.raises(TooFewReviews) as refused:
        optimise(simulated_log(cards=50, reviews_each=3), StudySettings())
    assert refused.value.reviews == 100
    assert f"at least {MIN_REVIEWS:,} reviews" in str(refused.value)
    assert "your log has 100" in str(refused.value)


def test_a_fit_to_a_learner_who_forgets_slowly_predicts_their_log_better():
    log = simulated_log(cards=300, reviews_each=8)
    result = optimise(log, StudySettings())
    assert result.reviews == 300 * 7
    assert result.better
    assert result.after.log_loss < result.before.log_loss
    assert result.after.rmse < result.before.rmse
    # The initial stabilities move towards the learner's (4x the defaults).
    assert result.parameters[2] > StudySettings().parameters[2]
    assert len(result.parameters) == len(LEARNER)
    # The fitted parameters make valid settings, and the same log gives the same fit.
    StudySettings(parameters=result.parameters)
    assert optimise(log, StudySettings()).parameters == result.parameters
