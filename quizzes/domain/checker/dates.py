"""The item-writing rules about dates: a false date the fact itself rules out.

Registered with the other rules (quizzes.domain.checker.rules.RULES) on import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from quizzes.domain.checker import reading
from quizzes.domain.checker.kinds import parse_date
from quizzes.domain.checker.rules import Context, Finding, Severity, finding, rule
from quizzes.domain.facts import Fact, PartialDate

# -- dates in their time span --------------------------------------------------------------

_BEFORE_FIELDS = ("since", "start")
_AFTER_FIELDS = ("date", "end")
_ROUND = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b",
    re.IGNORECASE,
)


@rule("distractor_time_span", Severity.ERROR)
def distractor_time_span(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """A false date the fact itself rules out: before the fact's own start when the
    question is its end (or after its end when the question is its start), or the date of
    another round of the series whose round the stem names ("the 4th review"), so the
    order of the rounds gives the answer. Read from a choice item's wrong options, and
    from the changed date of a false true/false statement."""
    fact, field = ctx.fact_of(item), reading.asked_field(item)
    if fact is None or field is None or not isinstance(fact.get(field), PartialDate):
        return
    wrong = _false_dates(item, fact)
    for text, date in wrong:
        for bound_name in _AFTER_FIELDS if field in _BEFORE_FIELDS else ():
            bound = fact.get(bound_name)
            if isinstance(bound, PartialDate) and date.first_day() > bound.last_day():
                yield finding(
                    "distractor_time_span",
                    item,
                    f"{text!r} is after the {bound_name} it must precede ({bound.format()})",
                )
        for bound_name in _BEFORE_FIELDS if field in _AFTER_FIELDS else ():
            bound = fact.get(bound_name)
            if isinstance(bound, PartialDate) and date.last_day() < bound.first_day():
                yield finding(
                    "distractor_time_span",
                    item,
                    f"{text!r} is before the {bound_name} it must follow ({bound.format()})",
                )
    stem = reading.prompt_of(item)
    if wrong and reading.options(item) and _ROUND.search(stem) and ctx.facts is not None:
        rounds = [
            text
            for text, date in wrong
            if any(
                other is not fact
                and other.kind == fact.kind
                and isinstance(other.get(field), PartialDate)
                and other.get(field).truncate(date.precision) == date  # type: ignore[union-attr]
                for other in ctx.facts.facts
            )
        ]
        if len(rounds) == len(wrong):
            yield finding(
                "distractor_time_span",
                item,
                "the stem names the round and every distractor is another round's date: "
                "the order of the rounds gives the answer",
            )


@rule("date_after_sources", Severity.WARNING)
def date_after_sources(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """A false date later than every source that reports the fact was written ("the
    report was presented on 19 November 2025", sourced to 2014): outside the fact's own
    span. A warning, not an error: the learner does not see the sources' dates."""
    fact, field = ctx.fact_of(item), reading.asked_field(item)
    if fact is None or field is None or not isinstance(fact.get(field), PartialDate):
        return
    written = _newest_source(fact, ctx)
    if written is None:
        return
    for text, date in _false_dates(item, fact):
        if date.first_day() > written.last_day():
            yield finding(
                "date_after_sources",
                item,
                f"{text!r} is after every source of the fact was written (the newest: "
                f"{written.format()})",
            )


_WRITTEN_DATE = re.compile(
    r"\b(?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4}\b|\b(?:1[0-9]|20)\d{2}\b"
)


def _false_dates(item: Mapping[str, Any], fact: Fact) -> list[tuple[str, PartialDate]]:
    """The wrong dates an item offers: its wrong options, or the dates of a false
    true/false statement that are none of the fact's own."""
    if reading.type_of(item) == "truefalse":
        if reading.data_of(item).get("answer") is not False:
            return []
        own = {value for value in fact.fields.values() if isinstance(value, PartialDate)}
        own_years = {value.year for value in own}
        found = []
        for match in _WRITTEN_DATE.finditer(reading.prompt_of(item)):
            date = parse_date(match.group(0))
            if date is None or date in own or (date.month is None and date.year in own_years):
                continue
            found.append((match.group(0), date))
        return found
    return [
        (text, date)
        for text, correct in reading.options(item)
        if not correct and (date := parse_date(text)) is not None
    ]


def _newest_source(fact: Fact, ctx: Context) -> PartialDate | None:
    """When the last source that reports the fact was written, if every one is dated."""
    if ctx.facts is None or not fact.sources:
        return None
    dates = [ctx.facts.sources[key].date for key in fact.sources if key in ctx.facts.sources]
    if len(dates) != len(fact.sources) or any(date is None for date in dates):
        return None
    return max(dates, key=lambda date: date.last_day())  # type: ignore[union-attr]
