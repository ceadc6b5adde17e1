"""Essays through the item-writing checker: the stem rules apply, and an essay asks why or how."""

import pytest

from quizzes.domain.checker import advice, check_item, describe


def essay(prompt, explanation="The armistice only stopped the fighting."):
    return {
        "key": "k",
        "type": "essay",
        "prompt": prompt,
        "data": {"word_limit": 200},
        "explanation": explanation,
        "sources": [],
        "topics": ["war"],
        "difficulty": 0.5,
        "fact_ids": [],
    }


def rules(item):
    return sorted(finding.rule for finding in check_item(item))


@pytest.mark.parametrize(
    "prompt",
    [
        "Why did the 1953 armistice leave the Korean War unfinished?",
        "Explain how the armistice line was drawn.",
        "Compare the 2009 and 2024 statements.",
        "To what extent did the sanctions work?",
    ],
)
def test_an_essay_that_asks_why_or_how_passes(prompt):
    assert rules(essay(prompt)) == []


@pytest.mark.parametrize("prompt", ["In which year was the armistice signed?", "Name the city."])
def test_an_essay_that_asks_for_a_fact_is_told_to_ask_why_or_how(prompt):
    [finding] = check_item(essay(prompt))
    assert finding.rule == "essay_asks_recall"
    assert describe(finding).startswith("An essay that asks for a fact: the prompt asks for")


def test_the_stem_rules_apply_to_essays_too():
    assert rules(essay("Why did the armistice not end the war?")) == ["negative_stem"]
    copied = essay(
        "Explain why the armistice only stopped the fighting between the two sides in 1953.",
        explanation="The armistice only stopped the fighting between the two sides in 1953.",
    )
    assert "copied_explanation" in rules(copied)


def test_a_set_with_an_essay_is_advised_like_any_other():
    [(index, finding)] = advice([essay("Explain why."), essay("Name the year.")])
    assert index == 1 and finding.rule == "essay_asks_recall"
