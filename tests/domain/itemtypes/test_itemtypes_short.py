from random import Random

import pytest

from quizzes.domain.itemtypes import short
from quizzes.domain.itemtypes.base import NO_ANSWER, Grade

TAE = {"answers": [{"text": "Tae Yong-ho", "fraction": 1.0}], "romanised": True}
RI = {"answers": [{"text": "Ri Il-gyu", "fraction": 1.0}], "romanised": True}
YEAR = {"answers": [{"text": "2016", "fraction": 1.0}]}


def grade(data, typed):
    view, key = short.present(data, Random(0))
    return short.grade(view, key, short.parse_response(view, {"answer": [typed]}))


def typo(spelling, fraction=1.0):
    note = f"Accepted with a small typo; the spelling is '{spelling}'."
    return Grade(fraction, fraction == 1.0, typo_forgiven=True, notes=(note,))


@pytest.mark.parametrize(
    "typed",
    [
        "Tae Yong-ho",
        "tae yong ho",
        "TAE YONGHO",
        "  Tae  Yong-ho. ",
        "Thae Yong-ho",
        "Thae Yong Ho",
        "태영호",
    ],
)
def test_spellings_of_tae_yong_ho_are_right_without_a_typo(typed):
    assert grade(TAE, typed) == Grade(1.0, True)


@pytest.mark.parametrize("typed", ["Ri Il Kyu", "ri il-kyu", "Ri Ilgyu", "Ri Il-gyu"])
def test_spellings_of_ri_il_gyu_are_right(typed):
    assert grade(RI, typed) == Grade(1.0, True)


@pytest.mark.parametrize("typed", ["Tae Yong-hoo", "Tea Yong-ho", "Tae Yng-ho", "Thae Yong Hoo"])
def test_one_typo_in_a_name_is_forgiven_with_a_note(typed):
    assert grade(TAE, typed) == typo("Tae Yong-ho")


@pytest.mark.parametrize("typed", ["Tea Yong-hu", "Ri Il-gyu", "Tae", "Tae Yong-h0"])
def test_two_typos_another_name_or_a_digit_are_wrong(typed):
    assert grade(TAE, typed) == Grade(0.0, False)


def test_a_year_is_never_forgiven():
    assert grade(YEAR, "2016") == Grade(1.0, True)
    assert grade(YEAR, "2015") == Grade(0.0, False)
    assert grade(YEAR, "201") == Grade(0.0, False)


def test_accents_and_romanisation_systems():
    city = {"answers": [{"text": "Pyongyang", "fraction": 1.0}], "romanised": True}
    assert grade(city, "P'yŏngyang") == Grade(1.0, True)
    assert grade(city, "Phyongyang") == Grade(1.0, True)
    assert grade({"answers": [{"text": "Genève", "fraction": 1.0}]}, "geneve") == Grade(1.0, True)


def test_listed_variants_and_partial_fractions():
    data = {
        "answers": [
            {"text": "Third Committee", "fraction": 1.0},
            {"text": "Social, Humanitarian and Cultural Committee", "fraction": 1.0},
            {"text": "General Assembly", "fraction": 0.5},
        ]
    }
    assert grade(data, "social, humanitarian and cultural committee") == Grade(1.0, True)
    assert grade(data, "Security Council") == Grade(0.0, False)
    assert grade(data, "General Assembly") == Grade(0.5, False)
    assert grade(data, "Genral Assembly") == typo("General Assembly", 0.5)


def test_an_exactly_matched_wrong_answer_beats_a_typo_of_the_right_one():
    data = {"answers": [{"text": "Iran", "fraction": 1.0}, {"text": "Iraq", "fraction": 0.0}]}
    assert grade(data, "Iraq") == Grade(0.0, False)
    assert grade(data, "Iraqq") == Grade(0.0, False)  # nearer the wrong answer
    assert grade(data, "Irag") == Grade(0.0, False)  # as near one as the other
    assert grade(data, "Iren") == typo("Iran")


def test_empty_answers():
    view, key = short.present(TAE, Random(0))
    assert short.parse_response(view, {"answer": ["   "]}) is None
    assert short.parse_response(view, {}) is None
    assert short.grade(view, key, None) == NO_ANSWER
    assert short.grade(view, key, "...") == NO_ANSWER
    assert short.grade(view, key, 42) == NO_ANSWER


def test_view_is_empty_and_key_keeps_all_answers():
    data = {"answers": [{"text": "Tae Yong-ho"}, {"text": "Thae Yong Ho", "fraction": 1}]}
    view, key = short.present(data, Random(0))
    assert view == {}
    assert key == {
        "answers": [
            {"text": "Tae Yong-ho", "fraction": 1.0},
            {"text": "Thae Yong Ho", "fraction": 1.0},
        ],
        "romanised": False,
    }
    assert short.describe_key(view, key) == "Tae Yong-ho (also accepted: Thae Yong Ho)"
    assert short.describe_key(view, short.present(TAE, Random(0))[1]) == "Tae Yong-ho"
    assert short.describe_response(view, "tae yong ho") == "tae yong ho"
    assert short.describe_response(view, None) == "No answer"


def test_parse_response_cuts_very_long_text():
    view, _ = short.present(TAE, Random(0))
    assert len(short.parse_response(view, {"answer": ["x" * 5000]})) == 1000


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        ({"answers": []}, ["A short-answer item needs at least one answer"]),
        ({}, ["A short-answer item needs at least one answer"]),
        ({"answers": [{"text": "?!"}]}, ["Every answer needs letters or digits"]),
        (
            {"answers": [{"text": "Tae Yong-ho"}, {"text": "tae yong ho"}]},
            ["The answer 'tae yong ho' is listed twice"],
        ),
        (
            {"answers": [{"text": "Tae Yong-ho", "fraction": 0.5}]},
            ["A short-answer item needs an answer worth full marks"],
        ),
        (
            {"answers": [{"text": "Tae Yong-ho", "fraction": 2}]},
            ["Answer fractions must be numbers between 0 and 1"],
        ),
    ],
)
def test_validate_messages(data, problems):
    assert short.validate("Who?", data) == problems


def test_valid_item():
    assert short.validate("Who?", TAE) == []


def test_romanisation_folding_is_opt_in():
    # Folding would equate English words ("Bat"/"Pat"): only items marked romanised fold.
    plain = {"answers": [{"text": "Thames", "fraction": 1.0}]}
    assert grade(plain, "Tames").typo_forgiven is True  # one edit, not the same word
    assert grade({**TAE, "romanised": False}, "Thae Yong Ho").typo_forgiven is True
    assert grade(TAE, "Thae Yong Ho") == Grade(1.0, True)


SEAT = {"answers": [{"text": "Gangnam A", "fraction": 1.0}]}


@pytest.mark.parametrize(
    ("data", "typed"),
    [
        (SEAT, "Gangnam B"),  # a lone letter tells constituencies apart
        (SEAT, "Gangnam"),
        ({"answers": [{"text": "South Korea", "fraction": 1.0}]}, "North Korea"),
        ({"answers": [{"text": "Third Committee", "fraction": 1.0}]}, "Fourth Committee"),
        ({"answers": [{"text": "ICC", "fraction": 1.0}]}, "ICJ"),  # acronyms get no typo
        (
            {"answers": [{"text": "deputy ambassador"}, {"text": "counsellor"}]},
            "deputy counsellor",
        ),
    ],
)
def test_a_typo_never_bridges_a_token_that_tells_answers_apart(data, typed):
    assert grade(data, typed) == Grade(0.0, False)


def test_typos_elsewhere_are_still_forgiven():
    assert grade(SEAT, "Ganngam A") == typo("Gangnam A")
    assert grade({"answers": [{"text": "North Korea"}]}, "Nroth Korea") == typo("North Korea")


def test_leading_articles_are_ignored():
    court = {"answers": [{"text": "International Criminal Court"}, {"text": "ICC"}]}
    assert grade(court, "the ICC") == Grade(1.0, True)
    assert grade(court, "The International Criminal Court") == Grade(1.0, True)


def test_a_spelling_derived_from_hangul_is_accepted_with_a_note():
    data = {"answers": [{"text": "Ri Il-gyu", "hangul": "리일규"}], "romanised": True}
    note = "Accepted as another spelling of Ri Il-gyu (리일규); this course writes Ri Il-gyu."
    assert grade(data, "Lee Il-gyu") == Grade(1.0, True, notes=(note,), variant_accepted=True)
    assert grade(data, "Ri Il-gyu") == Grade(1.0, True)
    assert grade(data, "Lee Su-yong") == Grade(0.0, False)
    assert grade(data, "Lee Il-gyuu").notes == (
        "Accepted with a small typo; the spelling is 'Lee Il-gyu'.",
        note,
    )


def test_listing_the_hangul_as_an_answer_grades_the_same():
    data = {
        "answers": [{"text": "Ri Il-gyu", "fraction": 1.0, "hangul": "리일규"}],
        "romanised": True,
    }
    listed = short.hangul_listed(data)
    assert listed["answers"] == [
        {"text": "Ri Il-gyu", "fraction": 1.0},
        {"text": "리일규", "fraction": 1.0},
    ]
    assert short.validate("Who?", listed) == []
    for typed in ("Lee Il-gyu", "Ri Il-gyu", "리일규", "Ri Su-yong", "Lee Il-gyuu"):
        assert grade(listed, typed) == grade(data, typed)
    assert short.hangul_listed(TAE) == TAE
