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


def test_the_gradebook_tells_an_attempt_awaiting_marks_from_one_in_progress():
    from datetime import UTC, datetime

    from quizzes.domain.assignments import AttemptResult, Column, GradePolicy, build_gradebook

    moment = datetime(2026, 3, 1, tzinfo=UTC)
    results = [
        AttemptResult(1, 10, moment, moment, None),  # submitted, an essay unmarked
        AttemptResult(1, 10, moment, moment, 0.5),
        AttemptResult(2, 10, moment, None, None),  # still open
    ]
    book = build_gradebook(
        [(1, "ana"), (2, "bo")], [Column(10, "Unit", None)], results, GradePolicy.BEST
    )
    ana, bo = (row.cells[0] for row in book.rows)
    assert (ana.score, ana.awaiting_grading, ana.in_progress) == (0.5, True, False)
    assert (bo.score, bo.awaiting_grading, bo.in_progress) == (None, False, True)
