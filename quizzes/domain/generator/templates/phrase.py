"""Framing phrases of North Korean statements and the year of the statement quoted.

A phrase may well have been used in other years too, so the kind never makes a false
statement by changing the year, and never offers another year as a wrong single choice: it
asks for the year of the quoted statement (numeric) and matches phrases to those years.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from quizzes.domain.facts import Fact
from quizzes.domain.generator.candidates import Candidate, ItemDraft, Skip
from quizzes.domain.generator.context import BuildContext, KindSpec
from quizzes.domain.generator.templates.common import chunks

SPEC = KindSpec(
    asks={
        "year": "According to the sources, in what year did a North Korean statement use the "
        'phrase "{phrase}"?',
    },
    swap=(),
)


def group_items(ctx: BuildContext) -> Iterator[Candidate | Skip]:
    """One phrase per year in each matching item, so every right-hand year is distinct."""
    by_year: dict[str, list[Fact]] = defaultdict(list)
    for fact in sorted(ctx.by_kind["phrase"], key=lambda f: f.id):
        if fact.status == "V":
            by_year[fact.shown("year")].append(fact)
    if len(by_year) < 2:
        return
    years = sorted(by_year)
    rounds = max(len(facts) for facts in by_year.values())
    seen: set[tuple[str, ...]] = set()
    for turn in range(rounds):
        for run in chunks([by_year[year][turn % len(by_year[year])] for year in years]):
            ids = tuple(sorted(f.id for f in run))
            if ids in seen or len(run) < 2:
                continue
            seen.add(ids)
            yield _matching(run)


def _matching(run: list[Fact]) -> Candidate:
    pairs = [{"left": f'"{f.shown("phrase")}"', "right": f.shown("year")} for f in run]
    summary = "; ".join(f"{p['left']}: {p['right']}" for p in pairs)
    return ItemDraft(
        "tpl.phrase.year.matching",
        run,
        "matching",
        "Match each phrase to the year of the North Korean statement, quoted in the sources, "
        "that used it.",
        {"pairs": pairs, "distractors": []},
        f"The quoted statements: {summary}.",
        parts=len(run),
    ).build()
