"""What the room sees after a question (the distribution of answers) and after the round
(the leaderboard and per-student totals).

Accuracy first: the leaderboard ranks by credit earned; time only breaks ties between
equal credit, so a slow right answer always beats a fast wrong one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from quizzes.domain.itemtypes import REGISTRY

NO_ANSWER = "No answer"
# Free answers (short, numeric, ordering, matching) are grouped by what was given; past
# this many groups the rest are counted together, so the chart stays readable.
MAX_BARS = 6


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    right: bool  # the label is (or contains only) right answers

    def share(self, of: int) -> float:
        return self.count / of if of else 0.0


@dataclass(frozen=True)
class GivenAnswer:
    response: object  # the item type's parsed response; None = nothing given
    correct: bool


def distribution(
    item_type: str, view: dict, key: dict, answers: Sequence[GivenAnswer], players: int
) -> list[Bar]:
    """Bars for the chart: choice items list every option (a multi-select tick counts for
    each option ticked); others group identical answers. The last bar counts players
    who gave none."""
    module = REGISTRY[item_type]
    given = [answer for answer in answers if answer.response is not None]
    bars: list[Bar] = []
    if item_type in ("single", "multi"):
        right = _right_options(item_type, key)
        ticks: Counter[int] = Counter()
        for answer in given:
            picked = answer.response if isinstance(answer.response, list) else [answer.response]
            ticks.update(i for i in set(picked) if isinstance(i, int))
        bars = [
            Bar(text, ticks[index], index in right) for index, text in enumerate(view["options"])
        ]
    else:
        groups: Counter[str] = Counter()
        right_labels: set[str] = set()
        for answer in given:
            label = module.describe_response(view, answer.response)
            groups[label] += 1
            if answer.correct:
                right_labels.add(label)
        if item_type == "truefalse":
            for label in ("True", "False"):
                groups.setdefault(label, 0)
            right_labels.add(module.describe_key(view, key))
        common = groups.most_common()
        shown, rest = common[:MAX_BARS], common[MAX_BARS:]
        bars = [Bar(label, count, label in right_labels) for label, count in shown]
        if rest:
            bars.append(Bar("Other answers", sum(count for _, count in rest), False))
    bars.append(Bar(NO_ANSWER, max(0, players - len(given)), False))
    return bars


def _right_options(item_type: str, key: dict) -> set[int]:
    correct = key["correct"]
    return set(correct) if isinstance(correct, list) else {correct}


@dataclass(frozen=True)
class Standing:
    player_id: int
    name: str
    credit: float  # sum of scores, 0..1 per question
    right: int
    answered: int
    time_ms: int  # total time to the right answers: the tie-break only


def leaderboard(standings: Sequence[Standing]) -> list[tuple[int, Standing]]:
    """(rank, standing), best first; equal credit and time share a rank."""
    ordered = sorted(standings, key=lambda s: (-round(s.credit, 6), s.time_ms, s.name.casefold()))
    ranked: list[tuple[int, Standing]] = []
    for index, standing in enumerate(ordered):
        previous = ranked[-1] if ranked else None
        same = previous and (round(previous[1].credit, 6), previous[1].time_ms) == (
            round(standing.credit, 6),
            standing.time_ms,
        )
        ranked.append((previous[0] if same else index + 1, standing))
    return ranked
