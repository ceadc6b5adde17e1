"""What every template may look up while building: the usable facts, indexed once."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from quizzes.domain.facts import PRECISION_RANK, Fact, FactBase, PartialDate, Person, Status

# A cross-fact "why": given this fact, the other fact and the field name, say why the other
# fact's value is wrong here. A str is a pattern over {value} (the other fact's value),
# {answer} (this fact's value), this fact's fields and the other's as {other_<field>}.
T = TypeVar("T")
CrossFactWhy = str | Callable[[Fact, Fact, str], str]


@dataclass(frozen=True)
class KindSpec:
    """How one kind of fact is asked about (templates/<kind>.py fills one in)."""

    # Default questions per field (patterns over the fact's fields); a fact's own `ask`
    # overrides one; "<date field>_year" asks for the year as a number.
    asks: Mapping[str, str] = field(default_factory=dict)
    # Fields whose value in another fact of the same kind is wrong for this fact.
    cross_fact: Mapping[str, CrossFactWhy] = field(default_factory=dict)
    # Fields swapped to make false statements; None: the default rule (see generic.py).
    swap: tuple[str, ...] | None = None
    # Extra per-fact templates of this kind.
    fact_templates: tuple[Callable[[Fact, BuildContext], Iterable[object]], ...] = ()


class BuildContext:
    def __init__(self, base: FactBase, seed: int | str) -> None:
        self.base = base
        self.seed = seed
        # Unverified facts are left out entirely: no item, and no value taken from them.
        self.facts = tuple(fact for fact in base.facts if fact.status is not Status.UNVERIFIED)
        self.by_kind: dict[str, list[Fact]] = defaultdict(list)
        self._by_field: dict[str, list[Fact]] = defaultdict(list)
        # precision -> shown date -> facts whose `date` shows so at that precision
        self._dates: dict[str, dict[str, list[Fact]]] = {p: {} for p in PRECISION_RANK}
        self._dates_by_topic: dict[tuple[str, str], list[str]] = defaultdict(list)
        for fact in self.facts:
            self.by_kind[fact.kind].append(fact)
            for name in fact.fields:
                self._by_field[name].append(fact)
            when = fact.get("date")
            if isinstance(when, PartialDate):
                self._index_date(fact, when)
        self._date_lists = {p: list(shown) for p, shown in self._dates.items()}
        self._tier_cache: dict[frozenset[str], list[list[Person]]] = {}

    def _index_date(self, fact: Fact, when: PartialDate) -> None:
        for precision, rank in PRECISION_RANK.items():
            if PRECISION_RANK[when.precision] < rank:
                continue
            shown = when.format(precision)
            facts = self._dates[precision].setdefault(shown, [])
            if not facts:
                for topic in fact.topics:
                    self._dates_by_topic[(precision, topic)].append(shown)
            facts.append(fact)

    def rng(self, key: str) -> random.Random:
        """Seeded by the build seed and the item key, so one item's picks never depend on
        which other items were built before it."""
        return random.Random(f"{self.seed}|{key}")

    def with_field(self, name: str) -> list[Fact]:
        return self._by_field.get(name, [])

    def dates_near(self, fact: Fact, precision: str, rng: random.Random) -> Iterator[str]:
        """Shown `date` values at a precision: the fact's own topics first, then any."""
        seen: set[str] = set()
        same_topic = [s for topic in fact.topics for s in self._dates_by_topic[(precision, topic)]]
        for pool in (same_topic, self._date_lists[precision]):
            for shown in sample(pool, rng):
                if shown not in seen:
                    seen.add(shown)
                    yield shown

    def facts_dated(self, precision: str, shown: str) -> list[Fact]:
        return self._dates[precision].get(shown, [])

    def person(self, name: str) -> Person:
        return self.base.people[name]

    def people_like(self, name: str, rng: random.Random) -> list[Person]:
        """People sharing a group with `name`, most shared groups first, in a seeded random
        order within each tier (at most 40 from a tier: a question needs a handful)."""
        ordered: list[Person] = []
        for tier in self._tiers(frozenset(self.person(name).groups)):
            ordered += [person for person in sample(tier, rng) if person.name != name]
        return ordered

    def _tiers(self, groups: frozenset[str]) -> list[list[Person]]:
        if groups not in self._tier_cache:
            tiers: dict[int, list[Person]] = defaultdict(list)
            for person in self.base.people.values():
                shared = len(groups & set(person.groups))
                if shared:
                    tiers[shared].append(person)
            ordered = [sorted(tiers[s], key=lambda p: p.name) for s in sorted(tiers, reverse=True)]
            self._tier_cache[groups] = ordered
        return self._tier_cache[groups]


def sample(values: list[T], rng: random.Random, limit: int = 40) -> Iterator[T]:
    """Up to `limit` values in a seeded random order, without shuffling a large list (a
    question needs a handful of wrong values, not all of them)."""
    if len(values) <= limit:
        shuffled = list(values)
        rng.shuffle(shuffled)
        yield from shuffled
        return
    for index in rng.sample(range(len(values)), limit):
        yield values[index]
