"""The local answer fold: case, spacing, punctuation, accents and romanisation."""

from __future__ import annotations

from quizzes.domain.generator.normalise import contains_phrase, fold, normalise, same_answer


def test_romanisations_of_the_same_name_fold_alike():
    for variant in ("Thae Yong-ho", "Thae Yong Ho", "Tae Yong Ho", "tae yongho", "TAE YONG-HO"):
        assert same_answer("Tae Yong-ho", variant)
    assert same_answer("Ri Il-gyu", "Ri Il Kyu")
    assert same_answer("Elizabeth Salmón", "elizabeth salmon")
    assert not same_answer("Ri Il-gyu", "Ri Su-yong")
    assert not same_answer("deputy ambassador", "acting ambassador")


def test_normalise_drops_case_punctuation_and_a_leading_article():
    assert normalise("  The UN General Assembly's  Third Committee ") == (
        "un general assembly s third committee"
    )
    assert fold("the first battlefield") == fold("First battlefield!")


def test_contains_phrase_matches_whole_words_only():
    assert contains_phrase("He was posted in London in 2016.", "london")
    assert contains_phrase("Thae Yong Ho defected.", "Tae Yong-ho")
    assert not contains_phrase("In 2016 he left.", "16")
    assert not contains_phrase("A statement", "")
