from datetime import UTC, datetime, timedelta
from random import Random

from quizzes.quiz.selection import Candidate, choose, is_priority, spread_types

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def test_priority_is_unseen_missed_or_due():
    assert is_priority(Candidate("a"), NOW)
    assert is_priority(Candidate("b", seen=True, last_correct=False), NOW)
    assert is_priority(Candidate("c", seen=True, last_correct=True, due=NOW), NOW)
    assert not is_priority(
        Candidate("d", seen=True, last_correct=True, due=NOW + timedelta(1)), NOW
    )
    assert not is_priority(Candidate("e", seen=True, last_correct=True), NOW)


def test_choose_takes_priority_items_then_the_soonest_forgotten():
    candidates = [
        Candidate("known-late", seen=True, last_correct=True, due=NOW + timedelta(days=30)),
        Candidate("known-soon", seen=True, last_correct=True, due=NOW + timedelta(days=2)),
        Candidate("known-no-memory", seen=True, last_correct=True),
        Candidate("missed", seen=True, last_correct=False, due=NOW + timedelta(days=9)),
        Candidate("new"),
        Candidate("known-mid", seen=True, last_correct=True, due=NOW + timedelta(days=5)),
    ]
    for seed in range(20):
        assert set(choose(candidates, 2, NOW, Random(seed))) == {"missed", "new"}
        assert set(choose(candidates, 3, NOW, Random(seed))) == {"missed", "new", "known-soon"}
        assert set(choose(candidates, 5, NOW, Random(seed))) == {
            "missed",
            "new",
            "known-soon",
            "known-mid",
            "known-late",
        }


def test_choose_never_repeats_and_shuffles_the_order():
    candidates = [Candidate(f"k{i}") for i in range(10)] + [Candidate("k3")]
    orders = {tuple(choose(candidates, 10, NOW, Random(seed))) for seed in range(10)}
    assert all(sorted(order) == sorted(f"k{i}" for i in range(10)) for order in orders)
    assert len(orders) == 10


def test_choose_is_repeatable_with_the_same_rng_and_handles_small_banks():
    candidates = [Candidate(f"k{i}") for i in range(6)]
    assert choose(candidates, 4, NOW, Random(7)) == choose(candidates, 4, NOW, Random(7))
    assert len(choose(candidates, 50, NOW, Random(1))) == 6
    assert choose([], 5, NOW, Random(1)) == []
    assert choose(candidates, 0, NOW, Random(1)) == []


def test_spread_types_shows_each_type_before_repeating_one():
    keys = {"single": ["s1", "s2", "s3"], "short": ["t1"], "cloze": ["c1", "c2"]}
    for seed in range(10):
        chosen = spread_types(keys, 4, Random(seed))
        assert len(chosen) == 4
        assert {"s1", "t1", "c1"} <= set(chosen)
    assert sorted(spread_types(keys, 10, Random(0))) == ["c1", "c2", "s1", "s2", "s3", "t1"]


def test_a_quiz_asks_about_each_fact_once():
    """Several items per fact (who, when, a cloze of the statement): one would give away
    another's answer, so a quiz takes one of them, even when that makes it shorter."""
    candidates = [
        Candidate("tae.who", facts=frozenset({"tae"})),
        Candidate("tae.when", facts=frozenset({"tae"})),
        Candidate("tae.cloze", facts=frozenset({"tae"})),
        Candidate("ri.when", facts=frozenset({"ri"})),
        Candidate("timeline", facts=frozenset({"ri", "upr"})),  # overlaps ri.when
        Candidate("upr.year", facts=frozenset({"upr"})),
        Candidate("teacher.a"),  # no facts: each item is its own
        Candidate("teacher.b"),
    ]
    for seed in range(30):
        chosen = choose(candidates, 10, NOW, Random(seed))
        facts = [c.facts for c in candidates if c.key in chosen]
        assert sum(len(f) for f in facts) == len(frozenset().union(*facts))  # no fact twice
        assert {"teacher.a", "teacher.b"} <= set(chosen)
        assert len([k for k in chosen if k.startswith("tae.")]) == 1
        # One tae item and the two teacher items, then either the timeline (which asks
        # about ri and upr) or ri.when and upr.year.
        expected = 4 if "timeline" in chosen else 5
        assert len(chosen) == expected


def test_an_assignment_takes_every_item_the_teacher_chose():
    candidates = [Candidate(f"tae.{n}", facts=frozenset({"tae"})) for n in range(3)]
    chosen = choose(candidates, 3, NOW, Random(0), one_per_fact=False)
    assert sorted(chosen) == ["tae.0", "tae.1", "tae.2"]


def test_the_facts_apart_rule_keeps_the_priority_order():
    seen_and_known = dict(seen=True, last_correct=True, due=NOW + timedelta(days=30))
    candidates = [
        Candidate("tae.known", facts=frozenset({"tae"}), **seen_and_known),
        Candidate("tae.missed", facts=frozenset({"tae"}), seen=True, last_correct=False),
    ]
    for seed in range(10):
        assert choose(candidates, 2, NOW, Random(seed)) == ["tae.missed"]


def test_the_sample_spreads_types_and_asks_each_fact_once():
    keys_by_type = {"single": ["s1", "s2"], "short": ["t1", "t2"], "cloze": ["c1"]}
    facts_of = {
        "s1": frozenset({"tae"}),
        "t1": frozenset({"tae"}),
        "s2": frozenset({"ri"}),
        "t2": frozenset({"upr"}),
        "c1": frozenset({"tae"}),
    }
    for seed in range(20):
        chosen = spread_types(keys_by_type, 3, Random(seed), facts_of)
        assert len(chosen) == 3
        assert len([k for k in chosen if "tae" in facts_of[k]]) <= 1
    # Without facts, as before: one of each type first.
    assert sorted(spread_types(keys_by_type, 3, Random(1))) == ["c1", "s1", "t1"]
