from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Rating, State

from quizzes.domain.srs import (
    DailyCounts,
    MemoryState,
    Phase,
    RetentionStats,
    ReviewLogEntry,
    StudySettings,
    TopicRecall,
    done_today,
    due_forecast,
    predicted_recall_by_topic,
    retention_achieved,
    review,
    reviews_per_day,
)
from quizzes.domain.srs.stats import recall_now

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)  # 21:00 in Seoul
SEOUL = StudySettings(timezone="Asia/Seoul", enable_fuzzing=False)


def entry(at, before=Phase.REVIEW, rating=Rating.Good):
    return ReviewLogEntry(
        rating=rating,
        reviewed_at=at,
        source="flashcard",
        duration_ms=None,
        state_before=before,
        state_after=Phase.REVIEW,
        elapsed_days=3,
        scheduled_interval=timedelta(days=5),
        retrievability=0.9,
        stability_after=5.0,
        difficulty_after=5.0,
    )


def utc(day, hour):
    return datetime(2025, 3, day, hour, 0, tzinfo=UTC)


def test_reviews_per_day_uses_the_learners_study_day():
    entries = [
        entry(utc(2, 18)),  # 03:00 on the 3rd in Seoul: study day 2 March
        entry(utc(2, 19)),  # 04:00 on the 3rd in Seoul: study day 3 March
        entry(utc(3, 12)),
        entry(utc(1, 1)),
    ]
    assert reviews_per_day(entries, SEOUL) == {
        date(2025, 3, 1): 1,
        date(2025, 3, 2): 1,
        date(2025, 3, 3): 2,
    }
    assert list(reviews_per_day(entries, SEOUL)) == sorted(reviews_per_day(entries, SEOUL))


def test_done_today_counts_new_and_review_reviews_only():
    entries = [
        entry(utc(3, 10), Phase.NEW),
        entry(utc(3, 10), Phase.LEARNING),
        entry(utc(3, 11), Phase.RELEARNING),
        entry(utc(3, 11), Phase.REVIEW),
        entry(utc(3, 11), Phase.REVIEW),
        entry(utc(2, 18), Phase.REVIEW),  # yesterday's study day in Seoul
    ]
    assert done_today(entries, NOW, SEOUL) == DailyCounts(new=1, reviews=2)


def reviewed(due, stability=10.0, days_ago=10):
    return MemoryState(State.Review, None, stability, 5.0, due, NOW - timedelta(days=days_ago))


def test_due_forecast_over_the_next_days():
    states = [
        reviewed(NOW - timedelta(days=3)),  # overdue: today
        reviewed(utc(3, 18)),  # 03:00 on the 4th in Seoul: still today's study day
        reviewed(utc(3, 19)),  # tomorrow
        reviewed(utc(5, 12)),
        reviewed(utc(5, 13)),
        reviewed(NOW + timedelta(days=30)),  # beyond the window
        MemoryState.new(NOW),  # new: not "due"
    ]
    assert due_forecast(states, NOW, SEOUL, days=4) == {
        date(2025, 3, 3): 2,
        date(2025, 3, 4): 1,
        date(2025, 3, 5): 2,
        date(2025, 3, 6): 0,
    }
    assert len(due_forecast(states, NOW, SEOUL)) == 30
    with pytest.raises(ValueError, match="days"):
        due_forecast(states, NOW, SEOUL, days=0)


def test_retention_counts_only_reviews_of_review_state_memories():
    entries = [
        entry(utc(1, 9), rating=Rating.Good),
        entry(utc(2, 9), rating=Rating.Again),
        entry(utc(2, 9), rating=Rating.Hard),
        entry(utc(3, 9), rating=Rating.Easy),
        entry(utc(3, 9), Phase.LEARNING, Rating.Again),
        entry(utc(3, 9), Phase.NEW, Rating.Again),
    ]
    assert retention_achieved(entries, SEOUL) == RetentionStats(
        reviews=4, passed=3, achieved=0.75, desired=0.90
    )
    assert retention_achieved(entries, SEOUL, since=utc(2, 0)) == RetentionStats(
        reviews=3, passed=2, achieved=pytest.approx(2 / 3), desired=0.90
    )
    assert retention_achieved([], SEOUL).achieved is None


def test_predicted_recall_per_topic_today():
    states = [
        (["defections", "diplomacy"], reviewed(NOW, stability=10.0, days_ago=10)),  # 0.90
        (["defections"], reviewed(NOW, stability=10.0, days_ago=0)),  # 1.00
        (["diplomacy", "diplomacy"], MemoryState.new(NOW)),  # unseen, counted once
        (["nuclear"], MemoryState.new(NOW)),
    ]
    recall = predicted_recall_by_topic(states, NOW, SEOUL)
    assert list(recall) == ["defections", "diplomacy", "nuclear"]
    assert recall["defections"] == TopicRecall(recall=pytest.approx(0.95), reviewed=2, unseen=0)
    assert recall["diplomacy"] == TopicRecall(recall=pytest.approx(0.90), reviewed=1, unseen=1)
    assert recall["nuclear"] == TopicRecall(recall=None, reviewed=0, unseen=1)


def test_predicted_recall_counts_failed_memories_apart_and_falls_within_the_day():
    failed, _ = review(MemoryState.new(NOW), Rating.Again, NOW, SEOUL)
    learnt = reviewed(NOW, stability=1.0, days_ago=0)
    minutes_later = NOW + timedelta(minutes=5)
    recall = predicted_recall_by_topic([(["upr"], failed), (["coi"], learnt)], minutes_later, SEOUL)
    # Just failed: not a known card at "100%", but one being learnt.
    assert recall["upr"] == TopicRecall(recall=None, reviewed=0, unseen=0, learning=1)
    # fsrs' whole days would say 1.0 until midnight; twelve hours on it has fallen.
    half_day = NOW + timedelta(hours=12)
    assert learnt.retrievability(half_day, SEOUL) == 1.0
    assert 0.9 < recall_now(learnt, half_day, SEOUL) < recall_now(learnt, minutes_later, SEOUL) < 1
    assert recall_now(learnt, NOW + timedelta(days=1), SEOUL) == pytest.approx(0.9)
