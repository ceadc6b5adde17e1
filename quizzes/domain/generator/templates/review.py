"""Universal Periodic Review sessions: dates of each cycle, figures of a cycle."""

from __future__ import annotations

from collections.abc import Iterator

from quizzes.domain.facts import ordinal
from quizzes.domain.generator.candidates import Candidate, ItemDraft, Skip
from quizzes.domain.generator.context import BuildContext, KindSpec
from quizzes.domain.generator.templates.common import SPARE_NOTE, chunks, spare_date

SPEC = KindSpec(
    asks={
        "date": "When did North Korea's {cycle} Universal Periodic Review take place?",
        "date_year": "In what year did North Korea's {cycle} Universal Periodic Review take place?",
    },
    # The cycle number is not swapped: "the 2nd review took place on <date of the 1st>" only
    # repeats the date swap.
    swap=("date", "recommendations", "accepted"),
)


def group_items(ctx: BuildContext) -> Iterator[Candidate | Skip]:
    sessions = sorted(
        (f for f in ctx.by_kind["review_session"] if f.status == "V"),
        key=lambda f: (int(f.fields["cycle"]), f.id),  # type: ignore[arg-type]
    )
    for run in chunks(sessions):
        if len(run) < 2:
            continue
        pairs = [
            {"left": f"{ordinal(int(f.fields['cycle']))} review", "right": f.shown("date")}  # type: ignore[arg-type]
            for f in run
        ]
        if len({pair["right"] for pair in pairs}) < len(pairs):
            continue
        summary = "; ".join(f"{p['left']}: {p['right']}" for p in pairs)
        template = "tpl.review_session.date.matching"
        spare = spare_date(run, ctx, template)
        if spare is None:
            yield Skip(template, "no spare date for the matching")
            continue
        yield ItemDraft(
            template,
            run,
            "matching",
            "Match each of North Korea's Universal Periodic Reviews to its date." + SPARE_NOTE,
            {"pairs": pairs, "distractors": [spare[0]]},
            f"North Korea's Universal Periodic Reviews: {summary}. Left over: {spare[1]}",
            extra_sources=spare[2].sources,
            parts=len(run),
        ).build()
