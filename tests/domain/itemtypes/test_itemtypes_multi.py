import json
from random import Random

import pytest

from quizzes.domain.itemtypes import multi
from quizzes.domain.itemtypes.base import NO_ANSWER, Grade

TACTICS = {
    "options": [
        {"text": "Boycotting sessions", "correct": True},
        {"text": "Walking out", "correct": True},
        {"text": "Inviting a UN inspection", "correct": False},
        {"text": "Joining the Human Rights Council", "correct": False},
    ]
}


def tick(view, *texts):
    return multi.parse_response(view, {"answer": [str(view["options"].index(t)) for t in texts]})


@pytest.fixture
def shown():
    return multi.present(TACTICS, Random(5))


def test_view_has_texts_only_and_key_has_default_weights(shown):
    view, key = shown
    assert sorted(view["options"]) == sorted(o["text"] for o in TACTICS["options"])
    assert set(view) == {"options"}
    right = {view["options"][i] for i in key["correct"]}
    assert right == {"Boycotting sessions", "Walking out"}
    weights = dict(zip(view["options"], key["weights"], strict=True))
    assert weights == {
        "Boycotting sessions": 0.5,
        "Walking out": 0.5,
        "Inviting a UN inspection": -0.5,
        "Joining the Human Rights Council": -0.5,
    }
    assert "weight" not in json.dumps(view)


def test_same_seed_same_view(shown):
    assert multi.present(TACTICS, Random(5)) == shown


@pytest.mark.parametrize(
    ("ticked", "score"),
    [
        (["Boycotting sessions", "Walking out"], 1.0),
        (["Boycotting sessions"], 0.5),
        (["Boycotting sessions", "Inviting a UN inspection"], 0.0),
        (["Boycotting sessions", "Walking out", "Inviting a UN inspection"], 0.5),
        (["Inviting a UN inspection"], 0.0),  # floored at 0, not -0.5
        ([o["text"] for o in TACTICS["options"]], 0.0),  # ticking everything
    ],
)
def test_partial_credit(shown, ticked, score):
    view, key = shown
    grade = multi.grade(view, key, tick(view, *ticked))
    assert grade == Grade(score, score == 1.0)


def test_three_right_options_add_up_to_exactly_one():
    data = {"options": [{"text": t, "correct": t != "D"} for t in "ABCD"]}
    view, key = multi.present(data, Random(1))
    assert multi.grade(view, key, tick(view, "A", "B", "C")) == Grade(1.0, True)
    assert multi.grade(view, key, tick(view, "A", "B")).score == pytest.approx(2 / 3)
    assert multi.grade(view, key, tick(view, "A", "B", "C", "D")) == Grade(0.0, False)


def test_explicit_weights_are_used_and_capped():
    data = {
        "options": [
            {"text": "A", "correct": True, "weight": 0.7},
            {"text": "B", "correct": True, "weight": 0.3},
            {"text": "C", "correct": False, "weight": -0.2},
            {"text": "D", "correct": False, "weight": -1.0},
        ]
    }
    assert multi.validate("Which?", data) == []
    view, key = multi.present(data, Random(2))
    assert multi.grade(view, key, tick(view, "A")).score == pytest.approx(0.7)
    assert multi.grade(view, key, tick(view, "A", "C")).score == pytest.approx(0.5)
    assert multi.grade(view, key, tick(view, "A", "D")) == Grade(0.0, False)


def test_nothing_ticked_is_no_answer(shown):
    view, key = shown
    assert multi.parse_response(view, {"answer": []}) is None
    assert multi.parse_response(view, {}) is None
    assert multi.grade(view, key, None) == NO_ANSWER
    assert multi.grade(view, key, []) == NO_ANSWER


def test_parse_response_sanitises(shown):
    view, _ = shown
    form = {"answer": ["3", "3", "x", "7", "-1", " 0 ", "1.5"]}
    assert multi.parse_response(view, form) == [0, 3]


def test_grade_ignores_garbage_in_a_stored_response(shown):
    view, key = shown
    right = key["correct"]
    assert multi.grade(view, key, [*right, *right, 99, "1", True]) == Grade(1.0, True)
    assert multi.grade(view, key, "0,1") == NO_ANSWER


def test_describe(shown):
    view, key = shown
    assert multi.describe_key(view, key) == "; ".join(view["options"][i] for i in key["correct"])
    assert multi.describe_response(view, tick(view, "Walking out")) == "Walking out"
    assert multi.describe_response(view, None) == "No answer"


def options(*specs):
    return {"options": [dict(zip(("text", "correct"), spec, strict=True)) for spec in specs]}


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        (
            options(("A", False), ("B", False), ("C", False)),
            ["A multiple-response item needs at least one right answer"],
        ),
        (
            options(("A", True), ("B", True), ("C", True)),
            ["A multiple-response item needs at least one wrong option"],
        ),
        (
            options(("A", True), ("B", False)),
            ["A multiple-response item needs at least 3 options; this one has 2"],
        ),
        (
            options(("A", True), ("B", False), ("b.", False)),
            ["The option 'b.' is listed twice"],
        ),
        (
            {
                "options": [
                    {"text": "A", "correct": True, "weight": 0.5},
                    {"text": "B", "correct": False},
                    {"text": "C", "correct": False},
                ]
            },
            ["Give every option a weight, or none"],
        ),
        (
            {
                "options": [
                    {"text": "A", "correct": True, "weight": 1.5},
                    {"text": "B", "correct": False, "weight": -1},
                    {"text": "C", "correct": False, "weight": -1},
                ]
            },
            ["Weights must be numbers between -1 and 1"],
        ),
        (
            {
                "options": [
                    {"text": "A", "correct": True, "weight": 0.5},
                    {"text": "B", "correct": True, "weight": 0.25},
                    {"text": "C", "correct": False, "weight": -1},
                ]
            },
            ["The weights of the right options add up to 0.75, not 1"],
        ),
        (
            {
                "options": [
                    {"text": "A", "correct": True, "weight": 1},
                    {"text": "B", "correct": False, "weight": 0.5},
                    {"text": "C", "correct": False, "weight": -1},
                ]
            },
            [
                "The option 'B' needs a positive weight if and only if it is right",
                "The weights of the right options add up to 1.5, not 1",
            ],
        ),
    ],
)
def test_validate_messages(data, problems):
    assert multi.validate("Which?", data) == problems
