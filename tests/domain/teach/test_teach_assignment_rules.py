"""When an assignment can be taken, how long an attempt may last, which attempt counts."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from quizzes.domain.assignments import (
    AttemptResult,
    Availability,
    Column,
    GradePolicy,
    attempt_seconds,
    availability,
    build_gradebook,
    counted_attempt,
    counted_score,
    gradebook_csv,
    start_refusal,
)

OPENS = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (OPENS - timedelta(seconds=1), Availability.UPCOMING),
        (OPENS, Availability.OPEN),
        (DUE - timedelta(seconds=1), Availability.OPEN),
        (DUE, Availability.CLOSED),
    ],
)
def test_availability(now, state):
    assert availability(OPENS, DUE, now) is state


def test_no_due_date_stays_open():
    assert availability(OPENS, None, OPENS + timedelta(days=999)) is Availability.OPEN


def test_start_refusals_say_why():
    during = OPENS + timedelta(days=1)
    assert start_refusal(OPENS, DUE, None, 7, during) is None
    assert start_refusal(OPENS, DUE, 2, 1, during) is None
    assert (
        start_refusal(OPENS, DUE, 2, 2, during)
        == "You have used all 2 attempts of this assignment."
    )
    assert start_refusal(OPENS, DUE, 1, 1, during) == (
        "You have used the one attempt this assignment allows."
    )
    assert start_refusal(OPENS, DUE, None, 0, OPENS - timedelta(hours=1)) == (
        "This assignment has not opened yet."
    )
    assert start_refusal(OPENS, DUE, None, 0, DUE) == "This assignment is past its due date."


def test_attempt_time_is_the_limit_cut_short_by_the_due_date():
    assert attempt_seconds(None, DUE, OPENS) is None
    assert attempt_seconds(20, None, OPENS) == 1200
    assert attempt_seconds(20, DUE, OPENS) == 1200
    assert attempt_seconds(20, DUE, DUE - timedelta(minutes=5)) == 300
    assert attempt_seconds(20, DUE, DUE - timedelta(seconds=0.2)) == 1


def result(student, score, minutes, assignment=1):
    started = OPENS + timedelta(minutes=minutes)
    submitted = None if score is None else started + timedelta(minutes=10)
    return AttemptResult(student, assignment, started, submitted, score)


def test_counted_attempt_best_or_last():
    attempts = [result(1, 0.6, 0), result(1, 0.9, 60), result(1, 0.9, 120), result(1, 0.4, 180)]
    assert counted_attempt(attempts, GradePolicy.BEST) == attempts[1]  # the earlier of the ties
    assert counted_attempt(attempts, GradePolicy.LAST) == attempts[3]
    assert counted_attempt([result(1, None, 0)], GradePolicy.BEST) is None


def test_gradebook_rows_columns_late_and_in_progress():
    columns = [Column(1, "Week 1", DUE), Column(2, "Week 2", None)]
    late_start = (DUE - OPENS).total_seconds() / 60  # submitted 10 minutes after the due date
    results = [
        result(10, 0.5, 0),
        result(10, 1.0, late_start),
        result(10, 0.75, 0, assignment=2),
        result(11, None, 5),
    ]
    best = build_gradebook([(10, "ana"), (11, "ben")], columns, results, GradePolicy.BEST)
    ana, ben = best.rows
    assert [cell.percent for cell in ana.cells] == ["100%", "75%"]
    assert ana.cells[0].late and ana.cells[0].attempts == 2
    assert ana.average == pytest.approx(0.875)
    assert ben.cells[0].score is None and ben.cells[0].in_progress and ben.cells[0].attempts == 1
    assert ben.average is None
    assert best.column_average(0) == 1.0 and best.column_average(1) == 0.75

    first_counts = build_gradebook([(10, "ana")], columns[:1], results[:1], GradePolicy.LAST)
    assert first_counts.rows[0].cells[0].late is False


def test_gradebook_csv():
    columns = [Column(1, "Week 1", DUE), Column(2, "Week, two", None)]
    results = [result(10, 2 / 3, 0), result(10, 1.0, 0, assignment=2)]
    book = build_gradebook([(10, "ana"), (11, "ben")], columns, results, GradePolicy.BEST)
    assert gradebook_csv(book) == (
        "\ufeffstudent,Week 1 (%),Week 1 (attempts),Week 1 (late),"
        '"Week, two (%)","Week, two (attempts)","Week, two (late)",average (%)\r\n'
        "ana,66.7,1,,100,1,,83.3\r\n"
        "ben,,0,,,0,,\r\n"
    )


def test_gradebook_csv_never_hands_a_spreadsheet_a_formula():
    columns = [Column(1, '=HYPERLINK("http://x")', DUE)]
    book = build_gradebook(
        [(10, "@SUM(A1)"), (11, "-ana"), (12, "ben")],
        columns,
        [result(12, 0.5, 0)],
        GradePolicy.BEST,
    )
    lines = gradebook_csv(book).removeprefix("\ufeff").splitlines()
    assert lines[0].startswith('student,"\'=HYPERLINK(""http://x"")')
    assert [line.split(",")[0] for line in lines[1:]] == ["'@SUM(A1)", "'-ana", "ben"]


def test_first_and_average_count_as_moodle_grading_methods():
    attempts = [result(1, 0.5, 10), result(1, 1.0, 20), result(1, 0.0, 30)]
    assert counted_attempt(attempts, GradePolicy.FIRST) == attempts[0]
    assert counted_score(attempts, GradePolicy.FIRST, None) == (0.5, False)
    assert counted_score(attempts, GradePolicy.LAST, None) == (0.0, False)
    assert counted_score(attempts, GradePolicy.AVERAGE, None) == (0.5, False)
    # The average counts as late when any attempt in it was handed in late.
    due = attempts[1].submitted_at
    assert counted_score(attempts, GradePolicy.AVERAGE, due) == (0.5, True)
    assert counted_score(attempts, GradePolicy.FIRST, due) == (0.5, False)
    assert counted_score([result(1, None, 5)], GradePolicy.AVERAGE, None) == (None, False)


def test_each_grading_method_skips_an_attempt_awaiting_a_mark():
    """A submitted attempt with no score yet (an essay unmarked) is neither counted nor a 0,
    whatever the method; the cell opens the counted attempt and flags the wait."""
    scored = [replace(result(1, 0.4, 10), attempt_id=1), replace(result(1, 0.8, 20), attempt_id=2)]
    awaiting = replace(result(1, 0.0, 30), score=None, attempt_id=99)  # submitted, unmarked
    attempts = [*scored, awaiting]
    for method, expected in (
        (GradePolicy.BEST, 0.8),
        (GradePolicy.LAST, 0.8),
        (GradePolicy.FIRST, 0.4),
        (GradePolicy.AVERAGE, 0.6),
    ):
        assert counted_score(attempts, method, None) == (pytest.approx(expected), False), method
    columns = [Column(1, "Unit", None, policy=GradePolicy.LAST)]
    (row,) = build_gradebook([(1, "ana")], columns, attempts, None).rows
    (cell,) = row.cells
    assert (cell.score, cell.awaiting_grading, cell.attempt_id) == (0.8, True, 2)
    # Only an attempt awaiting a mark: no score, and the cell opens that attempt.
    (row,) = build_gradebook([(1, "ana")], columns, [awaiting], None).rows
    assert (row.cells[0].score, row.cells[0].attempt_id) == (None, 99)
