"""Helpers shared by the group templates: chronological runs, chunks, summaries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from quizzes.domain.facts import Fact, PartialDate
from quizzes.domain.generator.context import BuildContext

T = TypeVar("T")

CHUNK = 5  # items per ordering or matching question
MIN_GROUP = 3


def chronological(facts: Sequence[Fact], field: str = "date") -> list[Fact]:
    """Facts sorted by a date field, leaving out any whose date overlaps the previous one
    (2016 and 17 August 2016 cannot be put in order)."""
    dated = [f for f in facts if isinstance(f.get(field), PartialDate)]
    dated.sort(key=lambda f: (_date(f, field).first_day(), _date(f, field).last_day(), f.id))
    ordered: list[Fact] = []
    for fact in dated:
        if ordered and _date(ordered[-1], field).overlaps(_date(fact, field)):
            continue
        ordered.append(fact)
    return ordered


def _date(fact: Fact, field: str) -> PartialDate:
    value = fact.get(field)
    assert isinstance(value, PartialDate)
    return value


def chunks(values: Sequence[T], size: int = CHUNK, minimum: int = MIN_GROUP) -> list[list[T]]:
    """Consecutive runs of `size`; a short tail joins the run before it."""
    if not values:
        return []
    if len(values) <= size + 1:
        return [list(values)]
    runs = [list(values[i : i + size]) for i in range(0, len(values), size)]
    if len(runs[-1]) < minimum:
        tail = runs.pop()
        runs[-1].extend(tail)
    return runs


def distinct_runs(values: Sequence[T], key: Callable[[T], str], size: int = CHUNK) -> list[list[T]]:
    """Runs of up to `size` values whose keys differ (matching needs distinct right sides)."""
    runs: list[list[T]] = []
    for value in values:
        for run in runs:
            if len(run) < size and all(key(other) != key(value) for other in run):
                run.append(value)
                break
        else:
            runs.append([value])
    return runs


def windows(values: Sequence[T], size: int) -> list[list[T]]:
    """Overlapping windows (a, b, c), (b, c, d) ...; all of them if there are few."""
    if not values:
        return []
    if len(values) <= size:
        return [list(values)]
    return [list(values[i : i + size]) for i in range(len(values) - size + 1)]


SPARE_NOTE = " One answer is left over."


def spare_date(run: Sequence[Fact], ctx: BuildContext, key: str) -> tuple[str, str, Fact] | None:
    """A date for a matching's spare answer: another event's, within the run's years, of a
    shared topic where one exists, so it is plausible but matches none (its why names that
    event)."""
    shown = {f.shown("date") for f in run}
    years = [_date(f, "date").year for f in run]
    topics = {t for f in run for t in f.topics}
    ids = {f.id for f in run}
    candidates = sorted(
        (f for f in ctx.facts if f.id not in ids and isinstance(f.get("date"), PartialDate)),
        key=lambda f: f.id,
    )
    rng = ctx.rng(key)
    rng.shuffle(candidates)
    candidates.sort(key=lambda f: not set(f.topics) & topics)  # stable: shared topics first
    for other in candidates:
        when = _date(other, "date")
        if (
            other.shown("date") not in shown
            and min(years) - 1 <= when.year <= max(years) + 1
            and not any(when.overlaps(_date(f, "date")) for f in run)
        ):
            why = f"{other.shown('date')} was the date of {other.label}."
            return other.shown("date"), why, other
    return None
