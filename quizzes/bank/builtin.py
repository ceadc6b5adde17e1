"""The built-in bank: fact files -> generated items grouped into sets, citations resolved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizzes.bank.loader import BankSet
from quizzes.domain.facts import FactBase, fact_record, load_builtin
from quizzes.domain.generator import BuildReport, build_bank

# One built-in set per fact file, in teaching order.
SET_TITLES = {
    "report": (
        "The report and the cables",
        "What the Korea Times reported and where the cables came from.",
    ),
    "tactics": (
        "Tactics and rhetoric",
        "Boycotts, walkouts, the first battlefield, discrediting defectors, deflection "
        "and framing words.",
    ),
    "defections": (
        "Defections",
        "Who defected when: Tae Yong-ho, Ri Il-gyu, Jo Song-gil, Ryu Hyun-woo.",
    ),
    "upr": (
        "Universal Periodic Review",
        "The four review cycles, what states pressed on, and the recommendations rejected.",
    ),
    "admissions": (
        "Admissions at the 4th review",
        "What North Korea's delegation said in November 2024, and what it denied.",
    ),
    "un_mechanisms": (
        "UN mechanisms",
        "The Commission of Inquiry, the Special Rapporteurs and the yearly resolutions.",
    ),
    "unification": (
        "Ministry of Unification report",
        "South Korea's yearly human-rights report on the North.",
    ),
}

@dataclass(frozen=True)
class BuiltinBank:
    report: BuildReport
    items: list[dict[str, Any]]
    sets: list[BankSet]
    facts: list[dict[str, Any]]


def resolve_citations(item: dict[str, Any], base: FactBase) -> dict[str, Any]:
    return {**item, "sources": [base.sources[key].citation() for key in item["sources"]]}


def build_builtin(
    seed: int = 0, on_progress: Callable[[int, int], None] | None = None
) -> BuiltinBank:
    base = load_builtin()
    report = build_bank(base, seed=seed, on_progress=on_progress)
    file_of = {fact.id: Path(fact.file).stem for fact in base.facts}
    grouped: dict[str, list[str]] = {stem: [] for stem in SET_TITLES}
    for item in report.items:
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
    used = {fact_id for item in report.items for fact_id in item["fact_ids"]}
    facts = [fact_record(fact, base) for fact in base.facts if fact.id in used]
    items = [resolve_citations(item, base) for item in report.items]
    return BuiltinBank(report, items, sets, facts)
