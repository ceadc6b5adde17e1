"""Synthetic facts for benchmarks and load tests: valid kinds and fields, made-up content.

Never mixed with the built-in bank: every value is invented ("Person 12", "Country 3").
"""

from __future__ import annotations

import random

from quizzes.domain.facts import (
    DistractorPool,
    Fact,
    FactBase,
    PartialDate,
    Person,
    PoolOption,
    Source,
    Status,
)

_SOURCES = tuple(f"SYN{i}" for i in range(10))
_POSTS = ("deputy ambassador", "acting ambassador", "counsellor", "first secretary")
_KINDS = (
    "event",
    "defection",
    "review_session",
    "member",
    "rapporteur",
    "phrase",
    "statement",
    "document",
    "tactic",
    "resolution",
)


def _date(rng: random.Random) -> PartialDate:
    year = rng.randint(1990, 2030)
    precision = rng.choice(("year", "month", "day", "day"))
    if precision == "year":
        return PartialDate(year)
    month = rng.randint(1, 12)
    return PartialDate(year, month, rng.randint(1, 28) if precision == "day" else None)


class _Maker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people: dict[str, Person] = {}

    def person(self, index: int, groups: tuple[str, ...]) -> str:
        name = f"Person {index}"
        self.people[name] = Person(name, (f"Persn {index}",), groups, f"person number {index}")
        return name

    def fact(self, index: int) -> Fact:
        rng = self.rng
        kind = _KINDS[index % len(_KINDS)]
        fields: dict[str, str | int | PartialDate] = {}
        ask: dict[str, str] = {}
        pools: dict[str, str] = {}
        timelines: tuple[str, ...] = ()
        label = f"synthetic {kind} {index}"
        if kind == "event":
            fields["date"] = _date(rng)
            text = f"Event {index} happened on {{date}}."
            ask["date"] = f"When did event {index} happen?"
            timelines = (f"line{index % 40}",)
        elif kind == "defection":
            fields |= {
                "person": self.person(index, ("defector", "north_korean")),
                "post": rng.choice(_POSTS),
                "posting": f"City {index}",
                "date": _date(rng),
            }
            text = f"Person {index}, {fields['post']} in {{posting}}, defected in {{date}}."
        elif kind == "review_session":
            fields |= {"cycle": index // len(_KINDS) + 1, "date": _date(rng)}
            fields["recommendations"] = rng.randint(50, 400)
            text = "Review {cycle} took place on {date} with {recommendations} recommendations."
            ask["recommendations"] = f"How many recommendations came at review {fields['cycle']}?"
        elif kind == "member":
            fields |= {
                "person": self.person(index, ("un_expert",)),
                "country": f"Country {index % 23}",
                "role": "chair" if index % 30 == 4 else "member",
                "body": f"Commission {index % 30 // 10}",
            }
            text = f"Person {index} of {{country}} served on {fields['body']}."
        elif kind == "rapporteur":
            start = 1950 + index // len(_KINDS)
            fields |= {
                "person": self.person(index, ("un_expert",)),
                "start": PartialDate(start),
                "end": PartialDate(start + 1),
            }
            text = f"Person {index} was rapporteur from {{start}} to {{end}}."
        elif kind == "phrase":
            fields |= {"phrase": f"phrase number {index}", "year": rng.randint(1990, 2030)}
            text = 'A {year} statement used the phrase "{phrase}".'
        elif kind == "statement":
            fields |= {"count": rng.randint(1, 999), "person": self.person(index, ("official",))}
            text = f"Person {index} said there were {{count}} cases in statement {index}."
            ask["count"] = f"How many cases did statement {index} mention?"
        elif kind == "document":
            fields |= {"year": rng.randint(1990, 2030), "date": _date(rng)}
            text = f"Document {index} of the {{year}} act came out on {{date}}."
            ask["year"] = f"Under which year's act was document {index} issued?"
        elif kind == "tactic":
            label = f"tactic number {index}"
            pools["label"] = "syn.tactics"
            text = f"Among the synthetic tactics: tactic number {index}."
        else:  # resolution
            fields |= {"body": "Committee", "consecutive": index // len(_KINDS) + 1}
            fields["date"] = _date(rng)
            text = f"Resolution {index}, adopted on {{date}}, was the {{consecutive}} in a row."
        status = Status.UNVERIFIED if index % 50 == 49 else Status.VERIFIED
        return Fact(
            id=f"syn.{kind}.{index}",
            kind=kind,
            status=status,
            label=label,
            text=text,
            fields=fields,
            topics=(f"topic{index % 12}",),
            sources=(_SOURCES[index % len(_SOURCES)], _SOURCES[(index + 3) % len(_SOURCES)]),
            ask=ask,
            pools=pools,
            timelines=timelines,
        )


def synthetic_facts(n: int, seed: int = 0) -> FactBase:
    """`n` made-up but valid facts of every generated kind, the same for the same seed."""
    maker = _Maker(seed)
    facts = tuple(maker.fact(index) for index in range(n))
    sources = {key: Source(key, f"synthetic source {key}") for key in _SOURCES}
    pools = {
        "syn.tactics": DistractorPool(
            "syn.tactics",
            tuple(
                PoolOption(f"false tactic {i}", f"false tactic {i} is made up") for i in range(6)
            ),
        )
    }
    return FactBase(sources, facts, pools, maker.people)
