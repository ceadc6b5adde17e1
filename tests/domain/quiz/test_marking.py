"""An attempt's score while answers await a teacher's mark: never a part score for the whole."""

import pytest

from quizzes.domain.marking import marking_of


def test_pending_answers_count_neither_as_right_nor_as_zero():
    marking = marking_of([1.0, 0.5, None, 0.0, None])
    assert (marking.points, marking.marked, marking.pending, marking.questions) == (1.5, 3, 2, 5)
    assert not marking.complete and marking.score is None


def test_once_everything_is_marked_the_score_is_the_mean():
    marking = marking_of([1.0, 0.5, 0.75])
    assert marking.complete and marking.score == pytest.approx(0.75)
    assert marking_of([]).score == 0.0
