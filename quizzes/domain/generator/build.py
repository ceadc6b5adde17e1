"""build_bank: every template over every usable fact, validated, with a report."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from quizzes.domain.facts import Fact, FactBase, Status
from quizzes.domain.generator.candidates import Candidate, Skip
from quizzes.domain.generator.context import BuildContext
from quizzes.domain.generator.templates import GROUP_TEMPLATES, spec_for
from quizzes.domain.generator.templates.generic import fact_items
from quizzes.domain.generator.validate import validate_item

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Rejection:
    key: str
    reason: str


@dataclass(frozen=True)
class BuildReport:
    items: tuple[dict[str, Any], ...]
    rejected: tuple[Rejection, ...]  # built but failed validation
    skipped: tuple[Rejection, ...]  # a template had too little to build from
    excluded_facts: tuple[str, ...]  # unverified (U) facts: never used

    def count_by_type(self) -> dict[str, int]:
        return dict(sorted(Counter(item["type"] for item in self.items).items()))

    def count_by_topic(self) -> dict[str, int]:
        counts = Counter(topic for item in self.items for topic in item["topics"])
        return dict(sorted(counts.items()))

    def summary(self) -> str:
        lines = [
            f"{len(self.items)} items, {len(self.rejected)} rejected, "
            f"{len(self.skipped)} skipped, {len(self.excluded_facts)} U facts excluded"
        ]
        lines.append("by type:  " + ", ".join(f"{k} {v}" for k, v in self.count_by_type().items()))
        lines.append("by topic: " + ", ".join(f"{k} {v}" for k, v in self.count_by_topic().items()))
        if self.excluded_facts:
            lines.append("excluded (U): " + ", ".join(self.excluded_facts))
        for title, entries in (("rejected", self.rejected), ("skipped", self.skipped)):
            if entries:
                lines.append(f"{title}:")
                lines += [f"  {entry.key}: {entry.reason}" for entry in entries]
        return "\n".join(lines)


def build_bank(
    facts: FactBase,
    seed: int | str = 0,
    on_progress: Progress | None = None,
    max_items: int | None = None,
) -> BuildReport:
    """All items from the facts. Same facts and seed: the same items, in the same order.
    With `max_items`, building stops at the first item past it (an upload's cap)."""
    ctx = BuildContext(facts, seed)
    tasks: list[Callable[[], Iterable[object]]] = [_per_fact(fact, ctx) for fact in ctx.facts] + [
        _group(template, ctx) for template in GROUP_TEMPLATES
    ]
    items: list[dict[str, Any]] = []
    rejected: list[Rejection] = []
    skipped: list[Rejection] = []
    keys: set[str] = set()
    prompts: dict[tuple[str, str], str] = {}
    for done, task in enumerate(tasks, 1):
        for outcome in task():
            if isinstance(outcome, Skip):
                skipped.append(Rejection(outcome.key, outcome.reason))
                continue
            assert isinstance(outcome, Candidate)
            reasons = validate_item(outcome.item, facts, outcome.truths)
            item = outcome.item
            if item["key"] in keys:
                reasons.append("duplicate key")
            seen_prompt = prompts.get((item["type"], _asked(item)))
            if seen_prompt:
                reasons.append(f"same prompt as {seen_prompt}")
            if reasons:
                rejected.append(Rejection(item["key"], "; ".join(reasons)))
                continue
            keys.add(item["key"])
            prompts[(item["type"], _asked(item))] = item["key"]
            items.append(item)
            if max_items is not None and len(items) > max_items:
                break
        if max_items is not None and len(items) > max_items:
            break
        if on_progress is not None:
            on_progress(done, len(tasks))
    excluded = tuple(f.id for f in facts.facts if f.status is Status.UNVERIFIED)
    return BuildReport(tuple(items), tuple(rejected), tuple(skipped), excluded)


def _asked(item: dict[str, Any]) -> str:
    """What makes two items the same question: the prompt alone where it carries the
    question (a true/false statement), the prompt and its data where the prompt is generic
    ("Put these events in order")."""
    if item["type"] == "single":  # a shared stem ("Which of these ...") with another key
        right = [option["text"] for option in item["data"]["options"] if option["correct"]]
        return f"{item['prompt']} {right}"
    if item["type"] in {"truefalse", "short", "numeric"}:
        return item["prompt"]
    return f"{item['prompt']} {json.dumps(item['data'], sort_keys=True)}"


def _per_fact(fact: Fact, ctx: BuildContext) -> Callable[[], Iterable[object]]:
    spec = spec_for(fact.kind)

    def run() -> Iterable[object]:
        yield from fact_items(fact, ctx, spec)
        for template in spec.fact_templates:
            yield from template(fact, ctx)

    return run


def _group(
    template: Callable[[BuildContext], Iterable[object]], ctx: BuildContext
) -> Callable[[], Iterable[object]]:
    return lambda: template(ctx)
