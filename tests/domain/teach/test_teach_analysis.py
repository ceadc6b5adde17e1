"""Item analysis: Moodle's facility and discrimination on a worked example, option counts
and the plain-language flags."""

import math

import pytest

from quizzes.domain.analysis import Answer, OptionCount, analyse


def attempts_of(rows):
    """rows of {item: score}, one per attempt."""
    return [[Answer(key, score, ("x",)) for key, score in row.items()] for row in rows]


WORKED = attempts_of(
    [
        {"A": 1, "B": 1, "C": 0},
        {"A": 1, "B": 0, "C": 0},
        {"A": 0, "B": 1, "C": 1},
        {"A": 0, "B": 0, "C": 0},
    ]
)


def test_worked_example_matches_the_formulas_by_hand():
    a, b, c = analyse(WORKED)
    # A: x = 1,1,0,0; rest of test X - x = 1,0,2,0.
    # cov = -0.5/3, var(x) = 1/3, var(rest) = 2.75/3  ->  D = -50 / sqrt(2.75)
    assert a.attempts == 4
    assert a.facility == 50.0
    assert a.sd == pytest.approx(100 / math.sqrt(3))
    assert a.discrimination == pytest.approx(-50 / math.sqrt(2.75))  # -30.15
    # cov_max pairs the sorted lists (0,0,1,1) with (0,0,1,2): 1.5/3.
    assert a.efficiency == pytest.approx(-100 / 3)
    # B: x = 1,0,1,0; rest = 1,1,1,0  ->  D = 100 * (0.5/3) / sqrt(1/3 * 0.25)
    assert b.discrimination == pytest.approx(100 / math.sqrt(3))  # 57.74
    assert b.efficiency == pytest.approx(100.0)
    # C: rest of test = 2,1,1,0 against x = 0,0,1,0: no covariance.
    assert c.facility == 25.0
    assert c.discrimination == pytest.approx(0.0)


def test_partial_scores_count_as_they_are():
    [item] = analyse([[Answer("A", 0.5)], [Answer("A", 0.25)]])
    assert item.facility == 37.5


def test_no_variance_means_no_discrimination():
    rows = attempts_of([{"A": 1, "B": s} for s in (1, 0, 1, 0, 1)])
    a, b = analyse(rows)
    assert a.facility == 100.0 and a.sd == 0.0
    assert a.discrimination is None and a.efficiency is None
    assert b.discrimination is None  # the rest of the test (A) never varies


def test_one_attempt_has_facility_only():
    [item] = analyse([[Answer("A", 1.0)]])
    assert (item.facility, item.sd, item.discrimination) == (100.0, None, None)


def test_items_missing_from_some_attempts_use_the_attempts_that_had_them():
    rows = [[Answer("A", 1), Answer("B", 1)], [Answer("A", 0)], [Answer("B", 0), Answer("A", 1)]]
    a, b = analyse(rows)
    assert (a.attempts, b.attempts) == (3, 2)
    assert a.facility == pytest.approx(200 / 3)


def test_option_frequencies_list_every_option_and_blanks():
    answers = [("Geneva",), ("Geneva",), ("Vienna",), (), ("Geneva",)]
    rows = [[Answer("Q", 1.0 if p == ("Geneva",) else 0.0, p)] for p in answers]
    choices = {"Q": [("Geneva", True), ("Vienna", False), ("New York", False)]}
    [item] = analyse(rows, choices)
    assert item.options == (
        OptionCount("Geneva", 3, True),
        OptionCount("Vienna", 1, False),
        OptionCount("New York", 0, False),
    )
    assert item.blank == 1
    assert "Nobody chose “New York”: it does not distract anyone." in item.flags


def test_typed_answers_show_the_most_common_first():
    typed = ["Geneva", "Genf", "Geneva", "Bern", "Geneva", "Genf", "Zurich", "Basel", "Paris"]
    rows = [[Answer("Q", 1.0, (t,))] for t in typed]
    [item] = analyse(rows)
    assert [(o.label, o.count) for o in item.options] == [
        ("Geneva", 3),
        ("Genf", 2),
        ("Basel", 1),
        ("Bern", 1),
        ("Paris", 1),
    ]
    assert all(o.right is None for o in item.options)


def test_flags_in_plain_words():
    few = analyse(attempts_of([{"A": 1}] * 4))[0]
    assert few.flags == ("Only 4 attempts so far: too few to judge this item yet.",)

    # A: the weak students get it, the strong ones do not.
    rows = attempts_of(
        [
            {"A": 0, "B": 1, "C": 1},
            {"A": 0, "B": 1, "C": 1},
            {"A": 0, "B": 1, "C": 0},
            {"A": 1, "B": 0, "C": 0},
            {"A": 0, "B": 0, "C": 0},
            {"A": 0, "B": 0, "C": 1},
        ]
    )
    a = analyse(rows)[0]
    assert a.facility == pytest.approx(100 / 6)
    assert a.flags == (
        "Very hard: the average score was 17%. Check the answer key and the wording, or teach "
        "this again.",
        "Students who did well on the rest did worse on this item. The key may be wrong or the "
        "question misleading.",
    )

    easy = analyse(attempts_of([{"A": 1, "B": s} for s in (1, 0, 1, 0, 1)]))[0]
    assert easy.flags[0].startswith("Very easy: the average score was 100%.")


def test_a_distractor_more_popular_than_the_key_is_flagged():
    picks = ["Rome", "Rome", "Rome", "London", "London"]
    rows = [
        [
            Answer("Q", 1.0 if p == "London" else 0.0, (p,)),
            Answer("R", 1.0 if p == "London" else 0.0),
        ]
        for p in picks
    ]
    q = analyse(rows, {"Q": [("London", True), ("Rome", False)]})[0]
    assert "More students chose “Rome” than the right answer. Is the key right?" in q.flags


def test_many_blanks_are_flagged():
    rows = [
        [Answer("Q", 0.0)],
        [Answer("Q", 0.0)],
        [Answer("Q", 1.0, ("a",))],
        [Answer("Q", 1.0, ("a",))],
        [Answer("Q", 1.0, ("a",))],
    ]
    [item] = analyse(rows)
    assert "2 of 5 left it blank: students may not understand it." in item.flags
