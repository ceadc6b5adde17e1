"""Reading the shared tables of fact files: sources, people, distractor pools, relations.

Each reader checks one table, reports every problem at its entry's line and fills `out`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from quizzes.domain import limits
from quizzes.domain.citations import is_web_address
from quizzes.domain.facts.lines import LineFinder, Problems
from quizzes.domain.facts.model import (
    EVIDENCE_SUPPORT,
    FIELD_TYPES,
    RELATION_REQUIRED,
    DistractorPool,
    FieldType,
    PartialDate,
    Person,
    PoolOption,
    Relation,
    Source,
    Value,
)
from quizzes.domain.romanisation import name_spellings

ID = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_]+)*$")


def string_list(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(item, str) and item for item in value):
        return tuple(value)
    return None


def convert(name: str, raw: object) -> Value:
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
    if raw >= 10**limits.NUMBER_DIGITS:  # graded as a float: past 10**308 it cannot be one
        raise ValueError(f"field {name!r} has more than {limits.NUMBER_DIGITS} digits")
    return raw


def parse_sources(
    file: str, table: object, lines: LineFinder, problems: Problems, out: dict[str, Source]
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


def parse_people(
    file: str, entries: object, lines: LineFinder, problems: Problems, out: dict[str, Person]
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
        variants = string_list(entry.get("variants", []))
        groups = string_list(entry.get("groups"))
        sources = string_list(entry.get("sources", []))
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


def parse_pools(
    file: str,
    entries: object,
    lines: LineFinder,
    problems: Problems,
    out: dict[str, DistractorPool],
) -> list[tuple[DistractorPool, int]]:
    parsed: list[tuple[DistractorPool, int]] = []
    if not isinstance(entries, list):
        problems.add(file, lines.top_key("pools"), "pools must be an array of tables [[pools]]")
        return parsed
    for index, entry in enumerate(entries):
        pool_id = entry.get("id") if isinstance(entry, dict) else None
        line = lines.array_entry("pools", index, "id", pool_id)
        if not isinstance(entry, dict) or not isinstance(pool_id, str) or not ID.match(pool_id):
            problems.add(file, line, "a pool needs an id of lower-case dotted words")
            continue
        options = entry.get("options")
        if not isinstance(options, list) or not options:
            problems.add(file, line, f"pool {pool_id!r} needs [[pools.options]]")
            continue
        parsed_options = []
        for option in options:
            parsed_option = parse_option(option)
            if isinstance(parsed_option, str):
                problems.add(file, line, f"pool {pool_id!r}: {parsed_option}")
            else:
                parsed_options.append(parsed_option)
        if pool_id in out:
            problems.add(file, line, f"pool {pool_id!r} is defined twice")
            continue
        pool = DistractorPool(pool_id, tuple(parsed_options))
        out[pool_id] = pool
        parsed.append((pool, line))
    return parsed


def parse_option(option: object) -> PoolOption | str:
    """A false option ({text, why, sources?}), or what is wrong with it."""
    if not isinstance(option, dict):
        return "every option must be a table with text and why"
    text, why = option.get("text"), option.get("why")
    sources = string_list(option.get("sources", []))
    if not isinstance(text, str) or not text.strip():
        return "every option needs text"
    if not isinstance(why, str) or not why.strip():
        return f"option {text!r} needs a why"
    if sources is None:
        return f"option {text!r}: sources must be a list of keys"
    unknown = set(option) - {"text", "why", "sources", "level"}
    if unknown:
        return f"option {text!r} has unknown keys: {sorted(unknown)}"
    level = option.get("level", "")
    if level not in ("", "remember", "understand", "analyse"):
        return f"option {text!r}: level must be remember, understand or analyse"
    return PoolOption(text, why, sources, level)


_RELATION_KEYS = frozenset({"id", "kind", "facts", "wrong", "steps", "level"})
# What a cause or comparison may be tagged (docs/ITEMS.md); evidence and sequences analyse.
_RELATION_LEVELS = ("understand", "analyse")


def parse_relations(
    file: str, entries: object, lines: LineFinder, problems: Problems, out: list[Relation]
) -> None:
    """[[relations]]: links between facts. Fact ids are checked once every file is read."""
    if not isinstance(entries, list):
        problems.add(file, lines.top_key("relations"), "relations must be [[relations]] tables")
        return
    for index, entry in enumerate(entries):
        relation_id = entry.get("id") if isinstance(entry, dict) else None
        line = lines.array_entry("relations", index, "id", relation_id)
        if not isinstance(entry, dict) or not isinstance(relation_id, str):
            problems.add(file, line, "a relation needs an id of lower-case dotted words")
            continue
        errors = _relation_errors(entry, relation_id)
        for message in errors:
            problems.add(file, line, f"relation {relation_id!r}: {message}")
        if not errors:
            out.append(_relation(entry, relation_id, file, line))


def _relation_errors(entry: dict[str, Any], relation_id: str) -> list[str]:
    errors = [] if ID.match(relation_id) else ["`id` must be lower-case dotted words"]
    kind = entry.get("kind")
    if kind not in RELATION_REQUIRED:
        known = ", ".join(sorted(RELATION_REQUIRED))
        return [*errors, f"unknown kind {kind!r}; known: {known}"]
    if not string_list(entry.get("facts")):
        errors.append("`facts` must be a non-empty list of fact ids")
    for name in RELATION_REQUIRED[kind]:
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            errors.append(f"kind {kind!r} needs `{name}`, a non-empty string")
    unknown = set(entry) - _RELATION_KEYS - set(RELATION_REQUIRED[kind])
    if unknown:
        errors.append(f"unknown keys: {sorted(unknown)}")
    if entry.get("level", "understand") not in _RELATION_LEVELS:
        errors.append(f"`level` must be one of {', '.join(_RELATION_LEVELS)}")
    return errors + _kind_errors(kind, entry) + _wrong_errors(entry.get("wrong", []))


def _kind_errors(kind: str, entry: dict[str, Any]) -> list[str]:
    if kind == "evidence" and entry.get("support") not in EVIDENCE_SUPPORT:
        return [f"`support` must be one of {', '.join(EVIDENCE_SUPPORT)}"]
    if kind == "sequence" and len(string_list(entry.get("steps")) or ()) < 3:
        return ["a sequence needs `steps`: at least 3 strings, in order"]
    if kind == "compare" and len(entry.get("wrong", [])) < 2:
        return ["a comparison needs at least 2 `wrong` answers"]
    return []


def _wrong_errors(wrong: object) -> list[str]:
    options = wrong if isinstance(wrong, list) else [None]
    problems = [parse_option(option) for option in options]
    return [f"wrong: {problem}" for problem in problems if isinstance(problem, str)]


def _relation(entry: dict[str, Any], relation_id: str, file: str, line: int) -> Relation:
    kind = entry["kind"]
    wrong = tuple(parse_option(option) for option in entry.get("wrong", []))
    return Relation(
        id=relation_id,
        kind=kind,
        facts=tuple(entry["facts"]),
        text={name: entry[name] for name in RELATION_REQUIRED[kind]},
        wrong=tuple(option for option in wrong if isinstance(option, PoolOption)),
        steps=tuple(entry.get("steps", ())),
        level=entry.get("level", ""),
        file=file,
        line=line,
    )
