"""Item analysis of an assignment, computed the way Moodle's quiz statistics compute it.

For each item, over the attempts that contained it (x = the item's score, 0..1; X = the
sum of the attempt's item scores; s = number of attempts):

- facility index: the mean of x, as a percentage of the maximum (here 1): how easy it was;
- standard deviation of x (sample, s - 1);
- discrimination index: 100 * cov(x, X - x) / sqrt(var(x) * var(X - x)), the correlation
  between the item and the rest of the test (Moodle, question/classes/statistics/questions/
  calculator.php). None when either variance is 0 or s < 2;
- discriminative efficiency: 100 * cov(x, X - x) / cov_max, where cov_max pairs both lists
  sorted, the largest covariance those scores could have.

Then option frequencies (how often each option was picked, blank answers apart) and flags
that say in plain words what a teacher might look at.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from quizzes.domain.text import counted

# Below this many attempts the numbers say little; flags say so instead of judging.
MIN_RELIABLE = 5
COMMON_ANSWERS = 5


@dataclass(frozen=True)
class Answer:
    """One item in one attempt: its score and what was picked or typed (() = blank)."""

    item_key: str
    score: float
    picked: tuple[str, ...] = ()


@dataclass(frozen=True)
class OptionCount:
    label: str
    count: int
    right: bool | None  # None for typed answers, where "right" depends on grading


@dataclass(frozen=True)
class ItemAnalysis:
    item_key: str
    attempts: int
    facility: float | None  # 0..100
    sd: float | None  # 0..100
    discrimination: float | None  # -100..100
    efficiency: float | None  # -100..100
    options: tuple[OptionCount, ...]
    blank: int
    flags: tuple[str, ...]


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _covariance(xs: Sequence[float], ys: Sequence[float]) -> float:
    mx, my = _mean(xs), _mean(ys)
    return math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (len(xs) - 1)


@dataclass(frozen=True)
class _Moments:
    facility: float | None
    sd: float | None
    discrimination: float | None
    efficiency: float | None


def _moments(marks: Sequence[float], others: Sequence[float]) -> _Moments:
    count = len(marks)
    if count == 0:
        return _Moments(None, None, None, None)
    facility = 100 * _mean(marks)
    if count < 2:
        return _Moments(facility, None, None, None)
    var_mark = _covariance(marks, marks)
    var_other = _covariance(others, others)
    covariance = _covariance(marks, others)
    covariance_max = _covariance(sorted(marks), sorted(others))
    # Float noise on constant columns would give a huge index from 1e-33 / 1e-33.
    product = var_mark * var_other
    discrimination = 100 * covariance / math.sqrt(product) if product > 1e-12 else None
    efficiency = 100 * covariance / covariance_max if abs(covariance_max) > 1e-12 else None
    return _Moments(facility, 100 * math.sqrt(var_mark), discrimination, efficiency)


def analyse(
    attempts: Sequence[Sequence[Answer]],
    choices: Mapping[str, Sequence[tuple[str, bool]]] | None = None,
) -> list[ItemAnalysis]:
    """Per item, in the order items first appear. `choices` lists, for choice items, every
    option (label, right) so that options nobody picked still show with 0."""
    choices = choices or {}
    marks: dict[str, list[float]] = {}
    others: dict[str, list[float]] = {}
    picks: dict[str, Counter[str]] = {}
    blanks: dict[str, int] = {}
    for attempt in attempts:
        total = math.fsum(answer.score for answer in attempt)
        for answer in attempt:
            key = answer.item_key
            if key not in marks:  # (not setdefault: it would build a default per answer)
                marks[key], others[key], picks[key] = [], [], Counter()
            marks[key].append(answer.score)
            others[key].append(total - answer.score)
            if answer.picked:
                counter = picks[key]
                for label in answer.picked:
                    counter[label] += 1
            else:
                blanks[key] = blanks.get(key, 0) + 1
    results = []
    for key, item_marks in marks.items():
        moments = _moments(item_marks, others[key])
        options = _option_counts(picks[key], choices.get(key))
        blank = blanks.get(key, 0)
        results.append(
            ItemAnalysis(
                item_key=key,
                attempts=len(item_marks),
                facility=moments.facility,
                sd=moments.sd,
                discrimination=moments.discrimination,
                efficiency=moments.efficiency,
                options=options,
                blank=blank,
                flags=tuple(flags_for(len(item_marks), moments, options, blank)),
            )
        )
    return results


def _option_counts(
    counter: Counter[str], listed: Sequence[tuple[str, bool]] | None
) -> tuple[OptionCount, ...]:
    if listed is not None:
        return tuple(OptionCount(label, counter.get(label, 0), right) for label, right in listed)
    common = sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))[:COMMON_ANSWERS]
    return tuple(OptionCount(label, count, None) for label, count in common)


def flags_for(
    attempts: int, moments: _Moments, options: Sequence[OptionCount], blank: int
) -> list[str]:
    """What a teacher might look at, in plain words; [] when nothing stands out."""
    if attempts < MIN_RELIABLE:
        # Counted in submitted attempts: a blank answer is among them, not "answered".
        return [f"Only {counted(attempts, 'attempt')} so far: too few to judge this item yet."]
    flags = []
    facility = moments.facility
    if facility is not None and facility < 20:
        flags.append(
            f"Very hard: the average score was {facility:.0f}%. Check the answer key and the "
            "wording, or teach this again."
        )
    elif facility is not None and facility > 90:
        flags.append(
            f"Very easy: the average score was {facility:.0f}%. It tells you little about who "
            "knows the material."
        )
    discrimination = moments.discrimination
    if discrimination is not None and discrimination < 0:
        flags.append(
            "Students who did well on the rest did worse on this item. The key may be wrong "
            "or the question misleading."
        )
    elif discrimination is not None and discrimination < 20:
        flags.append(
            "It barely separates stronger from weaker students (discrimination "
            f"{discrimination:.0f}%). The question may be ambiguous or answered by guessing."
        )
    right_counts = [o.count for o in options if o.right]
    for option in options:
        if option.right is False and option.count == 0:
            flags.append(f"Nobody chose “{option.label}”: it does not distract anyone.")
        elif option.right is False and right_counts and option.count > max(right_counts):
            flags.append(
                f"More students chose “{option.label}” than the right answer. Is the key right?"
            )
    if blank * 4 >= attempts:
        flags.append(f"{blank} of {attempts} left it blank: students may not understand it.")
    return flags
