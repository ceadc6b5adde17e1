"""Spellings derived from a Korean name in Hangul (ko-pron for RR and McCune-Reischauer)."""

from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.domain.itemtypes import short
from quizzes.domain.romanisation import name_spellings
from quizzes.domain.text import answer_key


def _keys(hangul):
    return {answer_key(s, romanised=True) for s in name_spellings(hangul)}


@pytest.mark.parametrize(
    ("hangul", "spelling"),
    [
        ("리일규", "Ri Il-gyu"),  # Revised Romanization
        ("리일규", "Ri Il-kyu"),  # McCune-Reischauer
        ("리일규", "Lee Il-gyu"),  # customary surname spellings
        ("리일규", "Yi Il-gyu"),
        ("리일규", "Rhee Il-gyu"),
        ("류현우", "Ryu Hyeon-u"),
        ("류현우", "Ryu Hyŏn-u"),
        ("류현우", "Yoo Hyeon-u"),
        ("박광호", "Park Kwang-ho"),
        ("박광호", "Bak Gwang-ho"),
        ("조성길", "Cho Sŏng-kil"),
        ("조성길", "Jo Seong-gil"),
        ("태영호", "T'ae Yŏng-ho"),
    ],
)
def test_a_name_has_its_system_and_customary_spellings(hangul, spelling):
    assert spelling in name_spellings(hangul)


def test_spellings_of_one_name_never_give_another():
    assert answer_key("Ri Su-yong", romanised=True) not in _keys("리일규")
    assert answer_key("Ryu Hyun-woo", romanised=True) not in _keys("리일규")
    assert not _keys("리일규") & _keys("리수용")


@pytest.mark.parametrize("text", ["", "Ri Il-gyu", "리 Il"])
def test_only_hangul_names_have_spellings(text):
    assert name_spellings(text) == ()


hangul_names = st.text(
    alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=5
)


@settings(max_examples=150, deadline=None)
@given(name=hangul_names, typed=st.text(max_size=60))
def test_any_name_and_any_response_grade_without_error(name, typed):
    data = {"answers": [{"text": "Listed", "fraction": 1.0, "hangul": name}], "romanised": True}
    view, key = short.present(data, Random(0))
    grade = short.grade(view, key, typed)
    assert 0.0 <= grade.score <= 1.0
    if grade.variant_accepted:
        assert any("another spelling of Listed" in note for note in grade.notes)
    for spelling in name_spellings(name):
        assert short.grade(view, key, spelling).correct
