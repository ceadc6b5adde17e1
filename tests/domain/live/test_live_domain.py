"""The pure parts of live sessions: the round's states, nicknames, question choice and
the numbers the room sees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from random import Random

import pytest

from quizzes.domain.live import choice, nicknames
from quizzes.domain.live.results import GivenAnswer, Standing, distribution, leaderboard
from quizzes.domain.live.rounds import GRACE, Action, IllegalMove, Phase, Round, apply

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def lobby(total: int = 3) -> Round:
    return Round(phase=Phase.LOBBY, position=-1, total=total, seconds=20)


def test_a_round_runs_start_close_next_and_ends_after_the_last():
    state = apply(lobby(2), Action.START, NOW)
    assert (state.phase, state.position, state.deadline) == (
        Phase.QUESTION,
        0,
        NOW + timedelta(seconds=20),
    )
    state = apply(state, Action.CLOSE, NOW + timedelta(seconds=5))
    assert state.phase is Phase.RESULTS and state.deadline is None
    state = apply(state, Action.NEXT, NOW + timedelta(seconds=9))
    assert (state.phase, state.position) == (Phase.QUESTION, 1)
    state = apply(apply(state, Action.CLOSE, NOW), Action.NEXT, NOW)
    assert state.phase is Phase.ENDED


def test_pause_keeps_the_time_left_not_the_deadline():
    state = apply(lobby(), Action.START, NOW)
    paused = apply(state, Action.PAUSE, NOW + timedelta(seconds=15))
    assert paused.paused_ms == 5000 and paused.time_left_ms(NOW + timedelta(hours=1)) == 5000
    assert paused.accepts_answers(NOW + timedelta(hours=1))
    resumed = apply(paused, Action.RESUME, NOW + timedelta(minutes=2))
    assert resumed.deadline == NOW + timedelta(minutes=2, seconds=5)


def test_answers_count_until_the_deadline_and_its_grace():
    state = apply(lobby(), Action.START, NOW)
    assert state.accepts_answers(NOW + timedelta(seconds=20) + GRACE)
    too_late = NOW + timedelta(seconds=20) + GRACE + timedelta(milliseconds=1)
    assert not state.accepts_answers(too_late)
    assert not apply(state, Action.CLOSE, NOW).accepts_answers(NOW)


def test_skip_marks_the_question_and_moves_on():
    state = apply(apply(lobby(), Action.START, NOW), Action.SKIP, NOW)
    assert state.skipped == {0} and (state.phase, state.position) == (Phase.QUESTION, 1)


@pytest.mark.parametrize(
    ("actions", "refused"),
    [
        ((), Action.NEXT),
        ((), Action.CLOSE),
        ((Action.START,), Action.START),
        ((Action.START,), Action.NEXT),
        ((Action.START,), Action.RESUME),
        ((Action.START, Action.CLOSE), Action.SKIP),
        ((Action.START, Action.CLOSE), Action.PAUSE),
        ((Action.END,), Action.END),
    ],
)
def test_moves_that_do_not_apply_are_refused(actions, refused):
    state = lobby()
    for action in actions:
        state = apply(state, action, NOW)
    with pytest.raises(IllegalMove):
        apply(state, refused, NOW)


def test_an_empty_round_cannot_start():
    with pytest.raises(IllegalMove):
        apply(lobby(0), Action.START, NOW)


@pytest.mark.parametrize(
    "name", ["fuck", "F.U.C.K", "fuuuuck", "Ｆｕｃｋ", "sh1t", "$h!t", "b1tch", "kill", "my dick"]
)
def test_abusive_nicknames_are_refused(name):
    with pytest.raises(nicknames.NicknameRefused, match="not allowed"):
        nicknames.check(name, [])


@pytest.mark.parametrize("name", ["Anna", "Dickens", "Skill", "Sexton", "Diego", "Ji-woo", "민준"])
def test_ordinary_names_pass(name):
    assert nicknames.check(name, []) == name


def test_nicknames_are_cleaned_and_unique_in_the_session():
    assert nicknames.check("  Ｍｉｎａ \u200b ", []) == "Mina"
    with pytest.raises(nicknames.NicknameRefused, match="already called"):
        nicknames.check("MINA", ["mina"])
    for bad in ("", "   ", "\u200b", "!!!", "x" * 21):
        with pytest.raises(nicknames.NicknameRefused):
            nicknames.check(bad, [])


def candidate(key: str, topic: str, item_type: str = "single") -> choice.Candidate:
    return choice.Candidate(key, item_type, (topic,), (f"fact:{key}",))


def test_drawing_starts_with_the_topics_the_class_knows_least():
    items = [candidate(f"{topic}{n}", topic) for topic in ("known", "weak") for n in range(3)]
    later = NOW + timedelta(days=5)
    # Both students remember every "known" fact until later; "weak" facts are due now.
    due = {s: {f"fact:known{n}": later for n in range(3)} for s in (1, 2)}
    drawn = choice.draw(items, 4, due, NOW, Random(1))
    assert [key[:4] for key in drawn] == ["weak", "know", "weak", "know"]
    assert choice.topic_weakness(items, due, NOW) == {"known": 0.0, "weak": 1.0}


def test_drawing_leaves_out_types_too_slow_for_a_live_round():
    items = [candidate("a", "t", "cloze"), candidate("b", "t", "short")]
    assert choice.draw(items, 5, {}, NOW, Random(0)) == ["b"]
    assert not choice.answerable_live("cloze")


def test_the_distribution_lists_every_option_and_who_gave_none():
    view = {"options": ["Pyongyang", "Kaesong", "Wonsan"]}
    answers = [GivenAnswer(0, True), GivenAnswer(0, True), GivenAnswer(2, False)]
    bars = distribution("single", view, {"correct": 0}, answers, players=5)
    assert [(b.label, b.count, b.right) for b in bars] == [
        ("Pyongyang", 2, True),
        ("Kaesong", 0, False),
        ("Wonsan", 1, False),
        ("No answer", 2, False),
    ]


def test_free_answers_are_grouped_and_the_tail_counted_together():
    answers = [GivenAnswer(f"word{n % 8}", n % 8 == 0) for n in range(16)]
    bars = distribution("short", {}, {"answers": [{"text": "word0", "fraction": 1.0}]}, answers, 16)
    assert len(bars) == 8 and bars[-2].label == "Other answers" and bars[-2].count == 4
    assert [b.label for b in bars if b.right] == ["word0"]


def test_speed_never_beats_accuracy_on_the_leaderboard():
    slow_right = Standing(1, "slow", credit=2.0, right=2, answered=2, time_ms=19_000)
    fast_wrong = Standing(2, "fast", credit=1.0, right=1, answered=2, time_ms=1_000)
    tie = Standing(3, "tie", credit=2.0, right=2, answered=2, time_ms=19_000)
    ranked = leaderboard([fast_wrong, slow_right, tie])
    assert [(rank, s.name) for rank, s in ranked] == [(1, "slow"), (1, "tie"), (3, "fast")]
