"""The quiz assembler on the real bank: quizzes mean their size, show the ticked types,
and never draw two items of which one gives the other away."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.domain.checker import Severity, check_items, exposure
from quizzes.domain.checker.giveaway import giveaway_reason
from quizzes.domain.facts import load_builtin
from quizzes.domain.generator import build_bank
from quizzes.quiz.selection import Candidate, choose

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _bank_sets() -> dict[str, list[dict]]:
    """The built-in sets as the build loads them (no item with a checker error)."""
    base = load_builtin()
    report = build_bank(base, 0)
    failed = {f.item_key for f in check_items(report.items, base) if f.severity is Severity.ERROR}
    file_of = {fact.id: Path(fact.file).stem for fact in base.facts}
    sets: dict[str, list[dict]] = {}
    for item in report.items:
        if item["key"] not in failed:
            sets.setdefault(file_of[item["fact_ids"][0]], []).append(item)
    return sets


SETS = _bank_sets()
BY_KEY = {item["key"]: item for items in SETS.values() for item in items}


def candidates(items):
    return [
        Candidate(i["key"], facts=frozenset(i["fact_ids"]), item_type=i["type"], content=i)
        for i in items
    ]


def clashes(keys, explanations):
    shown = [exposure(BY_KEY[key], with_explanation=explanations) for key in keys]
    return [
        reason
        for a, b in combinations(shown, 2)
        if (reason := giveaway_reason(a, b, explanations=explanations))
    ]


@settings(max_examples=150, deadline=None)
@given(
    set_name=st.sampled_from(sorted(SETS)),
    size=st.integers(min_value=1, max_value=50),
    seed=st.integers(min_value=0, max_value=2**32),
    explanations=st.booleans(),
    types=st.sets(st.sampled_from(["single", "multi", "truefalse", "short", "numeric", "cloze"])),
)
def test_no_drawn_pair_gives_the_other_away(set_name, size, seed, explanations, types):
    items = [i for i in SETS[set_name] if not types or i["type"] in types]
    keys = choose(candidates(items), size, NOW, Random(seed), explanations=explanations)
    assert len(keys) == len(set(keys)) <= size
    assert clashes(keys, explanations) == []
    if items:
        assert keys  # something is always drawn


def test_a_ten_question_defections_quiz_has_ten_questions_of_many_types():
    for seed in range(30):
        keys = choose(candidates(SETS["defections"]), 10, NOW, Random(seed))
        types = Counter(BY_KEY[key]["type"] for key in keys)
        assert len(keys) == 10
        assert len(types) >= 5 and max(types.values()) <= 3, types


def test_several_items_on_one_fact_when_none_gives_another_away():
    facts_asked = []
    for seed in range(10):
        keys = choose(candidates(SETS["upr"]), 20, NOW, Random(seed))
        facts_asked.append(Counter(f for key in keys for f in BY_KEY[key]["fact_ids"]))
    assert any(max(counts.values()) >= 2 for counts in facts_asked)
    # A set of few facts still gives more questions than it has facts.
    upr_facts = {f for item in SETS["upr"] for f in item["fact_ids"]}
    assert max(sum(1 for _ in c.elements()) for c in facts_asked) > len(upr_facts)


@pytest.mark.parametrize("ticked", [("single", "cloze"), ("short", "numeric", "truefalse")])
def test_ticked_types_take_turns_as_far_as_the_set_has_them(ticked):
    items = [i for i in SETS["tactics"] if i["type"] in ticked]
    present = {i["type"] for i in items}
    for seed in range(20):
        keys = choose(candidates(items), 6, NOW, Random(seed))
        drawn = Counter(BY_KEY[key]["type"] for key in keys)
        assert set(drawn) == present, drawn
        assert max(drawn.values()) - min(drawn.values()) <= 2


def test_a_quiz_smaller_than_the_ticked_types_shows_as_many_types_as_it_has_questions():
    keys = choose(candidates(SETS["defections"]), 3, NOW, Random(4))
    assert len({BY_KEY[key]["type"] for key in keys}) == 3


def test_explanations_read_mid_quiz_count_when_feedback_is_immediate():
    defections = candidates(SETS["defections"])
    # Drawn for feedback at the end, some explanations would give answers away mid-quiz...
    at_end = [choose(defections, 50, NOW, Random(seed)) for seed in range(10)]
    assert any(clashes(keys, explanations=True) for keys in at_end)
    # ...drawn for feedback after each item, none does.
    for seed in range(10):
        keys = choose(defections, 50, NOW, Random(seed), explanations=True)
        assert clashes(keys, explanations=True) == []
