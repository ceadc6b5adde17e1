"""What kind of thing an option names (a date, a number, a person, a place, a body...),
so that a distractor of another kind than the key can be told apart.

Without facts only the form is known (a date, a number, other text); with the fact base
a text is also known as a person (the people table) or by the fact fields it is a value
of, grouped by what those fields hold."""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable

from quizzes.domain.facts import FIELD_TYPES, FactBase, FieldType, PartialDate, render_value
from quizzes.domain.text import normalise

_MONTH = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
_DATE = re.compile(r"(?:(\d{1,2}) )?(?:([a-z]+) )?(\d{4})")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_YEAR_RANGE = range(1000, 2100)

# Fact fields that hold the same kind of thing: a distractor may come from any of them.
FIELD_KINDS = {
    "person": "person",
    "post": "post",
    "role": "post",
    "country": "place",
    "city": "place",
    "venue": "place",
    "posting": "place",
    "seat": "place",
    "body": "organisation",
    "ministry": "organisation",
    "court": "organisation",
    "missions": "organisation",
    "symbol": "document",
    "resolution": "document",
    "phrase": "phrase",
    "manner": "phrase",
}


def parse_date(text: str) -> PartialDate | None:
    """A date as the bank writes it ("17 August 2016", "August 2016", "2016"), else None."""
    match = _DATE.fullmatch(normalise(text))
    if not match:
        return None
    day, month_name, year = match.groups()
    month = _MONTH.get(month_name) if month_name else None
    if month_name and month is None:
        return None
    if day and month is None:
        return None
    try:
        return PartialDate(int(year), month, int(day) if day else None)
    except ValueError:
        return None


FORMS = frozenset({"date", "number"})


def form_kinds(text: str) -> frozenset[str]:
    """ "date" or "number" by form alone (a bare year is both); empty for other text."""
    plain = normalise(text).replace(" ", "")
    if _NUMBER.fullmatch(plain):
        is_year = plain.isdigit() and len(plain) == 4 and int(plain) in _YEAR_RANGE
        return FORMS if is_year else frozenset({"number"})
    if parse_date(text) is not None:
        return frozenset({"date"})
    return frozenset()


class KindIndex:
    """The kinds a text can be, learnt from a fact base."""

    def __init__(self, base: FactBase | None) -> None:
        self._kinds: dict[str, set[str]] = defaultdict(set)
        if base is None:
            return
        for person in base.people.values():
            for name in person.answers:
                self._kinds[normalise(name)].add("person")
        pool_kinds: dict[str, set[str]] = defaultdict(set)
        for fact in base.facts:
            for name, value in fact.fields.items():
                kind = _field_kind(name)
                if kind and not isinstance(value, PartialDate):
                    self._kinds[normalise(render_value(name, value))].add(kind)
            for name, pool_id in fact.pools.items():
                if kind := _field_kind(name):
                    pool_kinds[pool_id].add(kind)
            for name, texts in fact.not_distractors.items():
                if kind := _field_kind(name):
                    for text in texts:
                        self._kinds[normalise(text)].add(kind)
        for pool_id, pool in base.pools.items():
            for option in pool.options:
                self._kinds[normalise(option.text)] |= pool_kinds.get(pool_id, set())

    def kinds(self, text: str) -> frozenset[str]:
        """Every kind the text is known as: its form, else what the facts say it is, else
        just "text" (which any kind of words may be)."""
        if form := form_kinds(text):
            return form
        return frozenset(self._kinds.get(normalise(text), ())) or TEXT


TEXT = frozenset({"text"})


def same_kind(first: frozenset[str], second: frozenset[str]) -> bool:
    """Two kinds agree when they share one, or when one is plain text and the other a
    kind of words (a name, a place): nothing says plain text is not that."""
    if first & second:
        return True
    return (first == TEXT and not second & FORMS) or (second == TEXT and not first & FORMS)


def _field_kind(name: str) -> str | None:
    field_type = FIELD_TYPES.get(name)
    if field_type is FieldType.PERSON:
        return "person"
    if field_type in {FieldType.DATE, FieldType.YEAR}:
        return "date"
    if field_type in {FieldType.COUNT, FieldType.ORDINAL}:
        return "number"
    return FIELD_KINDS.get(name)


def odd_ones(key_texts: Iterable[str], other_texts: Iterable[str], index: KindIndex) -> list[str]:
    """The other texts of a kind no key is."""
    key_kinds = [index.kinds(text) for text in key_texts]
    return [
        text
        for text in other_texts
        if key_kinds and not any(same_kind(index.kinds(text), kinds) for kinds in key_kinds)
    ]
