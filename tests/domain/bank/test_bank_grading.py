"""Near misses on the built-in bank's typed items, graded as a person would.

Each row is (item key, what a student types, the verdict a careful marker gives). Right
answers in another spelling are accepted (a derived spelling with a note); another
constituency, official or body is wrong, however close its spelling.
"""

from __future__ import annotations

from random import Random

import pytest

from quizzes.domain.itemtypes import REGISTRY

TAE = "tpl.defection.person.short:defection.tae"
RI = "tpl.defection.person.short:defection.ri"
RI_CABLES = "tpl.event.person.short:report.presented"
RYU = "tpl.defection.person.short:defection.ryu"
JO = "tpl.defection.person.short:defection.jo"
PAK = "tpl.admission.person.short:admission.public_executions"
RI_SU = "tpl.statement.person.short:tactic.boycott_2016"
SEAT = "tpl.event.seat.short:defection.tae.gangnam"
ICC = "tpl.mechanism.court.short:coi.icc"
MOU = "tpl.document.ministry.short:report.released"
QUINTANA = "tpl.rapporteur.person.short:sr.quintana"
CAMPS = "tpl.admission.phrase.short:admission.reeducation"
CITY = "tpl.event.city.short:report.presented"
FINDINGS = "tpl.mechanism.words.cloze:coi.findings"

RIGHT, WRONG, VARIANT, TYPO = "right", "wrong", "variant", "typo"

NEAR_MISSES = [
    # other constituencies: a lone letter tells them apart
    (SEAT, "Gangnam A", RIGHT),
    (SEAT, "gangnam-a", RIGHT),
    (SEAT, "Gangnam B", WRONG),
    (SEAT, "Gangnam C", WRONG),
    (SEAT, "Gangnam", WRONG),
    (SEAT, "Gangnam A B", WRONG),
    (SEAT, "Ganganm A", TYPO),
    # other officials and defectors
    (RI, "Ri Su-yong", WRONG),
    (RI, "Ri Il-gyu", RIGHT),
    (RI, "Ri Il Kyu", RIGHT),
    (RI, "Ri Ilgyu", RIGHT),
    (RI, "Lee Il-gyu", VARIANT),
    (RI, "Li Il-gyu", VARIANT),
    (RI, "Yi Il-kyu", VARIANT),
    (RI, "Rhee Il-gyu", VARIANT),
    (RI, "Ri", WRONG),
    (RI, "Il-gyu", WRONG),
    (RI_CABLES, "Lee Il-gyu", VARIANT),
    (RI_CABLES, "Tae Yong-ho", WRONG),
    (RI_SU, "Ri Su-yong", RIGHT),
    (RI_SU, "Lee Su-yong", VARIANT),
    (RI_SU, "Ri Il-gyu", WRONG),
    (RYU, "Ryu Hyun-woo", RIGHT),
    (RYU, "Ryu Hyeon-u", VARIANT),
    (RYU, "Ryu Hyon-u", VARIANT),
    (RYU, "Yoo Hyun-woo", WRONG),  # a surname variant with a spelling no system gives
    (RYU, "Yu Hyeon-u", VARIANT),
    (RYU, "Ryu Hyun-wo", TYPO),
    (JO, "Cho Song-gil", RIGHT),
    (JO, "Jo Seong-gil", RIGHT),
    (JO, "Cho Sŏng-kil", RIGHT),
    (JO, "Jo Sung-gil", TYPO),
    (PAK, "Park Kwang-ho", VARIANT),
    (PAK, "Bak Gwang-ho", RIGHT),
    (PAK, "Pak Kwang-ho", RIGHT),
    (PAK, "Pak Kwang-il", WRONG),  # a syllable swapped: another name
    (PAK, "Pak Kwang-hoo", TYPO),
    (TAE, "Thae Yong Ho", RIGHT),
    (TAE, "Tae Yeong-ho", RIGHT),
    (TAE, "태영호", RIGHT),
    (TAE, "Tae Yong-il", WRONG),
    (TAE, "Tae Yong-hoo", TYPO),
    # other UN rapporteurs, and a double surname alone
    (QUINTANA, "Ojea Quintana", RIGHT),
    (QUINTANA, "Tomas Ojea Quintana", RIGHT),
    (QUINTANA, "Marzuki Darusman", WRONG),
    # other bodies; articles and abbreviations
    (ICC, "the ICC", RIGHT),
    (ICC, "ICC", RIGHT),
    (ICC, "the International Criminal Court", RIGHT),
    (ICC, "International Criminal Court", RIGHT),
    (ICC, "International Court of Justice", WRONG),
    (ICC, "ICJ", WRONG),
    (ICC, "Security Council", WRONG),
    (MOU, "the Ministry of Unification", RIGHT),
    (MOU, "Unification Ministry", RIGHT),
    (MOU, "MOU", RIGHT),
    (MOU, "Ministry of Foreign Affairs", WRONG),
    (MOU, "Ministry of Defense", WRONG),
    (MOU, "the Ministry of Unifcation", TYPO),
    # the seed's own words; places
    (CAMPS, "re-education camps", RIGHT),
    (CAMPS, "reeducation facilities", RIGHT),
    (CAMPS, "political prison camps", WRONG),
    (CITY, "Geneva", RIGHT),
    (CITY, "Genève", TYPO),  # the French name: one letter off, with the course's spelling
    (CITY, "New York", WRONG),
    (CITY, "Seoul", WRONG),
]


def _grade(item: dict, typed: str):
    module = REGISTRY[item["type"]]
    view, key = module.present(item["data"], Random(0))
    form = {"answer": [typed]} if item["type"] == "short" else {"blank-1": [typed]}
    return module.grade(view, key, module.parse_response(view, form))


@pytest.mark.parametrize(("key", "typed", "verdict"), NEAR_MISSES)
def test_near_misses_are_graded_as_a_person_would(bank_items_by_key, key, typed, verdict):
    grade = _grade(bank_items_by_key[key], typed)
    assert grade.correct is (verdict != WRONG)
    assert grade.variant_accepted is (verdict == VARIANT)
    assert grade.typo_forgiven is (verdict == TYPO)
    if verdict == VARIANT:
        assert any("another spelling of" in note for note in grade.notes)


def test_the_coi_findings_cloze_has_one_right_answer(bank_items_by_key):
    # A blank among several listed crimes had other right answers; only "enforced ___" is blank.
    item = bank_items_by_key[FINDINGS]
    assert [blank["answers"] for blank in item["data"]["blanks"]] == [["disappearance"]]
    assert _grade(item, "disappearance").correct
    assert _grade(item, "disappearances").typo_forgiven


def test_the_generator_never_offers_a_derived_spelling_as_wrong(bank_report, bank):
    derived = set(bank.people["Ri Il-gyu"].spellings) - set(bank.people["Ri Il-gyu"].answers)
    assert {"Lee Il-gyu", "Li Il-gyu", "Yi Il-kyu"} <= derived
    for item in bank_report.items:
        for option in item["data"].get("options", []):
            if not option.get("correct"):
                assert option["text"] not in derived
