import json
from random import Random

import pytest

from quizzes.domain.itemtypes import ordering
from quizzes.domain.itemtypes.base import NO_ANSWER, Grade

EVENTS = {"items": ["Boycott", "Walkout", "First battlefield", "Cables released"]}
THREE = {"items": ["A", "B", "C"]}


def arrange(view, *texts):
    form = {"order": [str(view["items"].index(text)) for text in texts]}
    return ordering.parse_response(view, form)


def test_view_is_never_in_the_correct_order():
    for data in (THREE, EVENTS, {"items": ["A", "B"]}):
        for seed in range(200):
            view, key = ordering.present(data, Random(seed))
            assert view["items"] != data["items"]
            assert sorted(view["items"]) == sorted(data["items"])
            assert [view["items"][i] for i in key["order"]] == data["items"]


def test_same_seed_same_view():
    assert ordering.present(EVENTS, Random(9)) == ordering.present(EVENTS, Random(9))
    view, key = ordering.present(EVENTS, Random(9))
    assert set(view) == {"items"}
    assert "order" not in json.dumps(view)


@pytest.mark.parametrize(
    ("arranged", "score", "pairs_right"),
    [
        ("ABC", 1.0, 3),
        ("BAC", 2 / 3, 2),
        ("ACB", 2 / 3, 2),
        ("BCA", 1 / 3, 1),
        ("CAB", 1 / 3, 1),
        ("CBA", 0.0, 0),
    ],
)
def test_partial_credit_is_the_share_of_pairs_in_order(arranged, score, pairs_right):
    view, key = ordering.present(THREE, Random(1))
    grade = ordering.grade(view, key, arrange(view, *arranged))
    notes = () if score == 1 else (f"{pairs_right} of 3 pairs in the right order.",)
    assert grade == Grade(score, score == 1.0, notes=notes)


def test_four_items_with_one_swap():
    view, key = ordering.present(EVENTS, Random(4))
    response = arrange(view, "Boycott", "Walkout", "Cables released", "First battlefield")
    assert ordering.grade(view, key, response).score == 5 / 6
    assert ordering.describe_key(view, key) == (
        "Boycott → Walkout → First battlefield → Cables released"
    )
    assert ordering.describe_response(view, response) == (
        "Boycott → Walkout → Cables released → First battlefield"
    )


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"order": []},
        {"order": ["0", "1"]},
        {"order": ["0", "1", "1"]},
        {"order": ["0", "1", "3"]},
        {"order": ["a", "b", "c"]},
        {"order": "012"},
    ],
)
def test_parse_response_needs_every_item_once(form):
    view, _ = ordering.present(THREE, Random(1))
    assert ordering.parse_response(view, form) is None


def test_parse_response_drops_repeats_and_junk():
    view, _ = ordering.present(THREE, Random(1))
    assert ordering.parse_response(view, {"order": ["2", "x", "2", "0", "9", " 1"]}) == [2, 0, 1]


@pytest.mark.parametrize(
    "response", [None, [0, 1], [0, 0, 1], [0, 1, 2, 3], ["0", "1", "2"], [True, 0, 2], "012"]
)
def test_grade_treats_a_malformed_response_as_no_answer(response):
    view, key = ordering.present(THREE, Random(1))
    assert ordering.grade(view, key, response) == NO_ANSWER
    assert ordering.describe_response(view, response) == "No answer"


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        ({"items": ["A", "B"]}, ["An ordering item needs at least 3 items; this one has 2"]),
        ({"items": ["A", "B", "a"]}, ["The item 'a' is listed twice"]),
        ({"items": ["A", "B", ""]}, ["Every item needs text"]),
        ({"items": "A B C"}, ["An ordering item needs a list of items"]),
    ],
)
def test_validate_messages(data, problems):
    assert ordering.validate("Earliest first", data) == problems


def test_valid_item():
    assert ordering.validate("Earliest first", EVENTS) == []
