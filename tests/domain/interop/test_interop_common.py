"""Shared helpers: exact number text, the item check, defaults for weights."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.domain.interop.common import (
    ExportIssue,
    check_item,
    default_multi_weights,
    drop_default_weights,
    export_problem,
    number_text,
    parse_number,
    parse_percent,
    percent_text,
)
from quizzes.domain.itemtypes import ITEM_TYPES


@given(st.floats(-1, 1))
def test_percent_text_reads_back_exactly(fraction):
    assert parse_percent(percent_text(fraction)) == fraction


@pytest.mark.parametrize(
    ("fraction", "text"),
    [(0.5, "50"), (-1.0, "-100"), (0.0, "0"), (0.25, "25"), (1 / 3, "33.33333333333333")],
)
def test_percent_text_is_short(fraction, text):
    assert percent_text(fraction) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_text_reads_back_exactly_without_exponent(value):
    text = number_text(value)
    assert "e" not in text.lower()
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "1e99999", "nan", "inf", "1,5", "--1", "0x10"])
def test_parse_number_refuses(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_default_weights_and_dropping_them():
    options = [
        {"text": "a", "correct": True, "weight": 0.3333333},
        {"text": "b", "correct": True, "weight": 0.3333333},
        {"text": "c", "correct": True, "weight": 0.3333333},
        {"text": "d", "correct": False, "weight": -1.0},
    ]
    assert default_multi_weights(options) == [1 / 3, 1 / 3, 1 / 3, -1.0]
    drop_default_weights(options)
    assert all("weight" not in o for o in options)
    kept = [
        {"text": "a", "correct": True, "weight": 1.0},
        {"text": "b", "correct": False, "weight": 0.0},
        {"text": "c", "correct": False, "weight": 0.0},
    ]
    drop_default_weights(kept)
    assert [o["weight"] for o in kept] == [1.0, 0.0, 0.0]


def item(item_type, data, **fields):
    base = {
        "key": "",
        "type": item_type,
        "prompt": "Q?",
        "data": data,
        "explanation": "",
        "sources": [],
        "topics": [],
        "difficulty": 0.5,
        "fact_ids": [],
    }
    return {**base, **fields}


@pytest.mark.parametrize(
    ("bad", "problems"),
    [
        (
            [],
            [
                "a question must be an object with the fields key, type, prompt, data, "
                "explanation, sources, topics, difficulty, fact_ids"
            ],
        ),
        (
            item("single", {"options": [{"text": "a", "correct": True}]}, extra=1),
            [
                "unknown field(s): extra",
                "a single-choice question needs at least 2 options, not 1",
            ],
        ),
        (
            item(
                "single",
                {"options": [{"text": "a", "correct": True}, {"text": " a ", "correct": True}]},
            ),
            [
                "options repeat: 'a'",
                "a single-choice question needs exactly one right option, not 2",
            ],
        ),
        (
            item(
                "multi",
                {
                    "options": [
                        {"text": "a", "correct": True, "weight": -0.5},
                        {"text": "b", "correct": False},
                        {"text": "c", "correct": False},
                    ]
                },
            ),
            [
                "either every option has a weight or none has",
                "option 1: a right option needs a positive weight, a wrong one not",
            ],
        ),
        (item("truefalse", {"answer": "yes"}), ["'answer' must be true or false"]),
        (
            item("short", {"answers": [{"text": "a", "fraction": 0.5}]}),
            ["no answer gives full credit"],
        ),
        (
            item("numeric", {"answers": [{"value": 1, "tolerance": -1, "fraction": 1}]}),
            ["data lacks unit", "answer 1: 'tolerance' must be a number of 0 or more"],
        ),
        (
            item("ordering", {"items": ["a", "b"]}),
            ["an ordering question needs at least 3 items, not 2"],
        ),
        (
            item("matching", {"pairs": [{"left": "a", "right": ""}], "distractors": []}),
            ["pair 1 has no right-hand text", "a matching question needs at least 2 pairs, not 1"],
        ),
        (
            item("cloze", {"text": "{1} and {3}", "blanks": [{"answers": ["a"]}, {"answers": []}]}),
            [
                "blank 2 needs at least one non-empty answer",
                "the text must mark each of the 2 blank(s) once as {1}, {2}...; it marks {1}, {3}",
            ],
        ),
        (
            item("drawing", {}, prompt=" ", difficulty=True, topics="x"),
            [
                "unknown question type 'drawing'; known: " + ", ".join(ITEM_TYPES),
                "the question text is empty",
                "'topics' must be a list of texts",
                "'difficulty' must be a number from 0 to 1",
            ],
        ),
    ],
)
def test_check_item_names_each_problem(bad, problems):
    assert check_item(bad) == problems


def test_export_issue_text():
    assert str(ExportIssue(2, "k.1", "GIFT has no ordering questions", True)) == (
        "item 3 (k.1): GIFT has no ordering questions"
    )
    assert str(ExportIssue(0, "", "x", False)) == "item 1: x"


def test_check_item_knows_the_romanised_flag_of_short_answers_and_clozes():
    answers = {"answers": [{"text": "Tae Yong-ho", "fraction": 1.0}]}
    cloze = {"text": "Defected: {1}.", "blanks": [{"answers": ["Tae Yong-ho"]}]}
    assert check_item(item("short", {**answers, "romanised": True})) == []
    assert check_item(item("cloze", {**cloze, "romanised": False})) == []
    assert check_item(item("short", {**answers, "romanised": "yes"})) == [
        "'romanised' must be true or false"
    ]
    assert check_item(item("single", {"options": [], "romanised": True}))[0] == (
        "data has unknown field(s) romanised"
    )


def test_export_problem_speaks_to_teachers():
    fine = item("truefalse", {"answer": True})
    assert export_problem(fine) == ""
    # What the teacher can fix is said the way the editor says it.
    no_right = item(
        "single",
        {"options": [{"text": "Seoul", "correct": False}, {"text": "Busan", "correct": False}]},
    )
    assert export_problem(no_right) == (
        "fix it first: a single-choice item needs exactly one right answer; this one has 0"
    )
    # A shape the exporters do not know is Quizdeck's fault, and no field name shows.
    unknown = item("truefalse", {"answer": True, "colour": "red"})
    assert export_problem(unknown) == (
        "Quizdeck cannot write this question to a file yet; this is a fault in Quizdeck, "
        "not in the question (please report it)"
    )


def test_check_item_accepts_a_level_and_names_an_unknown_one():
    answers = {"answers": [{"text": "Tae Yong-ho", "fraction": 1.0}]}
    assert check_item({**item("short", answers), "level": "analyse"}) == []
    assert check_item({**item("short", answers), "level": "expert"}) == [
        "'level' must be one of remember, understand, analyse"
    ]


def test_a_short_answer_may_carry_the_hangul_of_a_bank_name():
    from quizzes.domain.interop.common import check_item

    def item(hangul):
        answer = {"text": "Ri Il-gyu", "fraction": 1.0, "hangul": hangul}
        fields = {"key": "", "explanation": "", "sources": [], "topics": [], "fact_ids": []}
        data = {"answers": [answer]}
        return {"type": "short", "prompt": "Who?", "data": data, "difficulty": 0.5, **fields}

    assert check_item(item("리일규")) == []
    assert check_item(item("Ri")) == ["answer 1: 'hangul' must be a name written in Hangul"]
