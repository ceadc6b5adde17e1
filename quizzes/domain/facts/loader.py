"""Loading fact files (TOML, docs/FACTS_FORMAT.md) into a FactBase.

Loading is all-or-nothing: any error in any file yields the list of errors (each naming file
and line) and no facts, so a half-loaded bank is never built.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizzes.domain.facts.fact_parser import parse_fact
from quizzes.domain.facts.lines import LineFinder, LoadError, Problems
from quizzes.domain.facts.model import (
    DistractorPool,
    Fact,
    FactBase,
    Person,
    Relation,
    Source,
    Status,
)
from quizzes.domain.facts.tables import parse_people, parse_pools, parse_relations, parse_sources

BUILTIN_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "bank" / "data"
TOP_LEVEL_KEYS = frozenset({"sources", "facts", "pools", "people", "relations"})
_TOML_LINE = re.compile(r"at line (\d+)")
_MAX_UNKNOWN_KEYS_NAMED = 20
_LONG_NUMBER = re.compile(r"[0-9](?:_?[0-9]){40,}")

Document = tuple[str, dict[str, Any], LineFinder]


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


@dataclass
class _Shared:
    """The tables any file's facts may refer to."""

    sources: dict[str, Source]
    people: dict[str, Person]
    pools: dict[str, DistractorPool]
    relations: list[Relation]


def load_fact_texts(texts: Mapping[str, str]) -> LoadResult:
    """Load fact files given as {file name: TOML text}. All-or-nothing."""
    problems = Problems()
    documents = [doc for name, text in texts.items() if (doc := _document(name, text, problems))]
    shared = _shared_tables(documents, problems)
    facts = _facts(documents, shared, problems)
    _check_relations(shared.relations, {fact.id: fact for fact in facts}, problems)
    if problems.errors:
        return LoadResult(None, tuple(problems.errors))
    base = FactBase(
        shared.sources, tuple(facts), shared.pools, shared.people, tuple(shared.relations)
    )
    return LoadResult(base, ())


def _document(name: str, text: str, problems: Problems) -> Document | None:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        line = int(match.group(1)) if match else max(1, len(text.splitlines()))
        problems.add(name, line, f"TOML syntax: {error}")
        return None
    except RecursionError:
        # tomllib recurses once per nested array or inline table.
        problems.add(name, 1, "the TOML is nested too deeply to be a fact file")
        return None
    except ValueError:
        # tomllib's int() refuses more than 4,300 digits; no fact needs a tenth of that.
        long_number = _LONG_NUMBER.search(text)
        line = text.count("\n", 0, long_number.start()) + 1 if long_number else 1
        problems.add(name, line, "a number has more digits than any fact needs")
        return None
    lines = LineFinder(text)
    unknown = [key for key in document if key not in TOP_LEVEL_KEYS]
    for key in unknown[:_MAX_UNKNOWN_KEYS_NAMED]:
        problems.add(name, lines.top_key(key), f"unknown top-level key {key!r}")
    if len(unknown) > _MAX_UNKNOWN_KEYS_NAMED:
        more = len(unknown) - _MAX_UNKNOWN_KEYS_NAMED
        problems.add(name, 1, f"{more} more unknown top-level keys")
    return name, document, lines


Citation = tuple[str, int, str, tuple[str, ...]]  # file, line, what, source keys


def _shared_tables(documents: list[Document], problems: Problems) -> _Shared:
    shared = _Shared({}, {}, {}, [])
    cited: list[Citation] = []
    for name, document, lines in documents:
        if "sources" in document:
            parse_sources(name, document["sources"], lines, problems, shared.sources)
        if "people" in document:
            people = parse_people(name, document["people"], lines, problems, shared.people)
            cited += [(name, line, f"person {p.name!r}", p.sources) for p, line in people]
        if "pools" in document:
            pools = parse_pools(name, document["pools"], lines, problems, shared.pools)
            cited += [
                (name, line, f"pool {pool.id!r}", option.sources)
                for pool, line in pools
                for option in pool.options
            ]
        if "relations" in document:
            parse_relations(name, document["relations"], lines, problems, shared.relations)
    cited += [
        (relation.file, relation.line, f"relation {relation.id!r}", option.sources)
        for relation in shared.relations
        for option in relation.wrong
    ]
    _check_citations(cited, shared.sources, problems)
    return shared


def _check_citations(
    cited: list[Citation], sources: Mapping[str, Source], problems: Problems
) -> None:
    for name, line, what, keys in cited:
        for key in keys:
            if key not in sources:
                problems.add(name, line, f"{what}: unknown source key {key!r}")


def _facts(documents: list[Document], shared: _Shared, problems: Problems) -> list[Fact]:
    facts: list[Fact] = []
    seen: set[str] = set()
    tables = (shared.sources, shared.pools, shared.people)
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
            fact = parse_fact(name, line, entry, problems, tables)
            if fact is None:
                continue
            if fact.id in seen:
                problems.add(name, line, f"fact {fact.id!r} is defined twice")
                continue
            seen.add(fact.id)
            facts.append(fact)
    return facts


def _check_relations(
    relations: list[Relation], facts: Mapping[str, Fact], problems: Problems
) -> None:
    """A relation rests on known, usable facts; one resting on the report says so."""
    seen: set[str] = set()
    for relation in relations:
        where = (relation.file, relation.line)
        if relation.id in seen:
            problems.add(*where, f"relation {relation.id!r} is defined twice")
        seen.add(relation.id)
        for fact_id in relation.facts:
            fact = facts.get(fact_id)
            if fact is None:
                problems.add(*where, f"relation {relation.id!r}: unknown fact {fact_id!r}")
            elif fact.status is Status.UNVERIFIED:
                problems.add(*where, f"relation {relation.id!r} rests on U fact {fact_id!r}")
            elif fact.status is Status.REPORT_ONLY and relation.kind != "evidence":
                asked = " ".join(relation.text.values()).casefold()
                if "report" not in asked:
                    message = f"relation {relation.id!r} rests on R fact {fact_id!r}"
                    problems.add(*where, message + " but does not mention the report")


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
