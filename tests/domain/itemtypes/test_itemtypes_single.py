import json
from random import Random

import pytest

from quizzes.domain.itemtypes import single, truefalse
from quizzes.domain.itemtypes.base import NO_ANSWER, Grade

POST = {
    "options": [
        {"text": "Deputy ambassador in London", "correct": True, "why": "He was number two."},
        {"text": "Ambassador in London", "correct": False, "why": "That was his boss."},
        {"text": "Consul in Geneva", "correct": False},
        {"text": "Envoy to the UN in New York", "correct": False},
    ]
}
RIGHT = "Deputy ambassador in London"


def shown(seed=3):
    return single.present(POST, Random(seed))


def answer(view, text):
    return single.parse_response(view, {"answer": [str(view["options"].index(text))]})


def test_view_holds_only_the_option_texts_shuffled():
    view, key = shown()
    assert view == {
        "options": [
            "Envoy to the UN in New York",
            "Deputy ambassador in London",
            "Consul in Geneva",
            "Ambassador in London",
        ]
    }
    assert key == {
        "correct": 1,
        "why": ["", "He was number two.", "", "That was his boss."],
        "order": [3, 0, 2, 1],
    }
    assert "correct" not in json.dumps(view) and "why" not in json.dumps(view)


def test_same_seed_same_view_and_key():
    assert shown(11) == shown(11)
    assert json.loads(json.dumps(shown(11))) == list(shown(11))


def test_right_option_is_correct_and_a_wrong_one_is_not():
    view, key = shown()
    assert single.grade(view, key, answer(view, RIGHT)) == Grade(1.0, True)
    assert single.grade(view, key, answer(view, "Consul in Geneva")) == Grade(0.0, False)


def test_no_answer_scores_zero_with_a_note():
    view, key = shown()
    assert single.parse_response(view, {}) is None
    assert (
        single.grade(view, key, None) == NO_ANSWER == Grade(0.0, False, notes=("No answer given.",))
    )


@pytest.mark.parametrize(
    "form",
    [
        {"answer": ["4"]},
        {"answer": ["-1"]},
        {"answer": ["one"]},
        {"answer": ["1.0"]},
        {"answer": ["", " "]},
        {"answer": []},
        {"answer": "not a list"},
        {"answer": [None, 3]},
        {"other": ["1"]},
        [],
        None,
    ],
)
def test_parse_response_returns_none_for_garbage(form):
    view, _ = shown()
    assert single.parse_response(view, form) is None


def test_parse_response_takes_the_first_valid_index():
    view, _ = shown()
    assert single.parse_response(view, {"answer": ["9", " 2 ", "1"]}) == 2


@pytest.mark.parametrize("response", ["1", 1.0, True, -1, 4, [1], {"a": 1}])
def test_grade_treats_a_malformed_response_as_no_answer(response):
    view, key = shown()
    assert single.grade(view, key, response) == NO_ANSWER


def test_describe():
    view, key = shown()
    assert single.describe_key(view, key) == RIGHT
    assert single.describe_response(view, 2) == "Consul in Geneva"
    assert single.describe_response(view, None) == "No answer"


def test_valid_item_has_no_problems():
    assert single.validate("Which post?", POST) == []


@pytest.mark.parametrize(
    ("prompt", "data", "problems"),
    [
        (
            "Which?",
            {"options": [{"text": "A", "correct": True}, {"text": "B", "correct": True}]},
            ["A single-choice item needs exactly one right answer; this one has 2"],
        ),
        (
            "Which?",
            {"options": [{"text": "A", "correct": False}, {"text": "B", "correct": False}]},
            ["A single-choice item needs exactly one right answer; this one has 0"],
        ),
        (
            "Which?",
            {"options": [{"text": "A", "correct": True}]},
            ["A single-choice item needs at least 2 options; this one has 1"],
        ),
        (
            "Which?",
            {
                "options": [
                    {"text": "Consul", "correct": True},
                    {"text": " consul!", "correct": False},
                ]
            },
            ["The option ' consul!' is listed twice"],
        ),
        (
            "Which?",
            {"options": [{"text": "A", "correct": True}, {"text": "  ", "correct": False}]},
            ["Every option needs text"],
        ),
        (
            "",
            {"options": [{"text": "A", "correct": True}, {"text": "B"}]},
            ["The question has no prompt"],
        ),
        ("Which?", {"options": "A, B"}, ["A single-choice item needs a list of options"]),
        ("Which?", None, ["A single-choice item needs a list of options"]),
    ],
)
def test_validate_messages(prompt, data, problems):
    assert single.validate(prompt, data) == problems


def test_options_of_punctuation_alone_are_told_apart():
    # Moodle's sample asks which control character GIFT escapes: "=", "#", "{", ...
    marks = [{"text": text, "correct": text == "\\"} for text in ("~", "=", "#", "{", "}", "\\")]
    assert single.validate("Which one?", {"options": marks}) == []
    again = [*marks, {"text": " = ", "correct": False}]
    assert single.validate("Which one?", {"options": again}) == ["The option ' = ' is listed twice"]


# -- true/false ---------------------------------------------------------------------------


def test_truefalse_grades_the_statement():
    view, key = truefalse.present({"answer": False}, Random(1))
    assert view == {}
    assert key == {"answer": False}
    assert truefalse.parse_response(view, {"answer": ["FALSE"]}) is False
    assert truefalse.grade(view, key, False) == Grade(1.0, True)
    assert truefalse.grade(view, key, True) == Grade(0.0, False)
    assert truefalse.grade(view, key, None) == NO_ANSWER
    assert truefalse.grade(view, key, "false") == NO_ANSWER
    assert truefalse.describe_key(view, key) == "False"
    assert truefalse.describe_response(view, True) == "True"


@pytest.mark.parametrize("form", [{}, {"answer": ["yes"]}, {"answer": ["1"]}, {"answer": []}])
def test_truefalse_parse_rejects_anything_but_true_or_false(form):
    assert truefalse.parse_response({}, form) is None


def test_truefalse_validate():
    assert truefalse.validate("Ri Il-gyu defected in 2023.", {"answer": True}) == []
    assert truefalse.validate("Ri Il-gyu defected.", {"answer": "true"}) == [
        "A true/false item needs an answer of true or false"
    ]
