"""The UN Special Rapporteur on human rights in the DPRK: who held the post, when.

The rapporteur facts are taken as the complete list of holders, so anyone else sharing a
group with them (a Commission of Inquiry member) is known never to have held the post.
"""

from __future__ import annotations

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
from quizzes.domain.generator.context import BuildContext, KindSpec, sample
from quizzes.domain.generator.templates.common import chronological, chunks, windows

POST = "UN Special Rapporteur on human rights in the DPRK"


def term(fact: Fact) -> str:
    if "end" in fact.fields:
        return f"from {fact.shown('start')} to {fact.shown('end')}"
    return f"from {fact.shown('start')}"


def term_false(fact: Fact, ctx: BuildContext) -> Iterator[Candidate | Skip]:
    """The statement with another holder's whole term (never one end only: "from 2004 to
    2016" would half-overlap the truth)."""
    if "end" not in fact.fields or not fact.truefalse:
        return
    template = "tpl.rapporteur.term.truefalse"
    rng = ctx.rng(item_key(template, [fact]))
    others = (
        o
        for o in sample(ctx.by_kind["rapporteur"], rng)
        if o is not fact and "end" in o.fields and term(o) != term(fact)
    )
    other = next(others, None)
    if other is None:
        yield Skip(item_key(template, [fact]), "no other complete term to swap in")
        return
    swapped = fact.render({"start": other.shown("start"), "end": other.shown("end")})
    why = f"{other.shown('start')} to {other.shown('end')} was {other.shown('person')}'s term."
    yield ItemDraft(
        template,
        [fact],
        "truefalse",
        swapped,
        {"answer": False},
        f"False. {why} {fact.statement()}",
        extra_sources=other.sources,
    ).build()


SPEC = KindSpec(
    asks={
        "person": f"Who was {POST} from {{start}} to {{end}}?",
        "start_year": f"In what year did {{person}} become {POST}?",
    },
    cross_fact={
        "person": lambda fact, other, name: (
            f"{other.shown('person')} was Special Rapporteur {term(other)}."
        ),
    },
    swap=(),
    fact_templates=(term_false,),
)


def _holders(ctx: BuildContext) -> list[Fact]:
    return chronological([f for f in ctx.by_kind["rapporteur"] if f.status == "V"], "start")


def group_items(ctx: BuildContext) -> Iterator[Candidate | Skip]:
    holders = _holders(ctx)
    for run in chunks(holders):
        if len(run) < 3:
            continue
        summary = "; ".join(f"{f.shown('person')} ({term(f)})" for f in run)
        yield ItemDraft(
            "tpl.rapporteur.succession.ordering",
            run,
            "ordering",
            f"Put these holders of the post of {POST} in order, earliest first.",
            {"items": [f.shown("person") for f in run]},
            f"In order: {summary}.",
            parts=len(run),
        ).build()
        pairs = [{"left": f.shown("person"), "right": term(f)} for f in run]
        # Terms are consecutive and the holders complete: one start with the next holder's
        # end is nobody's term.
        ended = [f for f in run[1:] if "end" in f.fields]
        spare = f"from {run[0].shown('start')} to {ended[0].shown('end')}" if ended else ""
        yield ItemDraft(
            "tpl.rapporteur.term.matching",
            run,
            "matching",
            f"Match each {POST} to their term. One answer is left over.",
            {"pairs": pairs, "distractors": [spare] if spare else []},
            f"Terms: {summary}." + (f" Nobody held the post {spare}." if spare else ""),
            parts=len(run),
        ).build()
    yield from _holder_multi(holders, ctx)


def _holder_multi(holders: list[Fact], ctx: BuildContext) -> Iterator[Candidate | Skip]:
    names = {f.shown("person") for f in holders}
    template = "tpl.rapporteur.holders.multi"
    for run in windows(holders, 3) if len(holders) <= 9 else chunks(holders, size=3):
        rng = ctx.rng(item_key(template, run))
        outsiders = [
            p for p in ctx.people_like(run[0].shown("person"), rng) if p.name not in names
        ][:2]
        wrong = [
            Distractor(
                p.name, f"{p.name} was never Special Rapporteur but was {p.who}.", sources=p.sources
            )
            for p in outsiders
        ]
        if not wrong or len(run) + len(wrong) < 4:
            yield Skip(item_key(template, run), "too few options")
            continue
        options = [{"text": f.shown("person"), "correct": True} for f in run]
        options += [{"text": d.text, "correct": False, "why": d.why} for d in wrong]
        yield ItemDraft(
            template,
            run,
            "multi",
            f"Which of these have held the post of {POST}? Select all that apply.",
            {"options": options},
            " ".join(f.statement() for f in run),
            parts=len(options),
            truths=[f.shown("person") for f in run],
            extra_sources=distractor_sources(wrong),
        ).build()
