"""Marks typed by a teacher, regrade plans and the per-question CSV: pure functions."""

from __future__ import annotations

import csv
import io

import pytest

from quizzes.domain import marking
from quizzes.domain.marking import (
    AWAITING_GRADING,
    AnswerToRegrade,
    QuestionColumn,
    StudentMarks,
    plan_regrade,
    question_marks_csv,
    read_points,
)


@pytest.mark.parametrize(
    ("typed", "maximum", "score"),
    [
        ("1", 1, 1.0),
        ("0", 1, 0.0),
        ("0.5", 1, 0.5),
        ("0,5", 1, 0.5),  # a decimal comma
        (" 3 ", 4, 0.75),
        ("１", 1, 1.0),  # full-width digits, as a phone keyboard may send them
        ("2.499", 5, 0.5),  # kept to two decimals: 2.5 of 5
    ],
)
def test_points_read_as_a_score(typed, maximum, score):
    assert read_points(typed, maximum) == marking.PointsRead(score=score)


@pytest.mark.parametrize(
    "typed", ["", "  ", None, "abc", "1e3", "inf", "nan", "-0.5", "1.01", "9" * 41, "1/2"]
)
def test_anything_else_is_a_message_and_no_score(typed):
    read = read_points(typed, 1)
    assert read.score is None and "from 0 to 1" in read.error


def test_points_text_and_score_text():
    assert marking.points_text(2.0) == "2" and marking.points_text(2.5) == "2.5"
    assert marking.points_text(1 / 3) == "0.33"
    assert marking.score_text(0.75, 4) == "3 of 4"
    assert marking.score_text(None, 4) == "not marked"


def test_an_item_is_worth_one_point_unless_its_key_says_otherwise():
    assert marking.max_points({"type": "truefalse", "view": {}, "key": {"answer": True}}) == 1.0
    assert marking.max_points({"type": "essay", "view": {}, "key": {"max_points": 5}}) == 5.0
    for odd in (0, -2, float("nan"), float("inf"), True, "5", None):
        assert marking.max_points({"key": {"max_points": odd}}) == 1.0
    assert marking.max_points({"type": "no such type"}) == 1.0


def _answer(attempt, item, name, old, new, by_hand=False):
    return AnswerToRegrade(attempt, item, name, old, new, by_hand)


def test_a_plan_sorts_answers_into_changes_kept_stale_and_unchanged():
    answers = [
        _answer(1, 11, "ben", 0.0, 1.0),
        _answer(2, 21, "Ana", 1.0, 0.0),
        _answer(3, 31, "cy", 1.0, 0.0, by_hand=True),
        _answer(4, 41, "dee", 1.0, None),  # the question shown changed since
        _answer(5, 51, "eve", 0.5, 0.5),
    ]
    scores = {1: [1.0, 0.0, 1.0], 2: [1.0, 1.0, 0.0], 3: [1.0], 4: [1.0], 5: [0.5]}
    positions = {11: 1, 21: 0, 31: 0, 41: 0, 51: 0}
    plan = plan_regrade(answers, scores, positions)
    assert [a.student for a in plan.changes] == ["ben", "Ana"]
    assert [a.student for a in plan.kept_by_hand] == ["cy"]
    assert [a.student for a in plan.not_regradable] == ["dee"]
    assert plan.unchanged == 1 and not plan.empty
    # Totals by name, case aside; as points over the attempt's items.
    assert [t.as_points() for t in plan.totals] == ["Ana 2 → 1 of 3", "ben 2 → 3 of 3"]


def test_a_plan_with_nothing_to_change_is_empty():
    plan = plan_regrade([_answer(1, 11, "ana", 1.0, 1.0)], {1: [1.0]}, {11: 0})
    assert plan.empty and plan.totals == () and plan.unchanged == 1


def test_the_csv_names_each_question_and_marks_answers_awaiting_grading():
    long_prompt = "Explain " + "why " * 30 + "it matters."
    columns = [
        QuestionColumn("a", "Which year?", 1.0),
        QuestionColumn("b", long_prompt, 4.0),
    ]
    rows = [
        StudentMarks("ana", 0.625, {"a": 1.0, "b": None}),
        StudentMarks("=HYPERLINK(1)", 0.5, {"a": 0.0, "b": 0.75}),
        StudentMarks("ben", None, {}),
        StudentMarks("cy", 1.0, {"a": 1.0}),  # drew only item a
    ]
    text = question_marks_csv(columns, rows)
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header = table[0]
    assert header[:3] == ["student", "total (%)", "Q1: Which year? (1 pt)"]
    assert header[3].startswith("Q2: Explain why why") and header[3].endswith("… (4 pt)")
    assert len(header[3]) <= len("Q2: ") + marking.HEADER_PROMPT_CHARS + len(" (4 pt)")
    assert table[1] == ["ana", "62.5", "1", AWAITING_GRADING]
    assert table[2] == ["'=HYPERLINK(1)", "50", "0", "3"]
    assert table[3] == ["ben", "", "", ""]
    assert table[4] == ["cy", "100", "1", ""]
