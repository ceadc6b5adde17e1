"""Facts of the question bank and the loader for fact files (TOML, docs/FACTS_FORMAT.md).

A fact is one checked statement with typed fields, a status (V, R, U), topics and source keys.
The loader is all-or-nothing: any error in any file yields the list of errors (each naming
file and line) and no facts, so a half-loaded bank is never built.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from quizzes.domain.citations import is_web_address
from quizzes.domain.romanisation import name_spellings
from quizzes.domain.text import same_answer

BUILTIN_DATA_DIR = Path(__file__).resolve().parent.parent / "bank" / "data"


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

_META_KEYS = frozenset(
    {
        "id",
        "kind",
        "status",
        "label",
        "text",
        "topics",
        "sources",
        "ask",
        "cloze",
        "pools",
        "not_distractors",
        "variants",
        "short",
        "swap",
        "timelines",
    }
)
_TOP_LEVEL_KEYS = frozenset({"sources", "facts", "pools", "people"})
_ID = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_]+)*$")
# Stored limits: a topic is an item_topics row (80 characters); a fact id becomes part of
# item keys (255) and is a facts row id (120).
MAX_TOPIC = 80
MAX_FACT_ID = 100
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_CLOZE_BLANK = re.compile(r"\[\[([^\[\]]+)\]\]")
_TOML_LINE = re.compile(r"at line (\d+)")
_MAX_UNKNOWN_KEYS_NAMED = 20
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
    file: str = ""
    line: int = 0

    def get(self, name: str) -> Value | None:
        return self.fields.get(name)

    def shown(self, name: str) -> str:
        return render_value(name, self.fields[name])

    def placeholders(self) -> tuple[str, ...]:
        return tuple(_PLACEHOLDER.findall(self.text))

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

    return _PLACEHOLDER.sub(value, pattern)


@dataclass(frozen=True)
class FactBase:
    sources: Mapping[str, Source]
    facts: tuple[Fact, ...]
    pools: Mapping[str, DistractorPool]
    people: Mapping[str, Person]

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


# -- loading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class LoadResult:
    base: FactBase | None
    errors: tuple[LoadError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


class FactFileError(ValueError):
    def __init__(self, errors: Iterable[LoadError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


class _Lines:
    """Finds the line of a table or key in a file's text, for semantic errors."""

    # A file of thousands of facts asks for thousands of lines: each lookup scans only what
    # it must (an entry's own lines) or an index built once, never the whole file again.
    _SOURCE_HEADER = re.compile(r'^\s*\[\s*sources\s*\.\s*"?([^"\]]*?)"?\s*\]')
    _ASSIGNED_KEY = re.compile(r'^\s*"?([^"=]*?)"?\s*=')

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self._headers: dict[str, list[int]] = {}
        self._source_lines: dict[str, int] | None = None

    def _matching(self, pattern: str) -> list[int]:
        regex = re.compile(pattern)
        return [number for number, line in enumerate(self.lines, 1) if regex.search(line)]

    def _first_lines(self, regex: re.Pattern[str]) -> dict[str, int]:
        first: dict[str, int] = {}
        for number, line in enumerate(self.lines, 1):
            if match := regex.match(line):
                first.setdefault(match.group(1).strip(), number)
        return first

    def array_entry(self, table: str, index: int, id_key: str, id_value: object) -> int:
        """The line of the entry's `id = "..."` (or its `[[table]]` header as a fallback)."""
        if table not in self._headers:
            self._headers[table] = self._matching(rf"^\s*\[\[\s*{table}\s*\]\]")
        headers = self._headers[table]
        start = headers[index] if index < len(headers) else 1
        end = headers[index + 1] if index + 1 < len(headers) else len(self.lines) + 1
        if isinstance(id_value, str):
            regex = re.compile(rf'^\s*{re.escape(id_key)}\s*=\s*"{re.escape(id_value)}"')
            for number in range(start, end):
                if regex.search(self.lines[number - 1]):
                    return number
        return start

    def source(self, key: str) -> int:
        if self._source_lines is None:
            assigned = self._first_lines(self._ASSIGNED_KEY)
            self._source_lines = assigned | self._first_lines(self._SOURCE_HEADER)
        return self._source_lines.get(key, 1)

    def top_key(self, key: str) -> int:
        hits = self._matching(rf"^\s*\[*\s*{re.escape(key)}\b")
        return hits[0] if hits else 1


class _Problems:
    def __init__(self) -> None:
        self.errors: list[LoadError] = []

    def add(self, file: str, line: int, message: str) -> None:
        self.errors.append(LoadError(file, line, message))


def _string_list(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(item, str) and item for item in value):
        return tuple(value)
    return None


def _convert(name: str, raw: object) -> Value:
    kind = FIELD_TYPES[name]
    if kind in (FieldType.TEXT, FieldType.PERSON):
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(f"field {name!r} must be a non-empty string")
        return raw
    if kind is FieldType.DATE:
        if not isinstance(raw, str | date):
            raise ValueError(f'field {name!r} must be a date string like "2016-08-17"')
        return PartialDate.parse(raw)
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise ValueError(f"field {name!r} must be a whole number >= 0")
    if kind is FieldType.YEAR and not 1900 <= raw <= 2100:
        raise ValueError(f"field {name!r} must be a year between 1900 and 2100")
    return raw


def _parse_sources(
    file: str, table: object, lines: _Lines, problems: _Problems, out: dict[str, Source]
) -> None:
    if not isinstance(table, dict):
        problems.add(file, lines.top_key("sources"), "[sources] must be a table of tables")
        return
    for key, entry in table.items():
        line = lines.source(key)
        if not isinstance(entry, dict):
            problems.add(file, line, f"source {key!r} must be a table")
            continue
        unknown = set(entry) - {"ref", "publisher", "title", "date", "url"}
        if unknown:
            problems.add(file, line, f"source {key!r} has unknown keys: {sorted(unknown)}")
        ref = entry.get("ref")
        if not isinstance(ref, str) or not ref.strip():
            problems.add(file, line, f"source {key!r} needs a ref (as the fact sheet gives it)")
            continue
        strings = {name: entry.get(name, "") for name in ("publisher", "title", "url")}
        if not all(isinstance(value, str) for value in strings.values()):
            problems.add(file, line, f"source {key!r}: publisher, title and url must be strings")
            continue
        if strings["url"] and not is_web_address(strings["url"]):
            problems.add(file, line, f"source {key!r}: url must be an http(s) address")
            continue
        when = None
        if "date" in entry:
            try:
                when = PartialDate.parse(entry["date"])
            except (TypeError, ValueError) as error:
                problems.add(file, line, f"source {key!r}: {error}")
                continue
        if key in out:
            problems.add(file, line, f"source {key!r} is defined twice")
            continue
        out[key] = Source(
            key, ref, str(strings["publisher"]), str(strings["title"]), when, str(strings["url"])
        )


def _parse_people(
    file: str, entries: object, lines: _Lines, problems: _Problems, out: dict[str, Person]
) -> list[tuple[Person, int]]:
    parsed: list[tuple[Person, int]] = []
    if not isinstance(entries, list):
        problems.add(file, lines.top_key("people"), "people must be an array of tables [[people]]")
        return parsed
    for index, entry in enumerate(entries):
        name = entry.get("name") if isinstance(entry, dict) else None
        line = lines.array_entry("people", index, "name", name)
        if not isinstance(entry, dict) or not isinstance(name, str) or not name.strip():
            problems.add(file, line, "a person needs a name")
            continue
        variants = _string_list(entry.get("variants", []))
        groups = _string_list(entry.get("groups"))
        sources = _string_list(entry.get("sources", []))
        who = entry.get("who")
        if variants is None or groups is None or sources is None:
            problems.add(file, line, f"person {name!r}: variants, groups, sources must be lists")
            continue
        if not isinstance(who, str) or not who.strip():
            problems.add(file, line, f"person {name!r} needs `who`, a short true description")
            continue
        hangul = entry.get("hangul", "")
        if not isinstance(hangul, str) or (hangul and not name_spellings(hangul)):
            problems.add(file, line, f"person {name!r}: hangul must be a name in Hangul")
            continue
        unknown = set(entry) - {"name", "variants", "groups", "who", "sources", "hangul"}
        if unknown:
            problems.add(file, line, f"person {name!r} has unknown keys: {sorted(unknown)}")
        if name in out:
            problems.add(file, line, f"person {name!r} is defined twice")
            continue
        person = Person(name, variants, groups, who, sources, hangul)
        out[name] = person
        parsed.append((person, line))
    return parsed


def _parse_pools(
    file: str, entries: object, lines: _Lines, problems: _Problems, out: dict[str, DistractorPool]
) -> list[tuple[DistractorPool, int]]:
    parsed: list[tuple[DistractorPool, int]] = []
    if not isinstance(entries, list):
        problems.add(file, lines.top_key("pools"), "pools must be an array of tables [[pools]]")
        return parsed
    for index, entry in enumerate(entries):
        pool_id = entry.get("id") if isinstance(entry, dict) else None
        line = lines.array_entry("pools", index, "id", pool_id)
        if not isinstance(entry, dict) or not isinstance(pool_id, str) or not _ID.match(pool_id):
            problems.add(file, line, "a pool needs an id of lower-case dotted words")
            continue
        options = entry.get("options")
        if not isinstance(options, list) or not options:
            problems.add(file, line, f"pool {pool_id!r} needs [[pools.options]]")
            continue
        parsed_options = []
        for option in options:
            text = option.get("text") if isinstance(option, dict) else None
            why = option.get("why") if isinstance(option, dict) else None
            sources = _string_list(option.get("sources", [])) if isinstance(option, dict) else None
            if not isinstance(text, str) or not text.strip():
                problems.add(file, line, f"pool {pool_id!r}: every option needs text")
                continue
            if not isinstance(why, str) or not why.strip():
                problems.add(file, line, f"pool {pool_id!r}: option {text!r} needs a why")
                continue
            if sources is None:
                problems.add(file, line, f"pool {pool_id!r}: option {text!r} sources: a list")
                continue
            parsed_options.append(PoolOption(text, why, sources))
        if pool_id in out:
            problems.add(file, line, f"pool {pool_id!r} is defined twice")
            continue
        pool = DistractorPool(pool_id, tuple(parsed_options))
        out[pool_id] = pool
        parsed.append((pool, line))
    return parsed


class _FactParser:
    """Checks one [[facts]] entry; every problem is reported at the fact's `id` line."""

    def __init__(self, file: str, line: int, entry: dict[str, Any], problems: _Problems) -> None:
        self.file = file
        self.line = line
        self.entry = entry
        self.problems = problems
        self.ok = True
        self.fact_id = entry.get("id") if isinstance(entry.get("id"), str) else "?"

    def fail(self, message: str) -> None:
        self.ok = False
        self.problems.add(self.file, self.line, f"fact {self.fact_id!r}: {message}")

    def string(self, key: str, required: bool = True) -> str:
        value = self.entry.get(key, "" if not required else None)
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"`{key}` must be a non-empty string")
            return ""
        return value

    def names(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.entry.get(key, [])
        names = _string_list(value)
        if names is None or (required and not names):
            self.fail(f"`{key}` must be a {'non-empty ' if required else ''}list of strings")
            return ()
        return names

    def table(self, key: str) -> dict[str, Any]:
        value = self.entry.get(key, {})
        if not isinstance(value, dict):
            self.fail(f"`{key}` must be a table")
            return {}
        return value

    def parse(
        self,
        sources: Mapping[str, Source],
        pools: Mapping[str, DistractorPool],
        people: Mapping[str, Person],
    ) -> Fact | None:
        fact_id = self.string("id")
        if fact_id and not _ID.match(fact_id):
            self.fail("`id` must be lower-case dotted words, e.g. defection.tae")
        if len(fact_id) > MAX_FACT_ID:
            self.fail(f"`id` has at most {MAX_FACT_ID} characters")
        kind = self.string("kind")
        if kind and kind not in KIND_REQUIRED:
            self.fail(f"unknown kind {kind!r}; known: {', '.join(sorted(KIND_REQUIRED))}")
        raw_status = self.string("status")
        status = Status(raw_status) if raw_status in {"V", "R", "U"} else None
        if raw_status and status is None:
            self.fail("`status` must be V, R or U")
        label = self.string("label")
        text = self.string("text")
        topics = self.names("topics", required=True)
        for topic in topics:
            if len(topic) > MAX_TOPIC:
                self.fail(f"the topic {topic[:40]!r}... is longer than {MAX_TOPIC} characters")
        source_keys = self.names("sources", required=True)
        for key in source_keys:
            if key not in sources:
                self.fail(f"unknown source key {key!r}")

        fields: dict[str, Value] = {}
        for key, raw in self.entry.items():
            if key in _META_KEYS:
                continue
            if key not in FIELD_TYPES:
                self.fail(f"unknown field {key!r}")
                continue
            try:
                fields[key] = _convert(key, raw)
            except ValueError as error:
                self.fail(str(error))
        for required in KIND_REQUIRED.get(kind, ()):
            if required not in fields:
                self.fail(f"kind {kind!r} needs field {required!r}")
        for key, value in fields.items():
            if FIELD_TYPES[key] is FieldType.PERSON and value not in people:
                self.fail(f"person {value!r} is not in the people table")

        for name in _PLACEHOLDER.findall(text):
            if name not in fields:
                self.fail(f"text uses {{{name}}} but the fact has no field {name!r}")
        if re.sub(_PLACEHOLDER, "", text).count("{") or re.sub(_PLACEHOLDER, "", text).count("}"):
            self.fail("text may use braces only for {field} placeholders")
        if status is Status.REPORT_ONLY and "report" not in text.casefold():
            self.fail("an R fact's text must say it is the report's claim (mention the report)")

        ask = self._ask(fields)
        if status is Status.REPORT_ONLY:
            for key, question in ask.items():
                if "report" not in question.casefold():
                    self.fail(f"`ask.{key}` of an R fact must say it asks about the report")
        cloze = self.string("cloze", required=False)
        if cloze and (not _CLOZE_BLANK.search(cloze) or "{" in cloze or "}" in cloze):
            self.fail("`cloze` needs at least one [[answer]] blank and no braces")
        if cloze and status is Status.REPORT_ONLY and "report" not in cloze.casefold():
            self.fail("an R fact's cloze must mention the report")
        not_distractors = self._field_lists("not_distractors", fields)
        variants = self._field_lists("variants", fields)
        fact_pools = self._pools(fields, pools, not_distractors, same_answer)
        short = self.names("short")
        for name in short:
            if FIELD_TYPES.get(name) is not FieldType.TEXT or name not in fields:
                self.fail(f"`short` lists {name!r}, which is not a text field of this fact")
            elif name not in ask:
                self.fail(f"`short` lists {name!r} but `ask` has no question for it")
        swap = self.names("swap") if "swap" in self.entry else None
        for name in swap or ():
            if name not in _PLACEHOLDER.findall(text):
                self.fail(f"`swap` lists {name!r}, which is not a placeholder in the text")
        timelines = self.names("timelines")
        if timelines and "date" not in fields:
            self.fail("`timelines` needs a `date` field")

        if not self.ok or status is None:
            return None
        return Fact(
            id=fact_id,
            kind=kind,
            status=status,
            label=label,
            text=text,
            fields=fields,
            topics=topics,
            sources=source_keys,
            ask=ask,
            cloze=cloze,
            pools=fact_pools,
            not_distractors=not_distractors,
            variants=variants,
            short=short,
            swap=swap,
            timelines=timelines,
            file=self.file,
            line=self.line,
        )

    def _ask(self, fields: Mapping[str, Value]) -> dict[str, str]:
        ask = self.table("ask")
        for key, question in ask.items():
            base = key.removesuffix("_year")
            if base not in fields:
                self.fail(f"`ask.{key}` names no field of this fact")
            elif key != base and FIELD_TYPES[base] is not FieldType.DATE:
                self.fail(f"`ask.{key}`: only date fields have a _year question")
            if not isinstance(question, str) or not question.strip().endswith("?"):
                self.fail(f"`ask.{key}` must be a question ending with '?'")
        return {key: value for key, value in ask.items() if isinstance(value, str)}

    def _field_lists(self, key: str, fields: Mapping[str, Value]) -> dict[str, tuple[str, ...]]:
        result: dict[str, tuple[str, ...]] = {}
        for name, values in self.table(key).items():
            strings = _string_list(values)
            if name not in fields:
                self.fail(f"`{key}.{name}` names no field of this fact")
            elif strings is None:
                self.fail(f"`{key}.{name}` must be a list of strings")
            else:
                result[name] = strings
        return result

    def _pools(
        self,
        fields: Mapping[str, Value],
        pools: Mapping[str, DistractorPool],
        not_distractors: Mapping[str, tuple[str, ...]],
        same_answer: Callable[[str, str], bool],
    ) -> dict[str, str]:
        result: dict[str, str] = {}
        for name, pool_id in self.table("pools").items():
            if name not in fields and name != "label":
                self.fail(f"`pools.{name}` names no field of this fact")
                continue
            if pool_id not in pools:
                self.fail(f"`pools.{name}` refers to unknown pool {pool_id!r}")
                continue
            true_values = [str(fields.get(name, self.entry.get("label", "")))]
            true_values += list(not_distractors.get(name, ()))
            for option in pools[pool_id].options:
                if any(same_answer(option.text, value) for value in true_values):
                    self.fail(f"pool {pool_id!r} offers {option.text!r}, which is true here")
            result[name] = pool_id
        return result


def load_fact_texts(texts: Mapping[str, str]) -> LoadResult:
    """Load fact files given as {file name: TOML text}. All-or-nothing."""
    problems = _Problems()
    documents: list[tuple[str, dict[str, Any], _Lines]] = []
    for name, text in texts.items():
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            match = _TOML_LINE.search(str(error))
            line = int(match.group(1)) if match else max(1, len(text.splitlines()))
            problems.add(name, line, f"TOML syntax: {error}")
            continue
        except RecursionError:
            # tomllib recurses once per nested array or inline table.
            problems.add(name, 1, "the TOML is nested too deeply to be a fact file")
            continue
        lines = _Lines(text)
        unknown = [key for key in document if key not in _TOP_LEVEL_KEYS]
        for key in unknown[:_MAX_UNKNOWN_KEYS_NAMED]:
            problems.add(name, lines.top_key(key), f"unknown top-level key {key!r}")
        if len(unknown) > _MAX_UNKNOWN_KEYS_NAMED:
            problems.add(
                name, 1, f"{len(unknown) - _MAX_UNKNOWN_KEYS_NAMED} more unknown top-level keys"
            )
        documents.append((name, document, lines))

    sources: dict[str, Source] = {}
    people: dict[str, Person] = {}
    pools: dict[str, DistractorPool] = {}
    cited: list[tuple[str, int, str, tuple[str, ...]]] = []  # file, line, what, source keys
    for name, document, lines in documents:
        if "sources" in document:
            _parse_sources(name, document["sources"], lines, problems, sources)
        if "people" in document:
            for person, line in _parse_people(name, document["people"], lines, problems, people):
                cited.append((name, line, f"person {person.name!r}", person.sources))
        if "pools" in document:
            for pool, line in _parse_pools(name, document["pools"], lines, problems, pools):
                for option in pool.options:
                    cited.append((name, line, f"pool {pool.id!r}", option.sources))
    for name, line, what, keys in cited:
        for key in keys:
            if key not in sources:
                problems.add(name, line, f"{what}: unknown source key {key!r}")

    facts: list[Fact] = []
    seen: set[str] = set()
    for name, document, lines in documents:
        entries = document.get("facts", [])
        if not isinstance(entries, list):
            problems.add(name, lines.top_key("facts"), "facts must be an array of tables [[facts]]")
            continue
        for index, entry in enumerate(entries):
            fact_id = entry.get("id") if isinstance(entry, dict) else None
            line = lines.array_entry("facts", index, "id", fact_id)
            if not isinstance(entry, dict):
                problems.add(name, line, "a fact must be a table")
                continue
            fact = _FactParser(name, line, entry, problems).parse(sources, pools, people)
            if fact is None:
                continue
            if fact.id in seen:
                problems.add(name, line, f"fact {fact.id!r} is defined twice")
                continue
            seen.add(fact.id)
            facts.append(fact)

    if problems.errors:
        return LoadResult(None, tuple(problems.errors))
    return LoadResult(FactBase(sources, tuple(facts), pools, people), ())


def load_fact_files(paths: Iterable[Path]) -> LoadResult:
    return load_fact_texts({path.name: path.read_text(encoding="utf-8") for path in paths})


def load_fact_dir(directory: Path) -> LoadResult:
    return load_fact_files(sorted(directory.glob("*.toml")))


def load_builtin() -> FactBase:
    """The built-in bank; raises FactFileError (with every error) if a file is wrong."""
    result = load_fact_dir(BUILTIN_DATA_DIR)
    if result.base is None:
        raise FactFileError(result.errors)
    return result.base
