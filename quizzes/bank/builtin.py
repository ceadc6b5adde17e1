"""The built-in bank: fact files -> generated items grouped into sets, citations resolved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizzes.bank.loader import BankSet
from quizzes.domain.checker import Finding, Severity, check_items
from quizzes.domain.fact_cards import write_fact_cards
from quizzes.domain.facts import FactBase, fact_record, load_builtin
from quizzes.domain.generator import BuildReport, build_bank
from quizzes.domain.generator.wording import read_content

# How the built-in sets and topics are titled is content: quizzes/bank/content.toml.
_CONTENT = read_content()
SET_TITLES = {entry["file"]: (entry["title"], entry["description"]) for entry in _CONTENT["sets"]}
TOPIC_TITLES: dict[str, str] = dict(_CONTENT.get("topics", {}))


def topic_title(topic: str) -> str:
    return TOPIC_TITLES.get(topic, topic.replace("_", " ").capitalize())


@dataclass(frozen=True)
class BuiltinBank:
    report: BuildReport
    items: list[dict[str, Any]]  # what the build loads: generated, valid, no checker error
    sets: list[BankSet]
    facts: list[dict[str, Any]]
    findings: tuple[Finding, ...] = ()  # the item-writing checker on every generated item

    @property
    def checker_rejected(self) -> dict[str, list[Finding]]:
        """Items kept out of the bank by a checker error, with the errors."""
        rejected: dict[str, list[Finding]] = {}
        for finding in self.findings:
            if finding.severity is Severity.ERROR:
                rejected.setdefault(finding.item_key, []).append(finding)
        return rejected

    def checker_summary(self) -> str:
        lines = [f"rejected by the item-writing checker: {len(self.checker_rejected)}"]
        for key, findings in self.checker_rejected.items():
            lines += [f"  {key}: {f.rule}: {f.message}" for f in findings]
        return "\n".join(lines)


def resolve_citations(item: dict[str, Any], base: FactBase) -> dict[str, Any]:
    return {**item, "sources": [base.sources[key].citation() for key in item["sources"]]}


def _with_cards(record: dict[str, Any], cards: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {**record, "fields": {**record["fields"], "cards": cards.get(record["id"], [])}}


def build_builtin(
    seed: int = 0, on_progress: Callable[[int, int], None] | None = None
) -> BuiltinBank:
    base = load_builtin()
    report = build_bank(base, seed=seed, on_progress=on_progress)
    # An item-writing error keeps an item out of the built-in bank (ITEM_WRITING.md).
    findings = tuple(check_items(report.items, base))
    failed = {f.item_key for f in findings if f.severity is Severity.ERROR}
    kept = [item for item in report.items if item["key"] not in failed]
    file_of = {fact.id: Path(fact.file).stem for fact in base.facts}
    grouped: dict[str, list[str]] = {stem: [] for stem in SET_TITLES}
    for item in kept:
        stem = file_of[item["fact_ids"][0]]
        grouped.setdefault(stem, []).append(item["key"])
    sets = [
        BankSet(
            slug=f"bank-{stem.replace('_', '-')}",
            title=SET_TITLES.get(stem, (stem, ""))[0],
            description=SET_TITLES.get(stem, ("", ""))[1],
            item_keys=keys,
        )
        for stem, keys in grouped.items()
        if keys
    ]
    used = {fact_id for item in kept for fact_id in item["fact_ids"]}
    cards = write_fact_cards(base, kept)  # flashcards are written from facts, kept with them
    facts = [_with_cards(fact_record(fact, base), cards) for fact in base.facts if fact.id in used]
    items = [resolve_citations(item, base) for item in kept]
    return BuiltinBank(report, items, sets, facts, findings)
