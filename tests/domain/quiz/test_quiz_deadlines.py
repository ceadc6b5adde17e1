from datetime import UTC, datetime, timedelta

import pytest

from quizzes.quiz.timing import GRACE, deadline_for, format_duration, is_past, seconds_left

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def test_deadline_only_with_a_limit():
    assert deadline_for(START, None) is None
    assert deadline_for(START, 0) is None
    assert deadline_for(START, 600) == datetime(2025, 3, 3, 9, 10, tzinfo=UTC)


def test_is_past_allows_the_grace_period():
    deadline = START + timedelta(minutes=5)
    assert GRACE == timedelta(seconds=10)
    assert not is_past(None, START + timedelta(days=1))
    assert not is_past(deadline, deadline)
    assert not is_past(deadline, deadline + GRACE)
    assert is_past(deadline, deadline + GRACE + timedelta(microseconds=1))


def test_seconds_left_rounds_up_and_stops_at_zero():
    deadline = START + timedelta(minutes=1)
    assert seconds_left(None, START) is None
    assert seconds_left(deadline, START) == 60
    assert seconds_left(deadline, START + timedelta(seconds=59, milliseconds=1)) == 1
    assert seconds_left(deadline, deadline + timedelta(hours=1)) == 0


@pytest.mark.parametrize(
    "seconds, text", [(0, "0:00"), (42, "0:42"), (724, "12:04"), (3909, "1:05:09"), (-5, "0:00")]
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text
