"""Essay items: their data, the answer box, and marks that only a teacher gives."""

from __future__ import annotations

import copy
from random import Random

import pytest

from quizzes.domain.itemtypes import REGISTRY, validate_item

essay = REGISTRY["essay"]
PROMPT, DATA = essay.EXAMPLE


def presented(data=DATA):
    return essay.present(copy.deepcopy(data), Random(0))


def test_the_student_sees_the_limit_and_template_never_the_rubric():
    view, key = presented({**DATA, "template": "Cause:\nEffect:", "grader_info": "Look for 1953."})
    assert view == {"word_limit": 150, "template": "Cause:\nEffect:"}
    assert key["max_points"] == 3.0  # 1 + 2: the top level of each criterion
    assert "Look for 1953." not in str((view, key))  # for markers only: never in an attempt
    assert [c["criterion"] for c in key["rubric"]] == [
        "Explains what an armistice is",
        "Uses evidence",
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"word_limit": 0}, "The word limit must be a whole number from 1 to 3000"),
        ({"word_limit": 2.5}, "The word limit must be a whole number from 1 to 3000"),
        ({"word_limit": True}, "The word limit must be a whole number from 1 to 3000"),
        ({"word_limit": 3, "template": "one two three four"}, "longer than the word limit"),
        ({"max_points": 0}, "The max points must be a number above 0"),
        ({"max_points": float("inf")}, "The max points must be a number above 0"),
        ({"rubric": []}, "A rubric needs at least one criterion"),
        ({"rubric": [{"criterion": "A", "levels": [{"text": "x", "points": 1}]}]}, "2 to 6 levels"),
        (
            {
                "rubric": [
                    {
                        "criterion": "A",
                        "levels": [{"text": "x", "points": 1}, {"text": "y", "points": 1}],
                    }
                ]
            },
            "two levels give the same points",
        ),
        (
            {"rubric": DATA["rubric"][:1] * 2},
            "The rubric criterion 'explains what an armistice is' is listed twice",
        ),
        ({"rubric": DATA["rubric"], "max_points": 4}, "not both"),
    ],
)
def test_validate_names_each_mistake(data, problem):
    problems = essay.validate(PROMPT, data)
    assert any(problem in p for p in problems), problems


def test_a_plain_mark_and_no_settings_at_all_are_valid():
    assert validate_item({"type": "essay", "prompt": "Why?", "data": {}}) == []
    assert essay.check_data({}) == []
    assert essay.present({}, Random(0))[1]["max_points"] == 1.0
    assert essay.validate("Why?", {"max_points": 10, "word_limit": 3000}) == []


def test_check_data_refuses_shapes_files_get_wrong():
    assert essay.check_data({"rubric": "good"}) == ["'rubric' must be a list of criteria"]
    assert essay.check_data({"word_limit": "100", "colour": 1}) == [
        "data has unknown field(s) colour",
        "'word_limit' must be a whole number from 1 to 3000",
    ]
    bad_level = {"rubric": [{"criterion": "A", "levels": [{"text": "x", "points": -1}]}]}
    assert essay.check_data(bad_level) == [
        "criterion 1 level 1: 'points' must be a number from 0 to 1000"
    ]


@pytest.mark.parametrize(
    ("sent", "saved"),
    [
        (
            {"answer": ["  Because the war never formally ended.\r\n\r\n"]},
            "  Because the war never formally ended.",
        ),
        ({"answer": ["   \n "]}, None),  # blank
        ({}, None),
        ({"answer": [7]}, None),  # not text
        ({"answer": ["Cause:\nEffect:"]}, None),  # the template left as it was
        ({"answer": ["Cause: no treaty\nEffect:"]}, "Cause: no treaty\nEffect:"),
    ],
)
def test_parse_response_keeps_the_text_as_written(sent, saved):
    view = {"word_limit": None, "template": "Cause:\nEffect:"}
    assert essay.parse_response(view, sent) == saved


def test_an_answer_over_the_word_limit_is_kept_warned_of_and_noted_for_the_marker():
    view, key = presented({"word_limit": 5})
    five, six = "one two three four five", "one two three four five six"
    assert essay.parse_response(view, {"answer": [six]}) == six  # no work is lost
    assert essay.over_limit(view, five) is None and essay.save_warning(view, five) is None
    assert essay.over_limit(view, six) == 6
    assert essay.save_warning(view, six).startswith("it has 6 words and the limit is 5.")
    assert essay.grade(view, key, six).notes == (
        "Awaiting your teacher's mark.",
        "Over the word limit: 6 words of at most 5.",
    )


def test_the_template_left_as_it_was_is_a_blank_answer():
    view, _ = presented({"template": "Cause:\nEffect:"})
    assert essay.left_blank(view, {"answer": ["Cause:\r\nEffect:  "]})
    assert not essay.left_blank(view, {"answer": ["Cause: war\nEffect:"]})


def test_huge_answers_are_refused_with_bounded_work():
    view, _ = presented({})
    assert essay.parse_response(view, {"answer": ["x " * essay.MAX_ANSWER_CHARS]}) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [("", 0), ("one", 1), ("well-chosen words .", 3), ("a\nb\tc", 3), ("北朝鮮 と 韓国", 3)],
)
def test_words_are_runs_between_spaces(text, words):
    assert essay.word_count(text) == words


def test_a_written_answer_awaits_a_mark_and_a_blank_one_scores_nothing():
    view, key = presented()
    pending = essay.grade(view, key, "Because no peace treaty was signed.")
    assert pending.pending and pending.score == 0 and not pending.correct
    assert pending.notes == ("Awaiting your teacher's mark.",)
    blank = essay.grade(view, key, None)
    assert not blank.pending and blank.score == 0 and blank.notes == ("No answer given.",)
    snapshot = {"type": "essay", "view": view, "key": key}
    assert essay.needs_marking(snapshot, "Because.") is True
    assert essay.needs_marking(snapshot, None) is False
    assert essay.needs_marking({"type": "short"}, "Because.") is False


def test_a_rubric_mark_is_the_points_chosen_over_the_top_levels():
    _, key = presented()
    assert essay.manual_credit(key, levels=[1, 2]) == 1.0
    assert essay.manual_credit(key, levels=[1, 0]) == pytest.approx(1 / 3)
    assert essay.manual_credit(key, levels=[0, 1]) == pytest.approx(1 / 3)
    assert essay.marked_grade(essay.manual_credit(key, levels=[1, 2])).correct
    with pytest.raises(ValueError, match="one level for each of the 2 criteria"):
        essay.manual_credit(key, levels=[1])
    with pytest.raises(ValueError, match="Choose a level of 'Uses evidence'"):
        essay.manual_credit(key, levels=[1, 3])
    with pytest.raises(ValueError, match="one level for each"):
        essay.manual_credit(key, points=3)


def test_a_plain_mark_is_points_out_of_the_maximum():
    _, key = presented({"max_points": 4})
    assert essay.manual_credit(key, points=3) == 0.75
    assert essay.manual_credit(key, points=0) == 0
    grade = essay.marked_grade(0.75, "Good use of dates.")
    assert (grade.score, grade.correct, grade.pending, grade.notes) == (
        0.75,
        False,
        False,
        ("Good use of dates.",),
    )
    for bad in (5, -1, float("nan"), None, True):
        with pytest.raises(ValueError, match="Give a mark from 0 to 4"):
            essay.manual_credit(key, points=bad)


def test_the_key_is_described_as_a_marking_scheme():
    view, key = presented()
    assert essay.describe_key(view, key) == (
        "Marked by your teacher with a rubric, out of 3: Explains what an armistice is "
        "(up to 1); Uses evidence (up to 2)"
    )
    assert essay.describe_key(*presented({"max_points": 5})) == "Marked by your teacher, out of 5"
    assert essay.describe_response(view, None) == "No answer"
    assert essay.counted_answer(view, "Because.") == ("Written answer",)
