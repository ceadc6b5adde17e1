from random import Random

import pytest

from quizzes.domain.itemtypes import numeric
from quizzes.domain.itemtypes.base import NO_ANSWER, Grade

ARRIVALS = {"answers": [{"value": 1822, "tolerance": 0, "fraction": 1.0}], "unit": "people"}


def grade(data, typed):
    view, key = numeric.present(data, Random(0))
    return numeric.grade(view, key, numeric.parse_response(view, {"answer": [typed]}))


@pytest.mark.parametrize(
    "typed", ["1822", "1,822", "1 822", "1822.0", " 1822 people", "1822People", "1\u202f822"]
)
def test_separators_and_the_unit_are_accepted(typed):
    assert grade(ARRIVALS, typed) == Grade(1.0, True)


@pytest.mark.parametrize("typed", ["1821", "1,823", "18220", "-1822"])
def test_other_numbers_are_wrong(typed):
    assert grade(ARRIVALS, typed) == Grade(0.0, False)


@pytest.mark.parametrize("typed", ["about 1800", "1,82,2", "many"])
def test_a_non_number_scores_zero_with_a_note(typed):
    assert grade(ARRIVALS, typed) == Grade(0.0, False, notes=(f"'{typed}' is not a number.",))


@pytest.mark.parametrize(
    ("typed", "score"),
    [("105", 1.0), ("95", 1.0), ("100", 1.0), ("105.01", 0.0), ("94.99", 0.0)],
)
def test_tolerance_is_inclusive(typed, score):
    data = {"answers": [{"value": 100, "tolerance": 5, "fraction": 1}], "unit": ""}
    assert grade(data, typed).score == score


@pytest.mark.parametrize(("typed", "score"), [("0.4", 1.0), ("0,2", 1.0), ("0.41", 0.0)])
def test_tolerance_edges_survive_binary_floats(typed, score):
    data = {"answers": [{"value": 0.3, "tolerance": 0.1, "fraction": 1}]}
    assert grade(data, typed).score == score


def test_unicode_minus_and_decimal_comma():
    data = {"answers": [{"value": -3.5, "tolerance": 0, "fraction": 1}]}
    assert grade(data, "\u22123,5") == Grade(1.0, True)


def test_best_fraction_wins():
    data = {
        "answers": [
            {"value": 2016, "tolerance": 0, "fraction": 1.0},
            {"value": 2016, "tolerance": 1, "fraction": 0.5},
        ]
    }
    assert grade(data, "2016") == Grade(1.0, True)
    assert grade(data, "2017") == Grade(0.5, False)
    assert grade(data, "2018") == Grade(0.0, False)


def test_no_answer():
    view, key = numeric.present(ARRIVALS, Random(0))
    assert numeric.parse_response(view, {"answer": [" "]}) is None
    assert numeric.grade(view, key, None) == NO_ANSWER
    assert numeric.grade(view, key, 1822) == NO_ANSWER


def test_view_shows_only_the_unit_and_describe():
    view, key = numeric.present(ARRIVALS, Random(0))
    assert view == {"unit": "people"}
    assert key == {"answers": [{"value": 1822.0, "tolerance": 0.0, "fraction": 1.0}]}
    assert numeric.describe_key(view, key) == "1822 people"
    assert numeric.describe_response(view, "1,822") == "1,822"
    data = {
        "answers": [
            {"value": 0.5, "tolerance": 0.05, "fraction": 1},
            {"value": 50, "tolerance": 5, "fraction": 1},
            {"value": 1, "tolerance": 0, "fraction": 0.5},
        ]
    }
    view, key = numeric.present(data, Random(0))
    assert view == {"unit": ""}
    assert numeric.describe_key(view, key) == "0.5 ± 0.05 or 50 ± 5"


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        (
            {"answers": [{"value": 3, "tolerance": -1, "fraction": 1}]},
            ["Tolerance cannot be negative"],
        ),
        (
            {"answers": [{"value": 3, "tolerance": 0, "fraction": 0.5}]},
            ["A numeric item needs an answer worth full marks"],
        ),
        ({"answers": []}, ["A numeric item needs at least one answer"]),
        ({"answers": [{"value": "3", "fraction": 1}]}, ["Every answer needs a numeric value"]),
        ({"answers": [{"value": float("nan")}]}, ["Every answer needs a numeric value"]),
        ({"answers": [{"value": 3}], "unit": 5}, ["The unit must be text"]),
    ],
)
def test_validate_messages(data, problems):
    assert numeric.validate("How many?", data) == problems


def test_valid_item():
    assert numeric.validate("How many?", ARRIVALS) == []
