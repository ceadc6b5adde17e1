"""Each validation rule rejects a crafted bad item, with its reason."""

from __future__ import annotations

import copy

import pytest

from quizzes.domain.generator import validate_item


@pytest.fixture
def single(items_by_key):
    return copy.deepcopy(items_by_key["tpl.defection.posting.single:defection.tae"])


def options(*texts, right=0):
    return [
        {"text": t, "correct": i == right, **({} if i == right else {"why": "because"})}
        for i, t in enumerate(texts)
    ]


def test_a_generated_item_is_valid(single, builtin):
    assert validate_item(single, builtin) == []


def test_distractor_that_folds_like_the_answer_is_rejected(single, builtin):
    single["prompt"] = "Who was the deputy ambassador in London?"
    single["data"]["options"] = options("Tae Yong-ho", "Thae Yong Ho", "Jo Song-gil", "Ri Il-gyu")
    problems = validate_item(single, builtin)
    assert "distractor 'Thae Yong Ho' is also correct" in problems


def test_distractor_that_is_a_known_truth_is_rejected(single, builtin):
    single["data"]["options"] = options("deputy ambassador", "Minister", "ambassador")
    single["prompt"] = "Which post did Tae Yong-ho hold?"
    truths = ["deputy ambassador", "minister", "number two at the embassy"]
    assert validate_item(single, builtin, truths) == ["distractor 'Minister' is also correct"]


def test_duplicate_options_are_rejected(single, builtin):
    single["data"]["options"] = options("London", "Cuba", "cuba.", "Italy")
    assert validate_item(single, builtin) == [
        "The option 'cuba.' is listed twice",
        "duplicate options: Cuba, cuba.",
    ]


def test_too_few_options_are_rejected(single, builtin, items_by_key):
    single["data"]["options"] = options("London", "Cuba")
    assert validate_item(single, builtin) == ["single with 2 options (needs 3)"]
    multi = copy.deepcopy(items_by_key["tpl.defection.post.multi:defection.jo+defection.ryu"])
    multi["data"]["options"] = multi["data"]["options"][:3]
    assert validate_item(multi, builtin) == ["multi with 3 options (needs 4)"]


def test_wrong_option_without_a_reason_is_rejected(single, builtin):
    del single["data"]["options"][1]["why"]
    text = single["data"]["options"][1]["text"]
    assert validate_item(single, builtin) == [f"wrong option {text!r} has no why"]


def test_answer_in_its_own_prompt_is_rejected(single, builtin, items_by_key):
    single["prompt"] = "Tae Yong-ho was posted in London. Where was he posted?"
    assert validate_item(single, builtin) == ["answer 'London' appears in its own prompt"]
    numeric = copy.deepcopy(items_by_key["tpl.review_session.recommendations.numeric:upr.cycle3"])
    numeric["prompt"] = "Of 262 recommendations at the 3rd review, how many were there?"
    assert validate_item(numeric, builtin) == ["answer '262' appears in its own prompt"]
    short = copy.deepcopy(items_by_key["tpl.defection.person.short:defection.tae"])
    short["prompt"] = "Thae Yong-ho: who defected from London?"
    assert "answer 'Thae Yong-ho' appears in its own prompt" in validate_item(short, builtin)


def test_true_false_from_an_unverified_fact_is_rejected(builtin, items_by_key):
    item = copy.deepcopy(items_by_key["tpl.document.statement.truefalse:report.article"])
    item["fact_ids"] = ["report.article_day"]
    item["prompt"] = "The Korea Times report appeared on 12 November 2024."
    assert validate_item(item, builtin) == [
        "true/false statement built from unverified (U) fact 'report.article_day'"
    ]


def test_report_only_fact_needs_report_wording(builtin, items_by_key):
    item = copy.deepcopy(items_by_key["tpl.statement.statement.truefalse:report.sensitivity"])
    item["prompt"] = "Kim Jong-un's sensitivity to the criticism grew from 2017 onward."
    assert validate_item(item, builtin) == [
        "report-only (R) fact 'report.sensitivity' not worded as the report's claim"
    ]


def test_missing_and_unknown_sources_are_rejected(single, builtin):
    no_source = copy.deepcopy(single)
    no_source["sources"] = []
    assert "no source" in validate_item(no_source, builtin)
    unknown = copy.deepcopy(single)
    unknown["sources"] = [*single["sources"], "NOPE"]
    assert validate_item(unknown, builtin) == ["unknown source key 'NOPE'"]
    partial = copy.deepcopy(single)
    partial["sources"] = ["IND", "EN"]
    assert validate_item(partial, builtin) == ["does not cite source 'WT' of fact 'defection.tae'"]


def test_admission_of_political_prison_camps_is_forbidden_wording(builtin, items_by_key):
    item = copy.deepcopy(items_by_key["tpl.statement.statement.truefalse:admission.camps_denied"])
    item["prompt"] = "At its 4th review North Korea admitted political prison camps."
    assert validate_item(item, builtin) == [
        "worded as an admission of political prison camps (North Korea denied they exist)"
    ]


def test_shape_problems_are_reported(builtin, items_by_key, single):
    cloze = copy.deepcopy(items_by_key["tpl.review_session.figures.cloze:upr.cycle3"])
    cloze["data"]["blanks"].pop()
    # The generator checks data with the type's own schema, the one imported files meet.
    assert validate_item(cloze, builtin) == [
        "the text must mark each of the 2 blank(s) once as {1}, {2}...; it marks {1}, {2}, {3}"
    ]
    two_right = copy.deepcopy(single)
    two_right["data"]["options"][1]["correct"] = True
    assert validate_item(two_right, builtin) == [
        "a single-choice question needs exactly one right option, not 2"
    ]
    bad_key = copy.deepcopy(single)
    bad_key["key"] = "defection.tae.3"
    assert validate_item(bad_key, builtin) == [
        "key 'defection.tae.3' is not template id + fact ids (at most 255 characters)"
    ]
    missing = copy.deepcopy(single)
    del missing["difficulty"]
    assert validate_item(missing, builtin) == ["missing keys: difficulty"]
