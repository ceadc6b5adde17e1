"""Which of these statements is false? Three true statements of a topic and one false one.

The false statement is a fact's curated contrast (`[[facts.false]]`), so it is credible: it
is built from another fact, not made absurd. Only verified facts take part (a report-only
fact would need "the report says" on its line), and only facts whose statements are short
enough to read side by side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from quizzes.domain.facts import Fact, Status
from quizzes.domain.generator.candidates import (
    Candidate,
    Distractor,
    ItemDraft,
    Skip,
    choice_options,
    item_key,
)
from quizzes.domain.generator.context import BuildContext

TEMPLATE = "tpl.statements.false_one.single"
MAX_STATEMENT = 200  # characters: four longer statements are a reading test, not a question


def group_items(ctx: BuildContext) -> Iterator[Candidate | Skip]:
    by_topic: dict[str, list[Fact]] = defaultdict(list)
    for fact in sorted(ctx.facts, key=lambda f: f.id):
        # A fact kept out of true/false items (no credible false version, or not to be
        # asked) stays out of these too.
        usable = fact.truefalse and len(fact.statement()) <= MAX_STATEMENT
        if fact.status is Status.VERIFIED and usable:
            # By the fact's first topic only: a tactic among biographies would stand out
            # as the odd one whatever its truth.
            by_topic[fact.topics[0]].append(fact)
    used: set[str] = set()  # each false statement once, in the first topic that has room
    for topic, facts in sorted(by_topic.items()):
        falsifiable = [f for f in facts if f.false_statements and f.id not in used]
        for liar in falsifiable:
            others = [f for f in facts if f is not liar]
            if len(others) < 3:
                continue
            used.add(liar.id)
            rng = ctx.rng(f"{TEMPLATE}|{topic}|{liar.id}")
            rng.shuffle(others)
            yield false_one(liar, others[:3], ctx)


def false_one(liar: Fact, truthful: list[Fact], ctx: BuildContext) -> Candidate | Skip:
    # The same four facts may make several items, each with another one false.
    key = f"{item_key(TEMPLATE, [liar, *truthful])}+false.{liar.id}"
    if len(truthful) < 3:
        return Skip(key, "fewer than 3 true statements in the topic")
    contrast = liar.false_statements[0]
    wrong = [Distractor(f.statement(), "This statement is true.", facts=(f,)) for f in truthful]
    candidate = ItemDraft(
        TEMPLATE,
        [liar, *truthful],
        "single",
        "Which one of these statements is false?",
        {"options": choice_options(contrast.text, wrong)},
        f"False: {contrast.text} {contrast.why} The other three are true.",
        extra_sources=contrast.sources,
        level="analyse",
    ).build()
    candidate.item["key"] = key
    return candidate
