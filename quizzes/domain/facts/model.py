"""The facts of the question bank: typed values, sources, people, pools, facts and relations.

A fact is one checked statement with typed fields, a status (V, R, U), topics and source keys.
A relation links facts (a cause and its effect, a threat and the tactic that answered it, a
claim and what supports it, two statements to compare); templates above recall use them.
Reading fact files is quizzes.domain.facts.loader's job.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any

from quizzes.domain.romanisation import name_spellings


class Status(StrEnum):
    VERIFIED = "V"  # confirmed in a source that was read
    REPORT_ONLY = "R"  # only in the Korea Times report: items must say "the report says"
    UNVERIFIED = "U"  # not confirmed: never an item


class FieldType(StrEnum):
    TEXT = "text"
    PERSON = "person"  # a name from the people table (its variants are accepted answers)
    DATE = "date"  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    YEAR = "year"
    COUNT = "count"  # an exact number of things
    ORDINAL = "ordinal"  # a position: 31 is shown as "31st"


# Every typed field a fact may carry. The field name is also the swap group: a false value
# for a fact's field is taken only from the same field of another fact.
FIELD_TYPES: Mapping[str, FieldType] = {
    "person": FieldType.PERSON,
    "post": FieldType.TEXT,
    "posting": FieldType.TEXT,
    "role": FieldType.TEXT,
    "country": FieldType.TEXT,
    "city": FieldType.TEXT,
    "venue": FieldType.TEXT,
    "body": FieldType.TEXT,
    "ministry": FieldType.TEXT,
    "court": FieldType.TEXT,
    "missions": FieldType.TEXT,
    "symbol": FieldType.TEXT,
    "resolution": FieldType.TEXT,
    "phrase": FieldType.TEXT,
    "seat": FieldType.TEXT,
    "manner": FieldType.TEXT,
    "cases": FieldType.TEXT,
    "target": FieldType.TEXT,
    "date": FieldType.DATE,
    "since": FieldType.DATE,
    "start": FieldType.DATE,
    "end": FieldType.DATE,
    "year": FieldType.YEAR,
    "cycle": FieldType.ORDINAL,
    "hrc_session": FieldType.ORDINAL,
    "unga_session": FieldType.ORDINAL,
    "wg_session": FieldType.ORDINAL,
    "consecutive": FieldType.ORDINAL,
    "count": FieldType.COUNT,
    "recommendations": FieldType.COUNT,
    "accepted": FieldType.COUNT,
    "rejected": FieldType.COUNT,
    "pages": FieldType.COUNT,
    "defectors": FieldType.COUNT,
}

# Kinds of fact and the fields each must have.
KIND_REQUIRED: Mapping[str, tuple[str, ...]] = {
    "document": (),
    "statement": (),
    "tactic": (),
    "mechanism": (),
    "event": ("date",),
    "phrase": ("phrase", "year"),
    "defection": ("person", "post", "posting", "date"),
    "review_session": ("cycle", "date"),
    "review_outcome": ("date", "rejected", "recommendations"),
    "member": ("person", "country", "role", "body"),
    "rapporteur": ("person", "start"),
    "resolution": ("body",),
    "admission": ("person", "date"),
}

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_MONTHS = tuple(calendar.month_name)  # ("", "January", ...)


# -- dates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: str | date) -> PartialDate:
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
        if not match:
            raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"date {value!r} has no month {month}")
        if day is not None:
            assert month is not None
            date(year, month, day)  # raises ValueError for 31 Feb
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def overlaps(self, other: PartialDate) -> bool:
        return self.first_day() <= other.last_day() and other.first_day() <= self.last_day()

    def truncate(self, precision: str) -> PartialDate:
        if precision == "year":
            return PartialDate(self.year)
        if precision == "month":
            return PartialDate(self.year, self.month)
        return self

    def format(self, precision: str | None = None) -> str:
        shown = self.truncate(precision) if precision else self
        if shown.day:
            assert shown.month is not None
            return f"{shown.day} {_MONTHS[shown.month]} {shown.year}"
        if shown.month:
            return f"{_MONTHS[shown.month]} {shown.year}"
        return str(shown.year)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


PRECISION_RANK = {"year": 0, "month": 1, "day": 2}

Value = str | int | PartialDate


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def render_value(name: str, value: Value) -> str:
    if isinstance(value, PartialDate):
        return value.format()
    if FIELD_TYPES.get(name) is FieldType.ORDINAL:
        assert isinstance(value, int)
        return ordinal(value)
    return str(value)


# -- the model ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    key: str
    ref: str  # as the fact sheet gives it
    publisher: str = ""
    title: str = ""
    date: PartialDate | None = None
    url: str = ""  # where a reader can follow it (http or https), when the sheet gives one

    def citation(self) -> dict[str, str]:
        """The resolved citation stored with an item or fact in the database."""
        return {
            "key": self.key,
            "publisher": self.publisher,
            "title": self.title,
            "date": self.date.iso() if self.date else "",
            "ref": self.ref,
            **({"url": self.url} if self.url else {}),
        }


@dataclass(frozen=True)
class Person:
    name: str
    variants: tuple[str, ...]  # other accepted spellings (romanisations, no hyphen)
    groups: tuple[str, ...]  # distractors come from people sharing a group, most shared first
    who: str  # a short true description, used to say why this person is a wrong answer
    sources: tuple[str, ...] = ()
    hangul: str = ""  # a Korean name in Hangul: graders derive its romanisations from it

    @property
    def answers(self) -> tuple[str, ...]:
        return (self.name, *self.variants)

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every spelling a grader accepts: the answers and those derived from the Hangul."""
        return (*self.answers, *(name_spellings(self.hangul) if self.hangul else ()))


@dataclass(frozen=True)
class PoolOption:
    text: str
    why: str  # why it is false
    sources: tuple[str, ...] = ()
    # A false statement refuted only by relating it to another fact (a date, a body, a
    # tactic) is "understand"; a plain reversal is "remember" (the default).
    level: str = ""


@dataclass(frozen=True)
class DistractorPool:
    id: str
    options: tuple[PoolOption, ...]


@dataclass(frozen=True, eq=False)
class Fact:
    id: str
    kind: str
    status: Status
    label: str  # a noun phrase naming the fact ("South Korea's announcement of ...")
    text: str  # the statement, with {field} placeholders
    fields: Mapping[str, Value]
    topics: tuple[str, ...]
    sources: tuple[str, ...]
    ask: Mapping[str, str] = field(default_factory=dict)
    cloze: str = ""  # the statement with [[answer|variant]] blanks
    pools: Mapping[str, str] = field(default_factory=dict)
    not_distractors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    variants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    short: tuple[str, ...] = ()
    swap: tuple[str, ...] | None = None
    timelines: tuple[str, ...] = ()
    # Curated false versions of the statement, each built from a contrasting fact (another
    # year, body or claim) and saying why it is false; `sources` back the reason.
    false_statements: tuple[PoolOption, ...] = ()
    explain: str = ""  # the point in other words, shown after answering (never the stem)
    figures_cloze: bool = True  # a cloze of the statement's years and numbers
    truefalse: bool = True  # true/false items (off when no credible false one is known)
    no_ask: tuple[str, ...] = ()  # the kind's default questions this fact leaves out
    core: bool = False  # at the core of the subject (not background)
    file: str = ""
    line: int = 0

    def get(self, name: str) -> Value | None:
        return self.fields.get(name)

    def shown(self, name: str) -> str:
        return render_value(name, self.fields[name])

    def placeholders(self) -> tuple[str, ...]:
        return tuple(PLACEHOLDER.findall(self.text))

    def render(self, overrides: Mapping[str, str] | None = None) -> str:
        """The statement with the fact's values, or with some replaced (for false
        statements and cloze blanks)."""
        return fill(self.text, self, overrides)

    def statement(self) -> str:
        return self.render()


def fill(pattern: str, fact: Fact, overrides: Mapping[str, str] | None = None) -> str:
    """Replace {field} in a pattern by the fact's shown values (or by overrides)."""
    extra = overrides or {}

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return extra[name] if name in extra else fact.shown(name)

    return PLACEHOLDER.sub(value, pattern)


# Kinds of relation between facts, and the text fields each must have.
RELATION_REQUIRED: Mapping[str, tuple[str, ...]] = {
    # a threat to the regime and the tactic that answered it (noun phrases)
    "response": ("threat", "response"),
    # why something happened: the question and the reason, as an answer option
    "cause": ("question", "because"),
    # a claim and what supports it: the cables themselves, another source or the report only
    "evidence": ("claim", "support"),
    # two statements compared: the question and what tells them apart
    "compare": ("question", "answer"),
    # steps that followed from one another, in order (labels carry no years)
    "sequence": ("question",),
}
EVIDENCE_SUPPORT = ("cables", "source", "report")


@dataclass(frozen=True, eq=False)
class Relation:
    """A link between facts that an item above recall asks about."""

    id: str
    kind: str
    facts: tuple[str, ...]  # the facts it rests on: their status, topics and sources
    text: Mapping[str, str]  # the kind's fields (threat, response, question, because ...)
    wrong: tuple[PoolOption, ...] = ()  # curated wrong answers, each saying why
    steps: tuple[str, ...] = ()  # a sequence's steps, in order
    level: str = ""  # a cause or comparison that weighs evidence says "analyse"
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class FactBase:
    sources: Mapping[str, Source]
    facts: tuple[Fact, ...]
    pools: Mapping[str, DistractorPool]
    people: Mapping[str, Person]
    relations: tuple[Relation, ...] = ()

    @cached_property
    def _by_id(self) -> dict[str, Fact]:
        return {fact.id: fact for fact in self.facts}

    def fact(self, fact_id: str) -> Fact | None:
        return self._by_id.get(fact_id)

    def with_facts(self, extra: Iterable[Fact]) -> FactBase:
        return replace(self, facts=(*self.facts, *extra))


def fact_record(fact: Fact, base: FactBase) -> dict[str, Any]:
    """A fact as a JSON-able dict for the `facts` table (dates as ISO strings)."""
    fields: dict[str, Any] = {
        name: value.iso() if isinstance(value, PartialDate) else value
        for name, value in fact.fields.items()
    }
    fields["label"] = fact.label
    fields["text"] = fact.text
    return {
        "id": fact.id,
        "kind": fact.kind,
        "status": fact.status.value,
        "fields": fields,
        "topics": list(fact.topics),
        "sources": [base.sources[key].citation() for key in fact.sources],
    }
