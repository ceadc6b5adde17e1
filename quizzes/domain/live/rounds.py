"""The state machine of a live round, and the clock arithmetic of its questions.

lobby -> question -> results -> question -> ... -> ended. A question may be paused (the
time left is kept, not the deadline), skipped (no results, nobody's answer counts) or
closed early; "end" stops the round from anywhere. The server clock decides: a phone's
clock never does.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

# An answer sent in the last instant before the deadline is still on its way: it counts
# when it arrives within this grace.
GRACE = timedelta(milliseconds=1500)
MIN_SECONDS, MAX_SECONDS = 5, 300


class Phase(enum.StrEnum):
    LOBBY = "lobby"
    QUESTION = "question"
    RESULTS = "results"
    ENDED = "ended"


class Action(enum.StrEnum):
    START = "start"  # the first question
    CLOSE = "close"  # time is up (or the teacher stops it early): show the results
    NEXT = "next"  # from the results to the next question (or the end after the last)
    SKIP = "skip"  # leave the open question out, on to the next
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


class IllegalMove(Exception):
    """The action does not apply in this phase (a double click, a stale page)."""


@dataclass(frozen=True)
class Round:
    phase: Phase
    position: int  # 0-based index of the current question; -1 in the lobby
    total: int
    seconds: int  # per question
    deadline: datetime | None = None  # while a question runs
    paused_ms: int | None = None  # time left of a paused question
    skipped: frozenset[int] = frozenset()

    @property
    def paused(self) -> bool:
        return self.paused_ms is not None

    def time_left_ms(self, now: datetime) -> int:
        if self.phase is not Phase.QUESTION:
            return 0
        if self.paused_ms is not None:
            return self.paused_ms
        assert self.deadline is not None
        return max(0, int((self.deadline - now).total_seconds() * 1000))

    def accepts_answers(self, now: datetime) -> bool:
        """Whether an answer arriving now counts: the question is open (a paused one too:
        pausing stops the clock, not the thinking) and its deadline, with grace, is ahead."""
        if self.phase is not Phase.QUESTION:
            return False
        if self.paused_ms is not None:
            return True
        assert self.deadline is not None
        return now <= self.deadline + GRACE


def _open(state: Round, position: int, now: datetime) -> Round:
    return replace(
        state,
        phase=Phase.QUESTION,
        position=position,
        deadline=now + timedelta(seconds=state.seconds),
        paused_ms=None,
    )


def _ended(state: Round) -> Round:
    return replace(state, phase=Phase.ENDED, deadline=None, paused_ms=None)


def apply(state: Round, action: Action, now: datetime) -> Round:
    """The round after `action` at `now`; IllegalMove when it does not apply."""
    phase = state.phase
    if action is Action.END:
        if phase is Phase.ENDED:
            raise IllegalMove("The session has ended already.")
        return _ended(state)
    if action is Action.START and phase is Phase.LOBBY:
        if state.total == 0:
            raise IllegalMove("The session has no questions.")
        return _open(state, 0, now)
    if action is Action.CLOSE and phase is Phase.QUESTION:
        return replace(state, phase=Phase.RESULTS, deadline=None, paused_ms=None)
    if action in (Action.NEXT, Action.SKIP) and phase in (Phase.RESULTS, Phase.QUESTION):
        if action is Action.NEXT and phase is Phase.QUESTION:
            raise IllegalMove("Close the question first, or skip it.")
        if action is Action.SKIP and phase is Phase.RESULTS:
            raise IllegalMove("Only an open question can be skipped.")
        skipped = state.skipped | {state.position} if action is Action.SKIP else state.skipped
        state = replace(state, skipped=skipped)
        if state.position + 1 >= state.total:
            return _ended(state)
        return _open(state, state.position + 1, now)
    if action is Action.PAUSE and phase is Phase.QUESTION and not state.paused:
        return replace(state, paused_ms=state.time_left_ms(now), deadline=None)
    if action is Action.RESUME and phase is Phase.QUESTION and state.paused:
        left = timedelta(milliseconds=state.paused_ms or 0)
        return replace(state, deadline=now + left, paused_ms=None)
    raise IllegalMove(f"“{action.value}” does not apply while the session is {_describe(state)}.")


def _describe(state: Round) -> str:
    if state.phase is Phase.QUESTION:
        return "paused" if state.paused else "showing a question"
    return {
        Phase.LOBBY: "waiting to start",
        Phase.RESULTS: "showing results",
        Phase.ENDED: "ended",
    }[state.phase]
