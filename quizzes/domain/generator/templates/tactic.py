"""Tactics found in the cables: "which of these appear?" with curated false tactics.

A tactic fact joins when it names a pool of false tactics for its label
(`[facts.pools] label = "..."`); its label is then the option text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from quizzes.domain.facts import Fact
from quizzes.domain.generator.candidates import (
    Candidate,
    Distractor,
    ItemDraft,
    Skip,
    distractor_sources,
    item_key,
)
from quizzes.domain.generator.context import BuildContext
from quizzes.domain.generator.templates.common import chunks, windows
from quizzes.domain.text import fold


def group_items(ctx: BuildContext) -> Iterator[Candidate | Skip]:
    by_pool: dict[str, list[Fact]] = defaultdict(list)
    for fact in sorted(ctx.by_kind["tactic"], key=lambda f: f.id):
        if fact.status == "V" and "label" in fact.pools:
            by_pool[fact.pools["label"]].append(fact)
    template = "tpl.tactic.cables.multi"
    for pool_id, tactics in sorted(by_pool.items()):
        runs = windows(tactics, 3) if len(tactics) <= 9 else chunks(tactics, size=3)
        for run in runs:
            rng = ctx.rng(item_key(template, run))
            options = list(ctx.base.pools[pool_id].options)
            rng.shuffle(options)
            right = {fold(f.label) for f in run}
            wrong = [
                Distractor(o.text, o.why, sources=o.sources)
                for o in options
                if fold(o.text) not in right
            ][:2]
            if not wrong or len(run) + len(wrong) < 4:
                yield Skip(item_key(template, run), "too few options")
                continue
            choices = [{"text": f.label, "correct": True} for f in run]
            choices += [{"text": d.text, "correct": False, "why": d.why} for d in wrong]
            yield ItemDraft(
                template,
                run,
                "multi",
                "Which of these tactics appear in the leaked North Korean cables? "
                "Select all that apply.",
                {"options": choices},
                " ".join(f.statement() for f in run),
                parts=len(choices),
                # Telling the cables' tactics from credible ones they contradict is
                # classification, not recall of one fact.
                level="understand",
                truths=[f.label for f in run],
                extra_sources=distractor_sources(wrong),
            ).build()
