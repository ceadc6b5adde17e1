"""Known-false options for a fact's field, each with why it is false.

A value is offered as wrong only when it is known false for the question: a date of another
event (single events happen once), a figure of another fact under the same field name, a
value of the same field from another fact of the same kind where the kind says that is wrong
(another defector's posting), a person sharing a group with the answer, or a curated pool
option. Anything that folds like a true value (the answer, its variants, the fact's
`not_distractors`) is dropped.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

from quizzes.domain.facts import FIELD_TYPES, Fact, FieldType, PartialDate, render_value
from quizzes.domain.generator.candidates import Distractor, capitalise
from quizzes.domain.generator.context import BuildContext, CrossFactWhy, sample
from quizzes.domain.text import fold

_NOUN = {"day": "date", "month": "month", "year": "year"}


def truths_for(fact: Fact, name: str, ctx: BuildContext) -> set[str]:
    """Every text that is true (or arguably true) for this fact's field."""
    value = fact.fields[name]
    truths = {render_value(name, value), *fact.not_distractors.get(name, ())}
    truths |= set(fact.variants.get(name, ()))
    if FIELD_TYPES[name] is FieldType.PERSON:
        truths |= set(ctx.person(str(value)).spellings)
    return truths


def distractors_for(
    fact: Fact,
    name: str,
    ctx: BuildContext,
    rng: random.Random,
    count: int,
    cross_fact: Mapping[str, CrossFactWhy],
) -> list[Distractor]:
    """Up to `count` distinct known-false values for `fact`'s field `name`."""
    blocked = {fold(text) for text in truths_for(fact, name, ctx)}
    chosen: list[Distractor] = []
    for candidate in _candidates(fact, name, ctx, rng, cross_fact):
        key = fold(candidate.text)
        if key in blocked:
            continue
        blocked.add(key)
        chosen.append(candidate)
        if len(chosen) == count:
            break
    return chosen


def _candidates(
    fact: Fact,
    name: str,
    ctx: BuildContext,
    rng: random.Random,
    cross_fact: Mapping[str, CrossFactWhy],
) -> Iterator[Distractor]:
    kind = FIELD_TYPES[name]
    if kind is FieldType.DATE:
        yield from _other_dates(fact, name, ctx, rng)
        return
    if kind in (FieldType.YEAR, FieldType.COUNT, FieldType.ORDINAL):
        yield from _other_figures(fact, name, ctx, rng)
        return
    yield from _pool_options(fact, name, ctx, rng)
    if name in cross_fact:
        yield from _same_kind_values(fact, name, ctx, rng, cross_fact[name])
    if kind is FieldType.PERSON:
        yield from _people(fact, name, ctx, rng)


def _other_dates(
    fact: Fact, name: str, ctx: BuildContext, rng: random.Random
) -> Iterator[Distractor]:
    value = fact.fields[name]
    assert isinstance(value, PartialDate)
    precision = value.precision
    answer = value.format()
    floor = _time_floor(fact, value, ctx)
    for shown in ctx.dates_near(fact, precision, rng):
        others = [
            other
            for other in ctx.facts_dated(precision, shown)
            if other is not fact and not _same_series(fact, other)
        ]
        if shown == answer or not others:
            continue
        when = others[0].get("date")
        assert isinstance(when, PartialDate)
        # Within the fact's own span: not before what the stem presupposes (the event
        # before it on its timeline), and not years away from the answer.
        if (floor and when.first_day() <= floor) or abs(when.year - value.year) > DATE_SPAN_YEARS:
            continue
        # Name the other event, preferring one of the same kind, then of a shared topic.
        other = min(
            others,
            key=lambda o: (o.kind != fact.kind, not set(o.topics) & set(fact.topics), o.id),
        )
        why = f"{shown} was the {_NOUN[precision]} of {other.label}"
        yield Distractor(shown, capitalise(why) + ".", facts=(other,))


DATE_SPAN_YEARS = 6


def _same_series(fact: Fact, other: Fact) -> bool:
    """Another round of the same series (the 2nd review beside the 4th): the round number in
    the stem would give the answer away."""
    ordinals = {n for n in fact.fields if FIELD_TYPES[n] is FieldType.ORDINAL}
    return other.kind == fact.kind and bool(ordinals & set(other.fields))


def _time_floor(fact: Fact, value: PartialDate, ctx: BuildContext):
    """The last day of the event before this one on a shared timeline, if any."""
    floor = None
    if not fact.timelines:
        return floor
    for other in ctx.facts:
        when = other.get("date")
        if other is fact or not isinstance(when, PartialDate):
            continue
        if set(other.timelines) & set(fact.timelines) and when.last_day() < value.first_day():
            floor = max(floor or when.last_day(), when.last_day())
    return floor


def _other_figures(
    fact: Fact, name: str, ctx: BuildContext, rng: random.Random
) -> Iterator[Distractor]:
    answer = fact.shown(name)
    for other in sample(ctx.with_field(name), rng):
        shown = other.shown(name)
        if shown != answer:
            yield Distractor(shown, f"It is {answer}, not {shown}.")


def _pool_options(
    fact: Fact, name: str, ctx: BuildContext, rng: random.Random
) -> Iterator[Distractor]:
    pool_id = fact.pools.get(name)
    if pool_id is None:
        return
    for option in sample(list(ctx.base.pools[pool_id].options), rng):
        yield Distractor(option.text, option.why, sources=option.sources)


def _same_kind_values(
    fact: Fact, name: str, ctx: BuildContext, rng: random.Random, why: CrossFactWhy
) -> Iterator[Distractor]:
    for other in sample(ctx.by_kind[fact.kind], rng):
        if other is fact or name not in other.fields:
            continue
        yield Distractor(other.shown(name), cross_fact_why(why, fact, other, name), facts=(other,))


def cross_fact_why(why: CrossFactWhy, fact: Fact, other: Fact, name: str) -> str:
    """Why the other fact's value of field `name` is wrong for this fact."""
    if callable(why):
        return capitalise(why(fact, other, name))
    names = {key: fact.shown(key) for key in fact.fields}
    names |= {f"other_{key}": other.shown(key) for key in other.fields}
    return capitalise(why.format(value=other.shown(name), answer=fact.shown(name), **names))


def _people(fact: Fact, name: str, ctx: BuildContext, rng: random.Random) -> Iterator[Distractor]:
    answer = str(fact.fields[name])
    for person in ctx.people_like(answer, rng):
        why = f"It was {answer}; {person.name} was {person.who}."
        yield Distractor(person.name, why, sources=person.sources)
