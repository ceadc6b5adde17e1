"""Members of a UN body (the Commission of Inquiry): chair, countries, membership.

The member facts of one body are taken as its complete membership, so a person outside
them (sharing a group with the members) is known not to have served on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from quizzes.domain.facts import Fact, Person
from quizzes.domain.generator.candidates import (
    Candidate,
    Distractor,
    ItemDraft,
    Skip,
    choice_options,
    distractor_sources,
    item_key,
)
from quizzes.domain.generator.context import BuildContext, KindSpec
from quizzes.domain.generator.templates.common import chunks, distinct_runs
from quizzes.domain.generator.templates.generic import answer_entries
from quizzes.domain.generator.templates.rapporteur import term


def chair_items(fact: Fact, ctx: BuildContext) -> Iterator[Candidate | Skip]:
    if fact.shown("role") != "chair":
        return
    body = fact.shown("body")
    members = _members(ctx)[body]
    prompt = f"Who chaired the UN {body} on human rights in North Korea?"
    template = "tpl.member.chair.single"
    rng = ctx.rng(item_key(template, [fact]))
    others = [m for m in members if m is not fact]
    rng.shuffle(others)
    wrong = [
        Distractor(
            m.shown("person"),
            f"{m.shown('person')} was a member of the {body}, not its chair.",
            (m,),
        )
        for m in others
    ]
    wrong += _outsiders(fact, members, ctx, rng)
    wrong = wrong[:3]
    chair = fact.shown("person")
    if len(wrong) < 2:
        yield Skip(item_key(template, [fact]), "fewer than 2 known-false options")
    else:
        yield ItemDraft(
            template,
            [fact],
            "single",
            prompt,
            {"options": choice_options(chair, wrong)},
            fact.statement(),
            truths=ctx.person(chair).spellings,
            extra_sources=distractor_sources(wrong),
        ).build()
    yield ItemDraft(
        "tpl.member.chair.short",
        [fact],
        "short",
        prompt,
        {
            "answers": answer_entries(list(ctx.person(chair).answers), ctx.person(chair).hangul),
            "romanised": True,
        },
        fact.statement(),
    ).build()


SPEC = KindSpec(
    asks={
        "country": "Which country is {person}, who served on the UN {body} on North Korea, from?"
    },
    cross_fact={"country": "{value} is {other_person}'s country; {person} is from {answer}."},
    swap=("country",),
    fact_templates=(chair_items,),
)


def _members(ctx: BuildContext) -> dict[str, list[Fact]]:
    by_body: dict[str, list[Fact]] = defaultdict(list)
    for fact in sorted(ctx.by_kind["member"], key=lambda f: f.id):
        if fact.status == "V":
            by_body[fact.shown("body")].append(fact)
    return by_body


def _outsiders(fact: Fact, members: list[Fact], ctx: BuildContext, rng) -> list[Distractor]:
    body = fact.shown("body")
    inside = {m.shown("person") for m in members}
    people: list[Person] = ctx.people_like(fact.shown("person"), rng)
    return [
        Distractor(p.name, f"{p.name} was not on the {body} but was {p.who}.", sources=p.sources)
        for p in people
        if p.name not in inside
    ]


def group_items(ctx: BuildContext) -> Iterator[Candidate | Skip]:
    for body, members in sorted(_members(ctx).items()):
        yield from _membership(body, members, ctx)
        yield from _countries(body, members, ctx)
    yield from _also_rapporteur(ctx)


def _membership(body: str, members: list[Fact], ctx: BuildContext) -> Iterator[Candidate | Skip]:
    template = "tpl.member.body.multi"
    for run in chunks(members, size=3, minimum=2):
        rng = ctx.rng(item_key(template, run))
        wrong = _outsiders(run[0], members, ctx, rng)[:3]
        if len(run) + len(wrong) < 4 or not wrong:
            yield Skip(item_key(template, run), "too few options")
            continue
        options = [{"text": m.shown("person"), "correct": True} for m in run]
        options += [{"text": d.text, "correct": False, "why": d.why} for d in wrong]
        yield ItemDraft(
            template,
            run,
            "multi",
            f"Which of these served on the UN {body} on human rights in North Korea? "
            "Select all that apply.",
            {"options": options},
            " ".join(m.statement() for m in run),
            parts=len(options),
            truths=[m.shown("person") for m in run],
            extra_sources=distractor_sources(wrong),
        ).build()


def _countries(body: str, members: list[Fact], ctx: BuildContext) -> Iterator[Candidate | Skip]:
    for run in distinct_runs(members, lambda m: m.shown("country")):
        if len(run) < 2:
            continue
        pairs = [{"left": m.shown("person"), "right": m.shown("country")} for m in run]
        # A spare country from a member's `country` pool: the membership is complete, so
        # a country none of them came from is known false for all.
        pool_ids = [m.pools["country"] for m in run if "country" in m.pools]
        spares = [o for p in pool_ids for o in ctx.base.pools[p].options]
        spares = [o for o in spares if o.text not in {p["right"] for p in pairs}]
        note = " One country is left over." if spares else ""
        yield ItemDraft(
            "tpl.member.country.matching",
            run,
            "matching",
            f"Match each member of the UN {body} on North Korea to their country.{note}",
            {"pairs": pairs, "distractors": [o.text for o in spares[:1]]},
            " ".join(m.statement() for m in run),
            parts=len(run),
        ).build()


def _also_rapporteur(ctx: BuildContext) -> Iterator[Candidate | Skip]:
    """Someone who was both a member of a body and a Special Rapporteur."""
    rapporteurs = {f.shown("person"): f for f in ctx.by_kind["rapporteur"] if f.status == "V"}
    for body, members in sorted(_members(ctx).items()):
        in_body = {m.shown("person"): m for m in members}
        for name in sorted(set(in_body) & set(rapporteurs)):
            facts = [in_body[name], rapporteurs[name]]
            template = "tpl.member.rapporteur.single"
            rng = ctx.rng(item_key(template, facts))
            only_body = [m for n, m in in_body.items() if n not in rapporteurs]
            only_rapporteur = [r for n, r in rapporteurs.items() if n not in in_body]
            wrong = [
                Distractor(
                    m.shown("person"),
                    f"{m.shown('person')} served on the {body} but was not a Special Rapporteur.",
                    (m,),
                )
                for m in only_body
            ] + [
                Distractor(
                    r.shown("person"),
                    f"{r.shown('person')} was Special Rapporteur {term(r)} but did not serve "
                    f"on the {body}.",
                    (r,),
                )
                for r in only_rapporteur
            ]
            rng.shuffle(wrong)
            wrong = wrong[:3]
            if len(wrong) < 2:
                yield Skip(item_key(template, facts), "fewer than 2 known-false options")
                continue
            yield ItemDraft(
                template,
                facts,
                "single",
                f"Who both served on the UN {body} on North Korea and was UN Special "
                "Rapporteur on human rights in the DPRK?",
                {"options": choice_options(name, wrong)},
                " ".join(f.statement() for f in facts),
                truths=ctx.person(name).spellings,
                extra_sources=distractor_sources(wrong),
            ).build()
