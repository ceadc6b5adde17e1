"""Defections: where and as what each diplomat served, when he left, in what order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from quizzes.domain.facts import Fact
from quizzes.domain.generator.candidates import (
    Candidate,
    Distractor,
    ItemDraft,
    Skip,
    capitalise,
    distractor_sources,
    item_key,
)
from quizzes.domain.generator.context import BuildContext, KindSpec
from quizzes.domain.generator.templates.common import chronological, chunks, distinct_runs
from quizzes.domain.text import fold

SPEC = KindSpec(
    asks={
        "posting": "Where was {person} posted when he defected?",
        "person": "Which North Korean diplomat defected while serving as {post} in {posting}?",
        "post": "Which post did {person} hold in {posting} when he defected?",
        "date_year": "In what year did {person} defect from his post in {posting}?",
    },
    cross_fact={
        "posting": "{value} was {other_person}'s posting; {person} was in {answer}.",
        "post": "{value} was {other_person}'s post, in {other_posting}; {person} was {answer}.",
        "person": "{value} was {other_post} in {other_posting}.",
    },
    swap=("posting", "date"),
)


def _post_in(fact: Fact) -> str:
    return f"{fact.shown('post')} in {fact.shown('posting')}"


def group_items(ctx: BuildContext) -> Iterator[Candidate | Skip]:
    defections = [f for f in ctx.by_kind["defection"] if f.status == "V"]
    yield from _order(defections)
    yield from _posts_matching(defections, ctx)
    yield from _shared_post(defections, ctx)


def _order(defections: list[Fact]) -> Iterator[Candidate | Skip]:
    for run in chunks(chronological(defections)):
        if len(run) < 3:
            continue
        summary = "; ".join(f"{f.shown('person')} ({f.shown('date')})" for f in run)
        yield ItemDraft(
            "tpl.defection.order.ordering",
            run,
            "ordering",
            "Put these North Korean diplomats in the order in which they defected, earliest first.",
            {"items": [f.shown("person") for f in run]},
            f"In order: {summary}.",
            parts=len(run),
        ).build()


def _posts_matching(defections: list[Fact], ctx: BuildContext) -> Iterator[Candidate | Skip]:
    for run in distinct_runs(sorted(defections, key=lambda f: f.id), _post_in):
        if len(run) < 2:
            continue
        pairs = [{"left": f.shown("person"), "right": _post_in(f)} for f in run]
        summary = "; ".join(f"{p['left']}: {p['right']}" for p in pairs)
        spare = _spare_post(run, ctx)
        note = " One answer is left over." if spare else ""
        yield ItemDraft(
            "tpl.defection.post.matching",
            run,
            "matching",
            f"Match each North Korean diplomat to the post he held when he defected.{note}",
            {"pairs": pairs, "distractors": [spare[0]] if spare else []},
            f"{summary}." + (f" Left over: {spare[0]} ({spare[1]})" if spare else ""),
            parts=len(run),
        ).build()


def _shared_post(defections: list[Fact], ctx: BuildContext) -> Iterator[Candidate | Skip]:
    """ "Which of these were <post> when they defected?" for a post held by two or more."""
    by_post: dict[str, list[Fact]] = defaultdict(list)
    for fact in sorted(defections, key=lambda f: f.id):
        by_post[fact.shown("post")].append(fact)
    for post, holders in sorted(by_post.items()):
        if len(holders) < 2:
            continue
        wrong_facts = [
            f
            for f in defections
            if fold(f.shown("post")) != fold(post)
            and fold(post) not in {fold(t) for t in f.not_distractors.get("post", ())}
        ]
        for run in chunks(holders, size=3, minimum=2):
            template = "tpl.defection.post.multi"
            rng = ctx.rng(item_key(template, run))
            picked = rng.sample(sorted(wrong_facts, key=lambda f: f.id), min(3, len(wrong_facts)))
            wrong = [
                Distractor(f.shown("person"), f"{f.shown('person')} was {_post_in(f)}.", (f,))
                for f in picked
            ]
            if not wrong or len(run) + len(wrong) < 4:
                yield Skip(item_key(template, run), "too few options")
                continue
            options = [{"text": f.shown("person"), "correct": True} for f in run]
            options += [{"text": d.text, "correct": False, "why": d.why} for d in wrong]
            held = "; ".join(f"{f.shown('person')} was {_post_in(f)}" for f in run)
            yield ItemDraft(
                template,
                run,
                "multi",
                f"Which of these North Korean diplomats were serving as {post} when they "
                "defected? Select all that apply.",
                {"options": options},
                capitalise(f"{held}."),
                parts=len(options),
                truths=[f.shown("person") for f in run],
                extra_sources=distractor_sources(wrong),
            ).build()


def _spare_post(run: list[Fact], ctx: BuildContext) -> tuple[str, str] | None:
    """A curated false post at one of the run's postings ("ambassador in London"): the
    pool says why it is false for that man, and no one else in the run was posted there."""
    rights = {_post_in(f) for f in run}
    for fact in run:
        pool_id = fact.pools.get("post")
        for option in ctx.base.pools[pool_id].options if pool_id else ():
            text = f"{option.text} in {fact.shown('posting')}"
            if text not in rights:
                return text, option.why
    return None
