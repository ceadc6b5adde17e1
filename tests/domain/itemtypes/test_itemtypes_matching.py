import json
from random import Random

import pytest

from quizzes.domain.itemtypes import matching
from quizzes.domain.itemtypes.base import NO_ANSWER, Grade

PEOPLE = {
    "pairs": [
        {"left": "Tae Yong-ho", "right": "London"},
        {"left": "Ri Il-gyu", "right": "Havana"},
        {"left": "Ri Su-yong", "right": "Pyongyang"},
    ],
    "distractors": ["Beijing"],
}
ANSWER = {"Tae Yong-ho": "London", "Ri Il-gyu": "Havana", "Ri Su-yong": "Pyongyang"}


def match(view, chosen):
    form = {
        f"match-{view['lefts'].index(left)}": [str(view["choices"].index(right))]
        for left, right in chosen.items()
    }
    return matching.parse_response(view, form)


@pytest.fixture
def shown():
    return matching.present(PEOPLE, Random(2))


def test_view_lists_lefts_and_all_choices_shuffled(shown):
    view, key = shown
    assert set(view) == {"lefts", "choices"}
    assert sorted(view["lefts"]) == sorted(ANSWER)
    assert sorted(view["choices"]) == ["Beijing", "Havana", "London", "Pyongyang"]
    assert {view["lefts"][i]: view["choices"][c] for i, c in enumerate(key["matches"])} == ANSWER
    assert "matches" not in json.dumps(view)
    assert matching.present(PEOPLE, Random(2)) == shown


def test_all_pairs_right(shown):
    view, key = shown
    assert matching.grade(view, key, match(view, ANSWER)) == Grade(1.0, True)


def test_credit_per_pair(shown):
    view, key = shown
    chosen = {**ANSWER, "Ri Il-gyu": "Beijing"}
    assert matching.grade(view, key, match(view, chosen)) == Grade(
        2 / 3, False, notes=("2 of 3 pairs matched.",)
    )
    one = {"Tae Yong-ho": "London"}
    assert matching.grade(view, key, match(view, one)) == Grade(
        1 / 3, False, notes=("1 of 3 pairs matched.",)
    )


def test_parse_response_leaves_unanswered_lefts_empty(shown):
    view, _ = shown
    response = match(view, {"Ri Su-yong": "Pyongyang"})
    assert response.count(None) == 2
    assert response[view["lefts"].index("Ri Su-yong")] == view["choices"].index("Pyongyang")


@pytest.mark.parametrize(
    "form",
    [{}, {"match-0": ["9"]}, {"match-0": ["x"], "match-1": [""]}, {"match-3": ["0"]}],
)
def test_parse_response_with_nothing_usable_is_none(shown, form):
    view, _ = shown
    assert matching.parse_response(view, form) is None


def test_garbage_responses_grade_as_no_answer(shown):
    view, key = shown
    for response in (None, [], "012", [None, None, None], [9, "1", True]):
        assert matching.grade(view, key, response) == NO_ANSWER


def test_describe(shown):
    view, key = shown
    key_text = matching.describe_key(view, key)
    assert sorted(key_text.split("; ")) == [
        "Ri Il-gyu → Havana",
        "Ri Su-yong → Pyongyang",
        "Tae Yong-ho → London",
    ]
    response = match(view, {"Tae Yong-ho": "Beijing"})
    assert sorted(matching.describe_response(view, response).split("; ")) == [
        "Ri Il-gyu → (none)",
        "Ri Su-yong → (none)",
        "Tae Yong-ho → Beijing",
    ]
    assert matching.describe_response(view, None) == "No answer"


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        (
            {"pairs": [{"left": "A", "right": "1"}]},
            ["A matching item needs at least two pairs"],
        ),
        (
            {"pairs": [{"left": "A", "right": "1"}, {"left": "a", "right": "2"}]},
            ["The left side 'a' appears twice"],
        ),
        (
            {"pairs": [{"left": "A", "right": "1"}, {"left": "B", "right": "1"}]},
            ["The right side '1' appears twice"],
        ),
        (
            {"pairs": [{"left": "A", "right": "1"}, {"left": "B"}]},
            ["Every pair needs a left and a right"],
        ),
        (
            {
                "pairs": [{"left": "A", "right": "x"}, {"left": "B", "right": "y"}],
                "distractors": ["X", "z", "z"],
            },
            [
                "The distractor 'X' repeats another choice",
                "The distractor 'z' repeats another choice",
            ],
        ),
        (
            {
                "pairs": [{"left": "A", "right": "x"}, {"left": "B", "right": "y"}],
                "distractors": "z",
            },
            ["Distractors must be a list of texts"],
        ),
        ({"pairs": None}, ["A matching item needs a list of pairs"]),
    ],
)
def test_validate_messages(data, problems):
    assert matching.validate("Match", data) == problems


def test_valid_item():
    assert matching.validate("Who served where?", PEOPLE) == []
