"""Checking one [[facts]] entry of a fact file: every problem is reported at its `id` line.

Each check is a small function over the entry; `parse_fact` runs them all and builds the
Fact only when none failed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from quizzes.domain import limits
from quizzes.domain.facts.lines import Problems
from quizzes.domain.facts.model import (
    FIELD_TYPES,
    KIND_REQUIRED,
    PLACEHOLDER,
    DistractorPool,
    Fact,
    FieldType,
    Person,
    PoolOption,
    Source,
    Status,
    Value,
)
from quizzes.domain.facts.tables import ID, convert, parse_option, string_list
from quizzes.domain.text import same_answer

META_KEYS = frozenset(
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
        "false",
        "explain",
        "figures_cloze",
        "truefalse",
        "no_ask",
        "core",
    }
)
# Stored limits: a topic is an item_topics row (80 characters); a fact id becomes part of
# item keys (255) and is a facts row id (120).
MAX_TOPIC = limits.TOPIC
MAX_FACT_ID = 100
_CLOZE_BLANK = re.compile(r"\[\[([^\[\]]+)\]\]")

SameAnswer = Callable[[str, str], bool]


class _Entry:
    """One fact entry and the problems found in it."""

    def __init__(self, file: str, line: int, entry: dict[str, Any], problems: Problems) -> None:
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
        names = string_list(self.entry.get(key, []))
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


def parse_fact(
    file: str,
    line: int,
    entry: dict[str, Any],
    problems: Problems,
    shared: tuple[Mapping[str, Source], Mapping[str, DistractorPool], Mapping[str, Person]],
) -> Fact | None:
    """The fact of one entry, or None when anything is wrong (each problem reported)."""
    sources, pools, people = shared
    e = _Entry(file, line, entry, problems)
    fact_id = _identity(e)
    kind = _kind(e)
    status = _status(e)
    label, text = e.string("label"), e.string("text")
    topics = _topics(e)
    source_keys = _source_keys(e, sources)
    fields = _fields(e, kind, people)
    _check_text(e, text, fields, status)
    ask = _ask(e, fields, status)
    cloze = _cloze(e, status)
    not_distractors = _field_lists(e, "not_distractors", fields)
    variants = _field_lists(e, "variants", fields)
    fact_pools = _pools(e, fields, pools, not_distractors, same_answer)
    short = _short(e, fields, ask)
    swap = _swap(e, text)
    timelines = e.names("timelines")
    if timelines and "date" not in fields:
        e.fail("`timelines` needs a `date` field")
    false_statements = _false_statements(e, text, sources)
    explain = e.string("explain", required=False)
    figures_cloze, core = _flag(e, "figures_cloze", True), _flag(e, "core", False)
    truefalse, no_ask = _flag(e, "truefalse", True), e.names("no_ask")
    if not e.ok or status is None:
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
        false_statements=false_statements,
        explain=explain,
        figures_cloze=figures_cloze,
        core=core,
        truefalse=truefalse,
        no_ask=no_ask,
        file=file,
        line=line,
    )


def _identity(e: _Entry) -> str:
    fact_id = e.string("id")
    if fact_id and not ID.match(fact_id):
        e.fail("`id` must be lower-case dotted words, e.g. defection.tae")
    if len(fact_id) > MAX_FACT_ID:
        e.fail(f"`id` has at most {MAX_FACT_ID} characters")
    return fact_id


def _kind(e: _Entry) -> str:
    kind = e.string("kind")
    if kind and kind not in KIND_REQUIRED:
        e.fail(f"unknown kind {kind!r}; known: {', '.join(sorted(KIND_REQUIRED))}")
    return kind


def _status(e: _Entry) -> Status | None:
    raw = e.string("status")
    status = Status(raw) if raw in {"V", "R", "U"} else None
    if raw and status is None:
        e.fail("`status` must be V, R or U")
    return status


def _topics(e: _Entry) -> tuple[str, ...]:
    topics = e.names("topics", required=True)
    for topic in topics:
        if len(topic) > MAX_TOPIC:
            e.fail(f"the topic {topic[:40]!r}... is longer than {MAX_TOPIC} characters")
    return topics


def _source_keys(e: _Entry, sources: Mapping[str, Source]) -> tuple[str, ...]:
    keys = e.names("sources", required=True)
    for key in keys:
        if key not in sources:
            e.fail(f"unknown source key {key!r}")
    return keys


def _fields(e: _Entry, kind: str, people: Mapping[str, Person]) -> dict[str, Value]:
    fields: dict[str, Value] = {}
    for key, raw in e.entry.items():
        if key in META_KEYS:
            continue
        if key not in FIELD_TYPES:
            e.fail(f"unknown field {key!r}")
            continue
        try:
            fields[key] = convert(key, raw)
        except ValueError as error:
            e.fail(str(error))
    for required in KIND_REQUIRED.get(kind, ()):
        if required not in fields:
            e.fail(f"kind {kind!r} needs field {required!r}")
    for value in (v for k, v in fields.items() if FIELD_TYPES[k] is FieldType.PERSON):
        if value not in people:
            e.fail(f"person {value!r} is not in the people table")
    return fields


def _check_text(e: _Entry, text: str, fields: Mapping[str, Value], status: Status | None) -> None:
    for name in PLACEHOLDER.findall(text):
        if name not in fields:
            e.fail(f"text uses {{{name}}} but the fact has no field {name!r}")
    bare = PLACEHOLDER.sub("", text)
    if "{" in bare or "}" in bare:
        e.fail("text may use braces only for {field} placeholders")
    if status is Status.REPORT_ONLY and "report" not in text.casefold():
        e.fail("an R fact's text must say it is the report's claim (mention the report)")


def _ask(e: _Entry, fields: Mapping[str, Value], status: Status | None) -> dict[str, str]:
    ask = e.table("ask")
    for key, question in ask.items():
        base = key.removesuffix("_year")
        if base not in fields:
            e.fail(f"`ask.{key}` names no field of this fact")
        elif key != base and FIELD_TYPES[base] is not FieldType.DATE:
            e.fail(f"`ask.{key}`: only date fields have a _year question")
        if not isinstance(question, str) or not question.strip().endswith("?"):
            e.fail(f"`ask.{key}` must be a question ending with '?'")
        elif status is Status.REPORT_ONLY and "report" not in question.casefold():
            e.fail(f"`ask.{key}` of an R fact must say it asks about the report")
    return {key: value for key, value in ask.items() if isinstance(value, str)}


def _cloze(e: _Entry, status: Status | None) -> str:
    cloze = e.string("cloze", required=False)
    if cloze and (not _CLOZE_BLANK.search(cloze) or "{" in cloze or "}" in cloze):
        e.fail("`cloze` needs at least one [[answer]] blank and no braces")
    if cloze and status is Status.REPORT_ONLY and "report" not in cloze.casefold():
        e.fail("an R fact's cloze must mention the report")
    return cloze


def _field_lists(e: _Entry, key: str, fields: Mapping[str, Value]) -> dict[str, tuple[str, ...]]:
    result: dict[str, tuple[str, ...]] = {}
    for name, values in e.table(key).items():
        strings = string_list(values)
        if name not in fields:
            e.fail(f"`{key}.{name}` names no field of this fact")
        elif strings is None:
            e.fail(f"`{key}.{name}` must be a list of strings")
        else:
            result[name] = strings
    return result


def _pools(
    e: _Entry,
    fields: Mapping[str, Value],
    pools: Mapping[str, DistractorPool],
    not_distractors: Mapping[str, tuple[str, ...]],
    same_answer: SameAnswer,
) -> dict[str, str]:
    result: dict[str, str] = {}
    for name, pool_id in e.table("pools").items():
        if name not in fields and name != "label":
            e.fail(f"`pools.{name}` names no field of this fact")
            continue
        if pool_id not in pools:
            e.fail(f"`pools.{name}` refers to unknown pool {pool_id!r}")
            continue
        true_values = [str(fields.get(name, e.entry.get("label", "")))]
        true_values += list(not_distractors.get(name, ()))
        for option in pools[pool_id].options:
            if any(same_answer(option.text, value) for value in true_values):
                e.fail(f"pool {pool_id!r} offers {option.text!r}, which is true here")
        result[name] = pool_id
    return result


def _short(e: _Entry, fields: Mapping[str, Value], ask: Mapping[str, str]) -> tuple[str, ...]:
    short = e.names("short")
    for name in short:
        if FIELD_TYPES.get(name) is not FieldType.TEXT or name not in fields:
            e.fail(f"`short` lists {name!r}, which is not a text field of this fact")
        elif name not in ask:
            e.fail(f"`short` lists {name!r} but `ask` has no question for it")
    return short


def _swap(e: _Entry, text: str) -> tuple[str, ...] | None:
    if "swap" not in e.entry:
        return None
    swap = e.names("swap")
    for name in swap:
        if name not in PLACEHOLDER.findall(text):
            e.fail(f"`swap` lists {name!r}, which is not a placeholder in the text")
    return swap


def _false_statements(
    e: _Entry, text: str, sources: Mapping[str, Source]
) -> tuple[PoolOption, ...]:
    """`[[facts.false]]`: false versions of the statement, each with why it is false."""
    entries = e.entry.get("false", [])
    if not isinstance(entries, list):
        e.fail("`false` must be [[facts.false]] tables with text and why")
        return ()
    parsed: list[PoolOption] = []
    for entry in entries:
        option = parse_option(entry)
        if isinstance(option, str):
            e.fail(f"false: {option}")
            continue
        if "{" in option.text or "}" in option.text:
            e.fail(f"false: {option.text!r} must be a plain sentence (no placeholders)")
        for key in option.sources:
            if key not in sources:
                e.fail(f"false: unknown source key {key!r}")
        parsed.append(option)
    return tuple(parsed)


def _flag(e: _Entry, key: str, default: bool) -> bool:
    value = e.entry.get(key, default)
    if not isinstance(value, bool):
        e.fail(f"`{key}` must be true or false")
        return default
    return value
