"""The item-writing checker (../shared/content/ITEM_WRITING.md): pure functions over item
dicts (docs/ITEMS.md) and, for generated items, the fact base.

Entry points:
- `check_items(items, facts)` -> list[Finding(rule, severity, item_key, message)]: every
  rule on every item, the true/false balance of each topic, and the pairs that give each
  other away. `drawn_together=True` (a teacher's set, which an assignment takes whole)
  reports such pairs with the rule's severity; otherwise they are warnings, since the
  quiz assembler never draws such a pair.
- `check_item(item, facts)`: the per-item rules only (the editor, an import preview).
- `exposure(item)` and `gives_away(a, b)`: what the quiz assembler keeps apart.
- `advice(items)`: a teacher's set checked whole, each finding with its item's index and
  a sentence to read (the editor and the import preview show these; they stop nothing).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from quizzes.domain.checker import dates, reading  # noqa: F401 (dates registers its rules)
from quizzes.domain.checker.giveaway import (
    Exposure,
    GiverIndex,
    clash_graph,
    exposure,
    gives_away,
)
from quizzes.domain.checker.rules import RULES, Context, Finding, Severity
from quizzes.domain.facts import FactBase

GIVEAWAY = "giveaway"
TRUE_FALSE_BALANCE = "true_false_balance"
# Per topic, between 40% and 60% of true/false keys are True.
TRUE_SHARE = (0.4, 0.6)
SEVERITIES = {
    **{name: severity for name, (severity, _) in RULES.items()},
    GIVEAWAY: Severity.ERROR,
    TRUE_FALSE_BALANCE: Severity.WARNING,
}


def check_item(
    item: Mapping[str, Any], facts: FactBase | None = None, *, context: Context | None = None
) -> list[Finding]:
    ctx = context or Context.of(facts)
    return [finding for _, rule in RULES.values() for finding in rule(item, ctx)]


def check_items(
    items: Sequence[Mapping[str, Any]],
    facts: FactBase | None = None,
    *,
    drawn_together: bool = False,
) -> list[Finding]:
    ctx = Context.of(facts)
    findings = [finding for item in items for finding in check_item(item, context=ctx)]
    findings += true_false_balance(items)
    findings += giveaways(items, drawn_together=drawn_together)
    return findings


def true_false_balance(items: Iterable[Mapping[str, Any]]) -> list[Finding]:
    """Answering "True" must not score: per topic, 40-60% of true/false keys are True."""
    keys: dict[str, list[bool]] = defaultdict(list)
    for item in items:
        if reading.type_of(item) != "truefalse":
            continue
        answer = reading.data_of(item).get("answer") is True
        for topic in reading.topics_of(item) or ["(no topic)"]:
            keys[str(topic)].append(answer)
    findings = []
    low, high = TRUE_SHARE
    for topic, answers in sorted(keys.items()):
        share = sum(answers) / len(answers)
        if len(answers) >= 2 and not low <= share <= high:
            findings.append(
                Finding(
                    TRUE_FALSE_BALANCE,
                    SEVERITIES[TRUE_FALSE_BALANCE],
                    f"topic:{topic}",
                    f"topic {topic!r}: {sum(answers)} of {len(answers)} true/false items are True "
                    f"({share:.0%}; keep 40-60%)",
                )
            )
    return findings


def giveaways(items: Sequence[Mapping[str, Any]], *, drawn_together: bool = False) -> list[Finding]:
    """Each item another item of the list answers, once, naming the first such pair.

    In the bank only pairs about different facts are reported: several items about one
    fact always overlap, and the assembler keeps every such pair apart anyway. Only the
    items that could give an item away are compared (an index of every word run shown, of
    questions and of statements per fact), so a file of 2,000 items is checked in linear
    time, not 4,000,000 comparisons."""
    severity = SEVERITIES[GIVEAWAY] if drawn_together else Severity.WARNING
    exposures = [exposure(item) for item in items]
    index = GiverIndex(exposures)
    findings = []
    for i, taker in enumerate(exposures):
        for j, reason in index.givers(i):
            if not drawn_together and taker.facts & exposures[j].facts:
                continue
            if (
                exposures[j].question is not None
                and exposures[j].question == taker.question
                and j > i
            ):
                continue  # the same question twice: reported on the later one only
            findings.append(Finding(GIVEAWAY, severity, taker.key, reason))
            break
    return findings


# What each rule means, in a teacher's words.
TITLES = {
    "answer_in_stem": "The question gives away its answer",
    GIVEAWAY: "Another question gives this one away",
    "distractor_time_span": "A wrong option the question itself rules out",
    "distractor_kind": "A wrong option of another kind than the answer",
    "date_after_sources": "A wrong date later than the sources",
    "unequal_options": "The answer stands out among the options",
    "negative_stem": "A negative question",
    "fragment_stem": "An unfinished question",
    "all_or_none_of_the_above": "“All/none of the above”",
    "matching_without_spare": "No spare answer to match",
    "ordering_labels_reveal_order": "Entries that show their order",
    "essay_asks_recall": "An essay that asks for a fact",
    "copied_explanation": "The question copies the explanation",
    "opposite_of_the_key": "A wrong option that is the answer's opposite",
    TRUE_FALSE_BALANCE: "True/false answers out of balance",
}


def describe(finding: Finding) -> str:
    """One sentence for a teacher: what the rule is, and what it found here."""
    return f"{TITLES.get(finding.rule, finding.rule)}: {finding.message}."


def advice(items: Sequence[Mapping[str, Any]]) -> list[tuple[int | None, Finding]]:
    """A teacher's set checked whole (an assignment takes every item, so every giveaway
    pair counts), as (index of the item or None for the set, finding)."""
    # Items are named by their number in the set, as the teacher sees them listed.
    keyed = [{**item, "key": f"item {number}"} for number, item in enumerate(items, 1)]
    found = []
    for finding in check_items(keyed, drawn_together=True):
        number = finding.item_key.removeprefix("item ")
        found.append((int(number) - 1 if number.isdigit() else None, finding))
    return found


def counts(findings: Iterable[Finding]) -> dict[str, Any]:
    """{"errors": n, "warnings": {rule: n}} as `flask bank stats` prints it."""
    findings = list(findings)
    warnings = Counter(f.rule for f in findings if f.severity is Severity.WARNING)
    return {
        "errors": sum(f.severity is Severity.ERROR for f in findings),
        "warnings": dict(sorted(warnings.items())),
    }


__all__ = [
    "GIVEAWAY",
    "TITLES",
    "advice",
    "describe",
    "RULES",
    "SEVERITIES",
    "Exposure",
    "Finding",
    "Severity",
    "check_item",
    "check_items",
    "clash_graph",
    "counts",
    "exposure",
    "giveaways",
    "gives_away",
    "true_false_balance",
]
