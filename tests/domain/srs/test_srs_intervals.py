from datetime import timedelta

import pytest

from quizzes.domain.srs import format_interval

DAY = 86400


# Each label was checked against Anki 26.9.3's own answer-button formatter
# (Collection.format_timespan(seconds, FormatTimeSpan.ANSWER_BUTTONS)).
@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (0, "0s"),
        (0.5, "1s"),
        (30, "30s"),
        (59.6, "60s"),
        (60, "1m"),
        (89, "1m"),
        (90, "2m"),
        (330, "6m"),
        (600, "10m"),
        (3599, "60m"),
        (3600, "1h"),
        (5400, "1.5h"),
        (1.25 * 3600, "1.3h"),
        (DAY - 1, "24h"),
        (DAY, "1d"),
        (1.5 * DAY, "2d"),
        (2.5 * DAY, "3d"),
        (11 * DAY, "11d"),
        (30.4 * DAY, "30d"),
        (31 * DAY, "1mo"),
        (46 * DAY, "1.5mo"),
        (90 * DAY, "3mo"),
        (163 * DAY, "5.4mo"),
        (364 * DAY, "12mo"),
        (365 * DAY, "1y"),
        (438 * DAY, "1.2y"),
        (36500 * DAY, "100y"),
    ],
)
def test_format_interval_like_anki(seconds, label):
    assert format_interval(timedelta(seconds=seconds)) == label


def test_negative_interval_is_refused():
    with pytest.raises(ValueError, match="negative"):
        format_interval(timedelta(seconds=-1))
