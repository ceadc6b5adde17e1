"""Each item-writing rule on a good and a bad example (ITEM_WRITING.md)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.domain.checker import (
    RULES,
    SEVERITIES,
    Severity,
    advice,
    check_item,
    check_items,
    counts,
    true_false_balance,
)
from quizzes.domain.facts import load_builtin


def single(prompt, key, *wrong, key_name="tpl.x.y.single:f", fact_ids=(), explanation="E."):
    options = [{"text": key, "correct": True}] + [
        {"text": text, "correct": False, "why": "No."} for text in wrong
    ]
    return {
        "key": key_name,
        "type": "single",
        "prompt": prompt,
        "data": {"options": options},
        "explanation": explanation,
        "sources": [],
        "topics": ["t"],
        "difficulty": 0.5,
        "fact_ids": list(fact_ids),
    }


def item(type_, prompt, data, key="k", explanation="E.", topics=("t",), fact_ids=()):
    return {
        "key": key,
        "type": type_,
        "prompt": prompt,
        "data": data,
        "explanation": explanation,
        "sources": [],
        "topics": list(topics),
        "difficulty": 0.5,
        "fact_ids": list(fact_ids),
    }


def rules_hit(found):
    return {finding.rule for finding in found}


@pytest.fixture(scope="module")
def facts():
    return load_builtin()


def test_every_rule_has_the_severity_item_writing_gives_it():
    assert SEVERITIES["answer_in_stem"] is Severity.ERROR
    assert SEVERITIES["giveaway"] is Severity.ERROR
    assert SEVERITIES["distractor_time_span"] is Severity.ERROR
    assert SEVERITIES["distractor_kind"] is Severity.ERROR
    assert SEVERITIES["all_or_none_of_the_above"] is Severity.ERROR
    assert SEVERITIES["matching_without_spare"] is Severity.ERROR
    assert SEVERITIES["ordering_labels_reveal_order"] is Severity.ERROR
    assert SEVERITIES["unequal_options"] is Severity.WARNING
    assert SEVERITIES["negative_stem"] is Severity.WARNING
    assert SEVERITIES["copied_explanation"] is Severity.WARNING
    assert SEVERITIES["true_false_balance"] is Severity.WARNING
    assert SEVERITIES["opposite_of_the_key"] is Severity.WARNING
    assert SEVERITIES["date_after_sources"] is Severity.WARNING
    assert SEVERITIES["fragment_stem"] is Severity.WARNING
    assert set(RULES) <= set(SEVERITIES)


# -- answer words in the stem ----------------------------------------------------------


def test_answer_in_stem_whole_answer_after_folding_romanisation():
    bad = single(
        "Which post did Thae Yong Ho hold?",  # the key, romanised another way
        "Tae Yong-ho",
        "Ri Il-gyu",
        "Jo Song-gil",
    )
    found = check_item(bad)
    assert [f.rule for f in found] == ["answer_in_stem"]
    assert found[0].severity is Severity.ERROR and "Tae Yong-ho" in found[0].message
    good = single(
        "Who was the highest-ranking defector?", "Tae Yong-ho", "Ri Il-gyu", "Jo Song-gil"
    )
    assert check_item(good) == []


def test_answer_in_stem_a_key_word_no_distractor_shares():
    bad = single(
        "When did the Third Committee adopt its 2024 resolution?",
        "20 November 2024",
        "19 November 2025",
        "17 December 2023",
    )
    assert "'2024'" in check_item(bad)[0].message
    # A word every option shares is no clue.
    fair = single(
        "Which ambassador left the embassy in Italy?",
        "the acting ambassador",
        "the deputy ambassador",
        "the former ambassador",
    )
    assert "answer_in_stem" not in rules_hit(check_item(fair))


def test_a_short_answer_stem_may_name_the_kind_of_answer_but_not_its_number():
    kind_named = item(
        "short",
        "Which court did the Commission recommend?",
        {"answers": [{"text": "International Criminal Court", "fraction": 1.0}]},
    )
    assert check_item(kind_named) == []
    number_given = item(
        "short",
        "On which day of March 2016 did Ri Su-yong announce the boycott?",
        {"answers": [{"text": "1 March 2016", "fraction": 1.0}]},
    )
    assert rules_hit(check_item(number_given)) == {"answer_in_stem"}


def test_answer_in_a_cloze_text_outside_its_blank():
    bad = item(
        "cloze",
        "Fill in the blank.",
        {
            "text": "In {1}, Tae left London; 2016 was a hard year.",
            "blanks": [{"answers": ["2016"]}],
        },
    )
    assert rules_hit(check_item(bad)) == {"answer_in_stem"}
    good = item(
        "cloze",
        "Fill in the blank.",
        {"text": "In {1}, Tae left London.", "blanks": [{"answers": ["2016"]}]},
    )
    assert check_item(good) == []


# -- negative stems, "of the above", copied explanations ------------------------------


@pytest.mark.parametrize(
    "stem", ["In 2016, Tae Yong-ho defected from", "The capital of North Korea is ___"]
)
def test_a_fragment_stem_is_a_warning(stem):
    found = check_item(single(stem, "London", "Rome", "Oslo"))
    assert [(f.rule, f.severity) for f in found] == [("fragment_stem", Severity.WARNING)]


@pytest.mark.parametrize(
    "stem", ["Where did Tae Yong-ho serve?", "Name the city where Tae Yong-ho served."]
)
def test_a_question_or_a_task_is_no_fragment(stem):
    assert check_item(single(stem, "London", "Rome", "Oslo")) == []


def test_negative_stem_is_a_warning_that_asks_for_stress_when_unstressed():
    plain = single("Which of these is not a tactic?", "dialogue", "boycotts", "walkouts")
    found = check_item(plain)
    assert rules_hit(found) == {"negative_stem"}
    assert "stress" in found[0].message and found[0].severity is Severity.WARNING
    stressed = single("Which of these is NOT a tactic?", "dialogue", "boycotts", "walkouts")
    assert "stress the negative" not in check_item(stressed)[0].message
    positive = single("Which of these is a tactic?", "boycotts", "dialogue", "treaties")
    assert check_item(positive) == []
    statement = item("truefalse", "North Korea did not attend the session.", {"answer": True})
    assert "negative_stem" not in rules_hit(check_item(statement))


@pytest.mark.parametrize("text", ["All of the above", "none of the above", "All of these"])
def test_all_or_none_of_the_above_is_an_error(text):
    bad = single("Which body created the Commission?", "the Council", "UNESCO", text)
    assert rules_hit(check_item(bad)) == {"all_or_none_of_the_above"}


def test_none_of_the_above_is_allowed_among_numbers():
    numeric = single("How many recommendations were rejected?", "83", "59", "None of the above")
    assert check_item(numeric) == []


def test_a_stem_copied_from_the_explanation_is_a_warning():
    sentence = "South Korea announced Tae Yong-ho's defection on 17 August 2016 in Seoul."
    copied = item("truefalse", sentence, {"answer": True}, explanation=f"True. {sentence}")
    found = check_item(copied)
    assert rules_hit(found) == {"copied_explanation"}
    assert found[0].severity is Severity.WARNING
    paraphrased = item(
        "truefalse",
        "Seoul made Tae Yong-ho's defection public in the summer of 2016.",
        {"answer": True},
        explanation=f"True. {sentence}",
    )
    assert check_item(paraphrased) == []


# -- options: kind, time span, look ---------------------------------------------------


def test_a_distractor_of_another_kind_by_form_alone():
    bad = single(
        "When did Jo Song-gil leave his embassy?", "10 November 2018", "July 2019", "Kuwait"
    )
    found = check_item(bad)
    assert rules_hit(found) == {"distractor_kind"} and "'Kuwait'" in found[0].message
    good = single(
        "When did Jo Song-gil leave his embassy?", "10 November 2018", "July 2019", "2020"
    )
    assert check_item(good) == []


def test_a_distractor_of_another_kind_known_from_the_facts(facts):
    bad = single("Who presented the cables?", "Ri Il-gyu", "Tae Yong-ho", "Kuwait")
    assert rules_hit(check_item(bad, facts)) == {"distractor_kind"}
    assert check_item(bad) == []  # without facts nothing is known about "Kuwait"
    good = single("Where was Ri Il-gyu posted?", "Cuba", "Kuwait", "London")
    assert check_item(good, facts) == []


def test_a_distractor_from_a_pool_counts_as_its_field(facts):
    # "ambassador" is only in the pool for Tae's post: still a post, like the key.
    good = single(
        "Which post did Tae Yong-ho hold in London when he defected?",
        "deputy ambassador",
        "ambassador",
        "acting ambassador",
        key_name="tpl.defection.post.single:defection.tae",
        fact_ids=["defection.tae"],
    )
    assert "distractor_kind" not in rules_hit(check_item(good, facts))


def test_a_date_distractor_after_the_end_it_must_precede(facts):
    bad = single(
        "Since when had Jo Song-gil been acting ambassador when he left?",
        "October 2017",
        "January 2021",
        "April 2016",
        key_name="tpl.defection.since.single:defection.jo",
        fact_ids=["defection.jo"],
    )
    found = check_item(bad, facts)
    assert rules_hit(found) == {"distractor_time_span"}
    assert "'January 2021'" in found[0].message
    good = single(
        "Since when had Jo Song-gil been acting ambassador when he left?",
        "October 2017",
        "March 2016",
        "April 2016",
        key_name="tpl.defection.since.single:defection.jo",
        fact_ids=["defection.jo"],
    )
    assert check_item(good, facts) == []


def test_the_stem_names_the_round_and_distractors_are_the_other_rounds(facts):
    bad = single(
        "When did North Korea's 4th Universal Periodic Review take place?",
        "7 November 2024",
        "7 December 2009",
        "1 May 2014",
        "9 May 2019",
        key_name="tpl.review_session.date.single:upr.cycle4",
        fact_ids=["upr.cycle4"],
    )
    assert rules_hit(check_item(bad, facts)) == {"distractor_time_span"}
    good = single(
        "When did North Korea's 4th Universal Periodic Review take place?",
        "7 November 2024",
        "7 October 2024",  # not a round of the series
        "9 May 2019",
        key_name="tpl.review_session.date.single:upr.cycle4",
        fact_ids=["upr.cycle4"],
    )
    assert check_item(good, facts) == []


def test_a_false_date_later_than_every_source_of_the_fact(facts):
    # The announcement's sources are dated: none later than 17 August 2016 reports it.
    fact = facts.fact("defection.tae.announced")
    bad = single(
        "When did South Korea announce Tae Yong-ho's defection?",
        "17 August 2016",
        "10 November 2018",
        "July 2016",
        key_name="tpl.event.date.single:defection.tae.announced",
        fact_ids=[fact.id],
    )
    found = check_item(bad, facts)
    assert [(f.rule, f.severity) for f in found] == [("date_after_sources", Severity.WARNING)]
    assert "'10 November 2018'" in found[0].message
    statement = item(
        "truefalse",
        "South Korea announced Tae Yong-ho's defection on 18 July 2024.",
        {"answer": False},
        key="tpl.event.date.truefalse:defection.tae.announced",
        fact_ids=[fact.id],
    )
    assert "'18 July 2024'" in check_item(statement, facts)[0].message
    true_one = item(
        "truefalse",
        "South Korea announced Tae Yong-ho's defection on 17 August 2016.",
        {"answer": True},
        key="tpl.event.statement.truefalse:defection.tae.announced",
        fact_ids=[fact.id],
    )
    assert check_item(true_one, facts) == []
    near = single(
        "When did South Korea announce Tae Yong-ho's defection?",
        "17 August 2016",
        "July 2016",
        "June 2016",
        key_name="tpl.event.date.single:defection.tae.announced",
        fact_ids=[fact.id],
    )
    assert check_item(near, facts) == []


def test_a_false_statements_changed_date_is_held_to_the_facts_span(facts):
    statement = item(
        "truefalse",
        "Jo Song-gil, acting ambassador to Italy from April 2020, left the embassy on 10 "
        "November 2018.",
        {"answer": False},
        key="tpl.defection.since.truefalse:defection.jo",
        fact_ids=["defection.jo"],
    )
    found = check_item(statement, facts)
    assert [f.rule for f in found] == ["distractor_time_span"]
    assert "'April 2020' is after the date it must precede" in found[0].message


def test_options_of_unequal_length_qualifier_or_article():
    longest = single(
        "Where did the envoy walk out?",
        "the Third Committee of the General Assembly in New York",
        "Geneva",
        "Seoul",
    )
    assert rules_hit(check_item(longest)) == {"unequal_options"}
    qualifier = single("How are executions held?", "usually in private", "in public", "abroad")
    assert "qualifier" in check_item(qualifier)[0].message
    article = single("Tae Yong-ho was an", "envoy", "diplomat", "minister")
    found = {f.rule: f.message for f in check_item(article)}
    assert "fits the stem" in found["unequal_options"] and "fragment_stem" in found
    alike = single("Where was Tae Yong-ho posted?", "London", "Rome", "Havana")
    assert check_item(alike) == []


# -- matching and ordering ------------------------------------------------------------


def test_matching_without_a_spare_answer():
    pairs = [{"left": "Tae", "right": "London"}, {"left": "Jo", "right": "Italy"}]
    bad = item(
        "matching", "Match each diplomat to his posting.", {"pairs": pairs, "distractors": []}
    )
    assert rules_hit(check_item(bad)) == {"matching_without_spare"}
    good = item(
        "matching", "Match each diplomat to his posting.", {"pairs": pairs, "distractors": ["Cuba"]}
    )
    assert check_item(good) == []


def test_matching_answers_of_another_kind():
    pairs = [{"left": "Tae", "right": "17 August 2016"}, {"left": "Jo", "right": "October 2020"}]
    bad = item(
        "matching", "Match each defection to its date.", {"pairs": pairs, "distractors": ["Cuba"]}
    )
    assert rules_hit(check_item(bad)) == {"distractor_kind"}


def test_ordering_labels_that_carry_years_or_rounds():
    bad = item(
        "ordering",
        "Put these in order, earliest first.",
        {"items": ["The 1st review", "The 2nd review", "The 2019 review"]},
    )
    found = check_item(bad)
    assert [f.rule for f in found] == ["ordering_labels_reveal_order"] * 3
    good = item(
        "ordering",
        "Put these in order, earliest first.",
        {"items": ["The Third Committee's vote", "Tae's defection", "The first battlefield"]},
    )
    assert check_item(good) == []


# -- true/false balance and the report ------------------------------------------------


def test_true_false_balance_per_topic():
    def tf(answer, topic):
        return item("truefalse", "S.", {"answer": answer}, topics=(topic,))

    items = [tf(True, "a"), tf(True, "a"), tf(True, "a"), tf(False, "a")]
    items += [tf(True, "b"), tf(False, "b")]
    found = true_false_balance(items)
    assert [(f.item_key, f.severity) for f in found] == [("topic:a", Severity.WARNING)]
    assert "3 of 4" in found[0].message


def test_check_items_counts_errors_and_warnings_by_rule(facts):
    bad = single("Which post was not Tae Yong-ho's?", "Tae Yong-ho", "All of the above", "Jo")
    report = counts(check_items([bad], facts))
    assert report["errors"] == 2  # the answer in the stem, "all of the above"
    assert report["warnings"] == {"negative_stem": 1}


def test_a_teacher_item_is_checked_without_facts_and_never_raises():
    odd = {"key": "x", "type": "single", "prompt": None, "data": {"options": "nope"}}
    assert check_item(odd) == []
    assert check_items([odd, {"type": "matching", "data": None}]) == []


def test_findings_name_the_item_and_carry_the_rule_severity(facts):
    bad = single("Who is Tae Yong-ho?", "Tae Yong-ho", "Jo Song-gil", "Ri Il-gyu", key_name="mine")
    (finding,) = check_item(bad, facts)
    assert finding.item_key == "mine"
    assert replace(finding, message="") == replace(
        finding, rule="answer_in_stem", severity=Severity.ERROR, message=""
    )


@pytest.mark.parametrize(
    "opposite",
    ["did not attend the session", "boycotted the session", "never attended the session"],
)
def test_a_distractor_that_is_the_keys_plain_opposite(opposite):
    bad = single("What did the delegation do?", "attended the session", opposite, "left early")
    found = check_item(bad)
    assert rules_hit(found) == {"opposite_of_the_key"} and found[0].severity is Severity.WARNING
    good = single("What did the delegation do?", "attended the session", "sent a letter", "left")
    assert check_item(good) == []


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
_SHAPED = st.fixed_dictionaries(
    {
        "key": st.text(max_size=20),
        "type": st.sampled_from(
            [
                "single",
                "multi",
                "truefalse",
                "short",
                "numeric",
                "ordering",
                "matching",
                "cloze",
                "essay",
            ]
        ),
        "prompt": st.one_of(st.text(max_size=60), st.none(), st.integers()),
        "data": st.one_of(
            _JSON,
            st.fixed_dictionaries(
                {
                    "options": st.lists(
                        st.fixed_dictionaries({"text": _JSON, "correct": _JSON}), max_size=4
                    ),
                    "answers": _JSON,
                    "blanks": _JSON,
                    "text": _JSON,
                    "pairs": _JSON,
                    "items": _JSON,
                }
            ),
        ),
        "explanation": _JSON,
        "topics": _JSON,
        "fact_ids": st.one_of(st.lists(st.text(max_size=10), max_size=2), st.none()),
    }
)


_BASE = load_builtin()


@settings(max_examples=80, deadline=None)
@given(items=st.lists(_SHAPED, max_size=3))
def test_any_item_shape_is_checked_without_an_exception(items):
    check_items(items, _BASE)
    advice(items)
