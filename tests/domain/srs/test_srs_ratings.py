import pytest
from fsrs import Rating

from quizzes.domain.srs import rating_from_quiz


@pytest.mark.parametrize(
    ("correct", "typo_forgiven", "score", "expected"),
    [
        (True, False, 1.0, Rating.Good),
        (True, True, 1.0, Rating.Hard),
        (False, False, 0.0, Rating.Again),
        (False, False, 0.49, Rating.Again),
        (False, False, 0.5, Rating.Hard),
        (False, False, 0.75, Rating.Hard),
        (False, True, 0.5, Rating.Hard),  # cloze: one blank typo-forgiven, one wrong
        (False, True, 0.25, Rating.Again),
    ],
)
def test_quiz_grade_maps_to_rating(correct, typo_forgiven, score, expected):
    assert rating_from_quiz(correct, typo_forgiven, score) is expected


def test_a_quiz_never_rates_easy():
    ratings = {
        rating_from_quiz(c, t, s / 10)
        for c in (True, False)
        for t in (True, False)
        for s in range(11)
    }
    assert Rating.Easy not in ratings


@pytest.mark.parametrize("score", [-0.1, 1.5])
def test_score_outside_0_1_is_refused(score):
    with pytest.raises(ValueError, match="score must be between 0 and 1"):
        rating_from_quiz(False, False, score)
