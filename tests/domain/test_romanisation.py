"""Spellings derived from a Korean name in Hangul (ko-pron for RR and McCune-Reischauer)."""

import pytest

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
