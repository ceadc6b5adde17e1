import random
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import State

from quizzes.domain.srs import (
    DAY_US,
    MemoryState,
    QueueEntry,
    QueueKind,
    StudySettings,
    describe_backlog_plan,
    due_queue,
    epoch_us,
    exam_priority,
    spread_backlog,
)

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)  # a Monday; study day 2025-03-03 (UTC, 04:00)
TODAY = date(2025, 3, 3)
SETTINGS = StudySettings(enable_fuzzing=False, new_per_day=2, reviews_per_day=2)


def reviewing(stability, due, reviewed_days_ago=10.0):
    return MemoryState(
        State.Review, None, stability, 5.0, due, NOW - timedelta(days=reviewed_days_ago)
    )


def learning(due, state=State.Learning):
    return MemoryState(state, 0, 2.3, 5.0, due, NOW - timedelta(minutes=30))


def new(due):
    return MemoryState.new(due)


CARDS = [
    ("rev:tomorrow", reviewing(1.0, datetime(2025, 3, 4, 5, 0, tzinfo=UTC))),  # next study day
    ("new:3", new(NOW - timedelta(hours=1))),
    ("learn:late", learning(NOW - timedelta(minutes=5))),
    ("rev:steady", reviewing(20.0, NOW - timedelta(days=1))),
    ("learn:soon", learning(NOW + timedelta(minutes=10))),
    ("new:1", new(NOW - timedelta(days=2))),
    ("rev:tonight", reviewing(9.0, datetime(2025, 3, 4, 3, 0, tzinfo=UTC))),  # still today
    ("learn:early", learning(NOW - timedelta(minutes=30), State.Relearning)),
    ("rev:shaky", reviewing(5.0, NOW - timedelta(days=5))),
    ("learn:later", learning(NOW + timedelta(hours=1))),
    ("new:2", new(NOW - timedelta(days=1))),
]


def test_queue_order_learning_then_reviews_at_risk_then_new_then_learn_ahead():
    queue = due_queue(CARDS, NOW, SETTINGS, new_done_today=0, reviews_done_today=0)
    assert [(e.key, e.kind) for e in queue] == [
        ("learn:early", QueueKind.LEARNING),
        ("learn:late", QueueKind.LEARNING),
        ("rev:shaky", QueueKind.REVIEW),  # recall 0.85: S=5, 10 days ago
        ("rev:tonight", QueueKind.REVIEW),  # recall 0.89; rev:steady (0.94) is over the limit
        ("new:1", QueueKind.NEW),
        ("new:2", QueueKind.NEW),
        ("learn:soon", QueueKind.LEARNING),  # due in 10 min: learn-ahead, last
    ]
    assert queue[0] == QueueEntry("learn:early", QueueKind.LEARNING, NOW - timedelta(minutes=30))


def test_done_today_counts_against_the_limits():
    queue = due_queue(CARDS, NOW, SETTINGS, new_done_today=1, reviews_done_today=1)
    assert [e.key for e in queue] == [
        "learn:early",
        "learn:late",
        "rev:shaky",
        "new:1",
        "learn:soon",
    ]


def test_limits_reached_leaves_only_learning_steps():
    queue = due_queue(CARDS, NOW, SETTINGS, new_done_today=7, reviews_done_today=200)
    assert [e.key for e in queue] == ["learn:early", "learn:late", "learn:soon"]


def test_limits_never_exceeded_with_many_cards():
    settings = StudySettings(new_per_day=20, reviews_per_day=200)
    cards = [(f"r{i}", reviewing(1.0 + i % 50, NOW - timedelta(days=1))) for i in range(500)]
    cards += [(f"n{i}", new(NOW - timedelta(minutes=i))) for i in range(100)]
    queue = due_queue(cards, NOW, settings, new_done_today=5, reviews_done_today=50)
    kinds = [e.kind for e in queue]
    assert kinds.count(QueueKind.REVIEW) == 150
    assert kinds.count(QueueKind.NEW) == 15


def test_exam_mode_pulls_in_reviews_that_would_be_forgotten_by_the_exam():
    exam = date(2025, 3, 20)
    cards = [
        ("due:now", reviewing(5.0, NOW - timedelta(days=5))),
        ("fragile", reviewing(3.0, NOW + timedelta(days=2), reviewed_days_ago=1)),
        ("solid", reviewing(500.0, NOW + timedelta(days=400), reviewed_days_ago=1)),
        ("new", new(NOW)),
    ]
    normal = due_queue(cards, NOW, SETTINGS, 0, 0)
    assert [e.key for e in normal] == ["due:now", "new"]
    cram = due_queue(cards, NOW, SETTINGS, 0, 0, exam_date=exam)
    # recall on 2025-03-20: fragile (S=3, 17 days) 0.748 < due:now (S=5, 26 days) 0.757
    assert [e.key for e in cram] == ["fragile", "due:now", "new"]
    limited = due_queue(cards, NOW, SETTINGS, 0, reviews_done_today=1, exam_date=exam)
    assert [e.key for e in limited] == ["fragile", "new"]


def test_exam_priority_orders_by_predicted_recall_on_the_exam_day():
    cards = [
        ("strong", reviewing(100.0, NOW + timedelta(days=90))),
        ("weak", reviewing(2.0, NOW + timedelta(days=1))),
        ("unseen", new(NOW)),
        ("middling", reviewing(10.0, NOW + timedelta(days=9))),
    ]
    assert exam_priority(cards, date(2025, 3, 10), NOW, SETTINGS) == [
        "unseen",
        "weak",
        "middling",
        "strong",
    ]
    # The order follows the exam date: a card reviewed yesterday with S=2 beats one
    # reviewed 10 days ago with S=12 for an exam tomorrow, not for one in two months.
    pair = [
        ("recent", reviewing(2.0, NOW, reviewed_days_ago=1)),
        ("older", reviewing(12.0, NOW, reviewed_days_ago=10)),
    ]
    assert exam_priority(pair, date(2025, 3, 4), NOW, SETTINGS) == ["older", "recent"]
    assert exam_priority(pair, date(2025, 5, 3), NOW, SETTINGS) == ["recent", "older"]
    with pytest.raises(ValueError, match="already past"):
        exam_priority(cards, date(2025, 3, 2), NOW, SETTINGS)


def due_on(counts):
    """A `due_on` for spread_backlog from {day: reviews due that day}, recording the days asked."""
    asked = []

    def lookup(day):
        asked.append(day)
        return counts.get(day, 0)

    lookup.asked = asked
    return lookup


def test_backlog_of_300_with_cap_100_takes_three_days():
    plan = spread_backlog(300, TODAY, room_today=100, cap_per_day=100, due_on=due_on({}))
    assert plan == {date(2025, 3, 3): 100, date(2025, 3, 4): 100, date(2025, 3, 5): 100}
    assert describe_backlog_plan(plan, TODAY) == "100 today, 100 tomorrow, 100 on Wednesday"


def test_backlog_leaves_room_for_reviews_already_due_on_later_days():
    lookup = due_on({date(2025, 3, 4): 60})
    plan = spread_backlog(150, TODAY, room_today=100, cap_per_day=100, due_on=lookup)
    assert plan == {date(2025, 3, 3): 100, date(2025, 3, 4): 40, date(2025, 3, 5): 10}
    # only the days the plan reaches are looked up
    assert lookup.asked == [date(2025, 3, 4), date(2025, 3, 5)]


def test_reviews_done_today_move_the_rest_on():
    plan = spread_backlog(25, TODAY, room_today=6, cap_per_day=10, due_on=due_on({}))
    assert plan == {date(2025, 3, 3): 6, date(2025, 3, 4): 10, date(2025, 3, 5): 9}
    plan = spread_backlog(12, TODAY, room_today=0, cap_per_day=10, due_on=due_on({}))
    assert plan == {date(2025, 3, 4): 10, date(2025, 3, 5): 2}


def test_small_backlog_fits_today_and_a_full_day_is_skipped():
    assert spread_backlog(12, TODAY, 100, 100, due_on({})) == {TODAY: 12}
    assert spread_backlog(0, TODAY, 100, 100, due_on({})) == {}
    full_tomorrow = due_on({date(2025, 3, 4): 5})
    plan = spread_backlog(8, TODAY, room_today=5, cap_per_day=5, due_on=full_tomorrow)
    assert plan == {date(2025, 3, 3): 5, date(2025, 3, 5): 3}
    assert describe_backlog_plan(plan, TODAY) == "5 today, 3 on Wednesday"
    overfull = due_on({date(2025, 3, 4): 9})  # more due than the cap: no room, not less
    assert spread_backlog(3, TODAY, 0, 5, overfull) == {date(2025, 3, 5): 3}
    with pytest.raises(ValueError, match="cap_per_day"):
        spread_backlog(3, TODAY, 3, cap_per_day=0, due_on=due_on({}))


def test_a_plan_stops_at_its_horizon():
    # More falls due every day than the limit: nothing more fits, and only `days` are asked.
    swamped = due_on({TODAY + timedelta(days=n): 12 for n in range(1, 400)})
    plan = spread_backlog(30, TODAY, room_today=4, cap_per_day=10, due_on=swamped, days=14)
    assert plan == {TODAY: 4}
    assert len(swamped.asked) == 13
    plan = spread_backlog(100, TODAY, room_today=10, cap_per_day=10, due_on=due_on({}), days=3)
    assert plan == {TODAY: 10, TODAY + timedelta(days=1): 10, TODAY + timedelta(days=2): 10}


def test_describe_plan_beyond_a_week_uses_dates():
    plan = {date(2025, 3, 9): 1, date(2025, 3, 10): 2}
    assert describe_backlog_plan(plan, TODAY) == "1 on Sunday, 2 on 2025-03-10"


def test_forgetting_index_orders_memories_as_predicted_recall_does():
    rng = random.Random(11)
    states = [
        reviewing(rng.uniform(0.5, 300), NOW, reviewed_days_ago=rng.uniform(0, 400))
        for _ in range(500)
    ]
    for at in (NOW, NOW + timedelta(days=30, hours=7)):
        by_index = sorted(states, key=lambda state: -state.forgetting_index(at))
        recalls = [state.retrievability(at, SETTINGS) for state in by_index]
        assert recalls == sorted(recalls)
        assert len(set(recalls)) > 400  # not a trivial order
    assert new(NOW).forgetting_index(NOW) == float("inf")  # recall 0: first


def test_whole_days_from_epoch_microseconds_match_python():
    rng = random.Random(5)
    for _ in range(2000):
        earlier = NOW + timedelta(microseconds=rng.randrange(-(10**14), 10**14))
        later = earlier + timedelta(
            microseconds=rng.choice([0, 1, DAY_US - 1, DAY_US]) + rng.randrange(10**12)
        )
        assert (epoch_us(later) - epoch_us(earlier)) // DAY_US == (later - earlier).days
    assert epoch_us(datetime(1970, 1, 2, tzinfo=UTC)) == DAY_US


def test_the_queue_is_built_from_its_one_definition(monkeypatch):
    """due_queue takes the parts of srs.QUEUE in turn: put new cards first in the
    definition and they come first, with every other part as before."""
    from quizzes.domain.srs import queue as queue_module

    learning_now, reviews, new_cards, learn_ahead = queue_module.QUEUE
    monkeypatch.setattr(queue_module, "QUEUE", (new_cards, learning_now, reviews, learn_ahead))
    queue = due_queue(CARDS, NOW, SETTINGS, new_done_today=0, reviews_done_today=0)
    assert [e.key for e in queue] == [
        "new:1",
        "new:2",
        "learn:early",
        "learn:late",
        "rev:shaky",
        "rev:tonight",
        "learn:soon",
    ]
