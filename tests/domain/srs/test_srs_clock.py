from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizzes.domain.srs import StudySettings, day_end, day_start, study_day

SEOUL = StudySettings(timezone="Asia/Seoul", day_start_hour=4)  # UTC+9, no DST


def test_seoul_day_starts_at_four_local():
    # 2025-03-04 03:59 in Seoul = 2025-03-03 18:59 UTC: still the 3rd's study day
    assert study_day(datetime(2025, 3, 3, 18, 59, tzinfo=UTC), SEOUL) == date(2025, 3, 3)
    # 04:00 in Seoul = 19:00 UTC: the 4th begins
    assert study_day(datetime(2025, 3, 3, 19, 0, tzinfo=UTC), SEOUL) == date(2025, 3, 4)
    # same instant given in Seoul time
    seoul_now = datetime(2025, 3, 4, 4, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    assert study_day(seoul_now, SEOUL) == date(2025, 3, 4)


def test_day_bounds_in_utc():
    assert day_start(date(2025, 3, 4), SEOUL) == datetime(2025, 3, 3, 19, 0, tzinfo=UTC)
    assert day_end(date(2025, 3, 4), SEOUL) == datetime(2025, 3, 4, 19, 0, tzinfo=UTC)


def test_utc_default_and_midnight_start():
    assert study_day(datetime(2025, 3, 4, 3, 59, tzinfo=UTC), StudySettings()) == date(2025, 3, 3)
    midnight = StudySettings(day_start_hour=0)
    assert study_day(datetime(2025, 3, 4, 0, 0, tzinfo=UTC), midnight) == date(2025, 3, 4)


def test_daylight_saving_day_is_23_hours():
    # New York springs forward at 02:00 on 2025-03-09, inside study day 2025-03-08
    # (04:00 EST on the 8th to 04:00 EDT on the 9th), which is an hour short.
    new_york = StudySettings(timezone="America/New_York")
    start, end = day_start(date(2025, 3, 8), new_york), day_end(date(2025, 3, 8), new_york)
    assert start == datetime(2025, 3, 8, 9, 0, tzinfo=UTC)  # 04:00 EST
    assert end == datetime(2025, 3, 9, 8, 0, tzinfo=UTC)  # 04:00 EDT
    assert end - start == timedelta(hours=23)
    assert study_day(end - timedelta(seconds=1), new_york) == date(2025, 3, 8)
    assert study_day(end, new_york) == date(2025, 3, 9)


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        study_day(datetime(2025, 3, 4, 12, 0), SEOUL)
