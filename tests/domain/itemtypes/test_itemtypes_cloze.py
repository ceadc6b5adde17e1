import json
from random import Random

import pytest

from quizzes.domain.itemtypes import cloze
from quizzes.domain.itemtypes.base import NO_ANSWER, Grade

PANEL = {
    "text": "Kim ordered a {1} of the panel in {2}.",
    "blanks": [{"answers": ["boycott", "walkout"]}, {"answers": ["2016", "March 2016"]}],
}


def fill(view, *texts):
    return cloze.parse_response(
        view, {f"blank-{n}": [text] for n, text in enumerate(texts, start=1)}
    )


@pytest.fixture
def shown():
    return cloze.present(PANEL, Random(0))


def test_view_is_segments_without_answers(shown):
    view, key = shown
    assert view == {
        "segments": [
            {"text": "Kim ordered a "},
            {"blank": 1},
            {"text": " of the panel in "},
            {"blank": 2},
            {"text": "."},
        ]
    }
    assert key == {"blanks": [["boycott", "walkout"], ["2016", "March 2016"]], "romanised": False}
    assert "boycott" not in json.dumps(view) and "2016" not in json.dumps(view)


def test_blank_at_the_start():
    view, _ = cloze.present({"text": "{1} defected.", "blanks": [{"answers": ["Ri"]}]}, Random(0))
    assert view == {"segments": [{"blank": 1}, {"text": " defected."}]}


@pytest.mark.parametrize(
    ("typed", "score"),
    [
        (("Boycott", "2016"), 1.0),
        (("walk-out", "march 2016"), 1.0),
        (("boycott", "2015"), 0.5),
        (("protest", "2016"), 0.5),
        (("protest", "2017"), 0.0),
        (("boycott", ""), 0.5),
    ],
)
def test_score_is_the_mean_over_blanks(shown, typed, score):
    view, key = shown
    assert cloze.grade(view, key, fill(view, *typed)) == Grade(score, score == 1.0)


def test_typo_in_a_blank_is_forgiven_with_a_note(shown):
    view, key = shown
    assert cloze.grade(view, key, fill(view, "boycot", "2016")) == Grade(
        1.0,
        True,
        typo_forgiven=True,
        notes=("Blank 1: Accepted with a small typo; the spelling is 'boycott'.",),
    )


def test_romanised_names_in_blanks():
    data = {
        "text": "{1} brought the cables out.",
        "blanks": [{"answers": ["Ri Il-gyu"]}],
        "romanised": True,
    }
    view, key = cloze.present(data, Random(0))
    assert cloze.grade(view, key, fill(view, "Ri Il Kyu")) == Grade(1.0, True)


def test_no_answer(shown):
    view, key = shown
    assert cloze.parse_response(view, {}) is None
    assert cloze.parse_response(view, {"blank-1": [" "], "blank-3": ["x"]}) is None
    assert cloze.grade(view, key, None) == NO_ANSWER
    assert cloze.grade(view, key, [None, None]) == NO_ANSWER
    assert cloze.grade(view, key, {"1": "boycott"}) == NO_ANSWER


def test_garbage_entries_count_as_empty_blanks(shown):
    view, key = shown
    assert cloze.grade(view, key, ["boycott", 2016, "extra"]) == Grade(0.5, False)


def test_describe(shown):
    view, key = shown
    assert cloze.describe_key(view, key) == "Kim ordered a [boycott] of the panel in [2016]."
    assert cloze.describe_response(view, ["walkout", None]) == (
        "Kim ordered a [walkout] of the panel in [___]."
    )
    assert cloze.describe_response(view, None) == "No answer"


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        ({"text": "No blanks here.", "blanks": []}, ["A cloze item needs at least one blank"]),
        (
            {"text": "{1} and {3}", "blanks": [{"answers": ["a"]}, {"answers": ["b"]}]},
            [
                "The text marks blank 3 but there is no such blank",
                "Blank 2 is not marked in the text",
            ],
        ),
        (
            {"text": "{1} and {1}", "blanks": [{"answers": ["a"]}]},
            ["Blank 1 appears more than once in the text"],
        ),
        ({"text": "{1}", "blanks": [{"answers": []}]}, ["Blank 1 needs at least one answer"]),
        ({"text": "{1}", "blanks": [{"answers": [" "]}]}, ["Blank 1 needs at least one answer"]),
        ({"text": "", "blanks": []}, ["A cloze item needs text with blanks such as {1}"]),
        ({"text": "{1}"}, ["A cloze item needs a list of blanks"]),
    ],
)
def test_validate_messages(data, problems):
    assert cloze.validate("", data) == problems


def test_valid_item_with_an_empty_prompt():
    assert cloze.validate("", PANEL) == []
