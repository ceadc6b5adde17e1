from datetime import UTC, datetime, timedelta, timezone

import pytest
from fsrs import Rating, State

from quizzes.domain.srs import (
    MemoryState,
    Phase,
    StudySettings,
    fsrs_card_id,
    memory_key,
    memory_keys,
    review,
)

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def test_an_item_from_one_fact_trains_that_fact():
    assert memory_key(["defection.tae"], "defection.tae.single.post", None) == "fact:defection.tae"


def test_an_item_from_several_facts_trains_each_fact_once():
    keys = memory_keys(["a", "b", "a"], "tmpl.a.b", None)
    assert keys == ("fact:a", "fact:b")
    with pytest.raises(ValueError, match="use memory_keys"):
        memory_key(["a", "b"], "tmpl.a.b", None)


def test_without_facts_a_card_then_an_item_has_its_own_memory():
    assert memory_key([], "3f2c-uuid", 42) == "card:42"
    assert memory_key([], "3f2c-uuid", None) == "item:3f2c-uuid"
    with pytest.raises(ValueError, match="needs fact ids, a card id or an item key"):
        memory_key([], None, None)


def test_fsrs_card_id_is_a_stable_positive_int():
    assert fsrs_card_id("fact:defection.tae") == 4343501842755296672
    assert 0 < fsrs_card_id("card:1") < 2**63
    assert fsrs_card_id("card:1") != fsrs_card_id("card:2")


def test_new_memory_is_learning_step_zero_due_now():
    state = MemoryState.new(NOW)
    assert (state.state, state.step, state.stability, state.difficulty) == (
        State.Learning,
        0,
        None,
        None,
    )
    assert state.due == NOW and state.last_review is None
    assert state.is_new and state.phase == Phase.NEW
    assert state.retrievability(NOW, StudySettings()) == 0.0


def test_json_round_trip_of_new_and_reviewed_memories():
    settings = StudySettings(enable_fuzzing=False)
    new = MemoryState.new(NOW)
    reviewed, _ = review(new, Rating.Good, NOW, settings)
    assert new.to_json() == (
        '{"difficulty": null, "due": "2025-03-03T09:00:00+00:00", "last_review": null, '
        '"stability": null, "state": 1, "step": 0}'
    )
    for state in (new, reviewed):
        assert MemoryState.from_json(state.to_json()) == state


def test_due_is_kept_in_utc():
    plus_nine = timezone(timedelta(hours=9))
    state = MemoryState.new(datetime(2025, 3, 3, 18, 0, tzinfo=plus_nine))
    assert state.due == NOW and state.due.tzinfo == UTC
    assert state.to_dict()["due"] == "2025-03-03T09:00:00+00:00"


def test_zero_is_not_confused_with_missing():
    # fsrs' Card.from_dict turns a falsy 0.0 into None; ours keeps numbers.
    data = MemoryState(State.Review, None, 5.0, 1.0, NOW, NOW).to_dict()
    data["difficulty"] = 0.0
    assert MemoryState.from_dict(data).difficulty == 0.0


def test_retrievability_decays_by_whole_days():
    settings = StudySettings()
    state = MemoryState(State.Review, None, 10.0, 5.0, NOW, NOW - timedelta(days=10))
    assert state.retrievability(NOW, settings) == pytest.approx(0.9)  # R(S) = 90% by design
    later = NOW + timedelta(hours=23)
    assert state.retrievability(later, settings) == state.retrievability(NOW, settings)
    assert state.retrievability(NOW + timedelta(days=10), settings) < 0.9


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ((State.Review, None, 1.0, None, NOW, NOW), "both set or both unset"),
        ((State.Review, 0, 1.0, 5.0, NOW, NOW), "Review memory has no learning step"),
        ((State.Relearning, None, 1.0, 5.0, NOW, NOW), "needs a learning step"),
        ((State.Review, None, None, None, NOW, NOW), "needs stability and difficulty"),
        ((State.Learning, 0, None, None, datetime(2025, 3, 3), None), "due must be"),
    ],
)
def test_inconsistent_memories_are_refused(fields, message):
    with pytest.raises(ValueError, match=message):
        MemoryState(*fields)
