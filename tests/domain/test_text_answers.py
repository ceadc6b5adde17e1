"""One text module: graders, the bank generator and editors compare answers alike.

(Moved from tests/domain/bank/test_bank_normalise.py when the generator's own fold was
merged into quizzes.domain.text.)
"""

from __future__ import annotations

from random import Random

import pytest

from quizzes.domain.itemtypes import cloze, short
from quizzes.domain.text import contains_phrase, fold, same_answer, tokens, without_article


def test_romanisations_of_the_same_name_fold_alike():
    for variant in ("Thae Yong-ho", "Thae Yong Ho", "Tae Yong Ho", "tae yongho", "TAE YONG-HO"):
        assert same_answer("Tae Yong-ho", variant)
    assert same_answer("Ri Il-gyu", "Ri Il Kyu")
    assert same_answer("Elizabeth Salmón", "elizabeth salmon")
    assert not same_answer("Ri Il-gyu", "Ri Su-yong")
    assert not same_answer("deputy ambassador", "acting ambassador")


def test_case_punctuation_and_a_leading_article_do_not_matter():
    assert fold("  The UN General Assembly's  Third Committee ") == fold(
        "un general assembly s third committee"
    )
    assert fold("the first battlefield") == fold("First battlefield!")
    assert tokens("  The UN  Assembly's ") == ["the", "un", "assemblys"]


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("The Hague", "Hague"),
        ("an inquiry", "inquiry"),
        ("A/HRC/25/63", "A/HRC/25/63"),  # a document symbol, not an article
        ("Gangnam A", "Gangnam A"),
        ("Theory", "Theory"),
        ("A", "A"),
    ],
)
def test_without_article(text, stripped):
    assert without_article(text) == stripped


def test_contains_phrase_matches_whole_words_only():
    assert contains_phrase("He was posted in London in 2016.", "london")
    assert contains_phrase("Thae Yong Ho defected.", "Tae Yong-ho")
    assert not contains_phrase("In 2016 he left.", "16")
    assert not contains_phrase("A statement", "")


# -- the pairs of issue 16: one answer to the generator is one answer to the grader -------


def _short_grade(answers, typed, romanised=False):
    data = {"answers": [{"text": text, "fraction": 1.0} for text in answers]}
    view, key = short.present({**data, "romanised": romanised}, Random(0))
    return short.grade(view, key, typed)


def test_the_hague_and_hague_are_one_answer_everywhere():
    assert same_answer("The Hague", "Hague")  # the generator will not offer it as wrong
    assert _short_grade(["The Hague"], "Hague").correct  # the grader accepts it
    assert _short_grade(["Hague"], "the Hague").correct
    assert short.validate("Where?", {"answers": [{"text": "The Hague"}, {"text": "Hague"}]}) == [
        "The answer 'Hague' is listed twice"
    ]


def test_ri_and_li_il_gyu_are_one_answer_when_the_name_is_known_in_hangul():
    # The generator blocks every spelling derived from the Hangul (see test_bank_grading);
    # the grader accepts the same spellings, with a note.
    grade = _short_grade(["Ri Il-gyu", "리일규"], "Li Il-gyu", romanised=True)
    assert grade.correct and grade.variant_accepted
    assert grade.notes == (
        "Accepted as another spelling of Ri Il-gyu (리일규); this course writes Ri Il-gyu.",
    )


def test_short_answer_and_cloze_editors_agree_on_listed_twice():
    same = ["Pyongyang", "P'yŏngyang"]
    assert short.validate("Which city?", {"answers": [{"text": t} for t in same]}) == [
        "The answer 'P'yŏngyang' is listed twice"
    ]
    assert cloze.validate("", {"text": "The capital is {1}.", "blanks": [{"answers": same}]}) == [
        "Blank 1: the answer 'P'yŏngyang' is listed twice"
    ]
    different = ["Pyongyang", "평양"]  # the Hangul derives spellings: not a repeat
    assert short.validate("Which city?", {"answers": [{"text": t} for t in different]}) == []
    assert cloze.validate("", {"text": "It is {1}.", "blanks": [{"answers": different}]}) == []
