"""Timelines: facts sharing a `timelines` tag, put in order and matched to their dates."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from quizzes.domain.facts import Fact
from quizzes.domain.generator.candidates import Candidate, ItemDraft, Skip, capitalise, item_key
from quizzes.domain.generator.context import BuildContext
from quizzes.domain.generator.templates.common import (
    SPARE_NOTE,
    chronological,
    chunks,
    spare_date,
)

YEAR_IN_LABEL = re.compile(r"\b(?:19|20)\d{2}\b")


def group_items(ctx: BuildContext) -> Iterator[Candidate | Skip]:
    timelines: dict[str, list[Fact]] = defaultdict(list)
    for fact in ctx.facts:
        # R facts would need "the report says" on every line; a label with a year in it
        # would give its place in the order away.
        if fact.status == "V" and not YEAR_IN_LABEL.search(fact.label):
            for name in fact.timelines:
                timelines[name].append(fact)
    for name, facts in sorted(timelines.items()):
        for run in chunks(chronological(facts)):
            if len(run) < 3:
                yield Skip(
                    item_key(f"tpl.timeline.{name}.ordering", run), "fewer than 3 datable events"
                )
                continue
            summary = "; ".join(f"{capitalise(f.label)} ({f.shown('date')})" for f in run)
            yield ItemDraft(
                f"tpl.timeline.{name}.ordering",
                run,
                "ordering",
                "Put these events in chronological order, earliest first.",
                {"items": [capitalise(f.label) for f in run]},
                f"In order: {summary}.",
                parts=len(run),
            ).build()
            template = f"tpl.timeline.{name}.matching"
            spare = spare_date(run, ctx, item_key(template, run))
            if spare is None:
                yield Skip(item_key(template, run), "no spare date for the matching")
                continue
            yield ItemDraft(
                template,
                run,
                "matching",
                "Match each event to its date." + SPARE_NOTE,
                {
                    "pairs": [{"left": capitalise(f.label), "right": f.shown("date")} for f in run],
                    "distractors": [spare[0]],
                },
                f"{summary}. Left over: {spare[1]}",
                parts=len(run),
                extra_sources=spare[2].sources,
            ).build()
