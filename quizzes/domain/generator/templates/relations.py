"""Items above recall, built from the relations between facts (docs/FACTS_FORMAT.md).

- response: which tactic answered which threat (single choice per threat; matching of all
  threats to their tactics, with a spare tactic) - understand.
- cause and compare: why something happened, or what tells two statements apart, with the
  reasons or differences as options - understand.
- evidence: which claim the cables themselves support, and which is only the report's -
  analyse.
- sequence: steps that followed from one another, put in order - analyse.

A relation resting on an unverified fact never reaches here (the loader refuses it); one
resting on a report-only fact says "report" in its text (the loader checks that too).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from quizzes.domain.facts import Fact, PoolOption, Relation, Status
from quizzes.domain.generator.candidates import (
    Candidate,
    Distractor,
    ItemDraft,
    Skip,
    choice_options,
    distractor_sources,
    item_key,
)
from quizzes.domain.generator.context import BuildContext, sample

Outcome = Candidate | Skip
OPTIONS = 3  # wrong options aimed for (four options in all)
UNDERSTAND, ANALYSE = "understand", "analyse"
_SUPPORT_WHY = {
    "cables": "The leaked cables themselves show this.",
    "source": "This comes from elsewhere ({labels}), not from the cables.",
    "report": "Only the Korea Times report says this; no cable is shown to support it.",
}


def group_items(ctx: BuildContext) -> Iterator[Outcome]:
    relations = [r for r in ctx.base.relations if _usable(r, ctx)]
    by_kind: dict[str, list[Relation]] = {}
    for relation in sorted(relations, key=lambda r: r.id):
        by_kind.setdefault(relation.kind, []).append(relation)
    responses = by_kind.get("response", [])
    for relation in responses:
        yield response_single(relation, responses, ctx)
    if len(responses) >= 3:
        yield response_matching(responses, ctx)
    for relation in by_kind.get("cause", []) + by_kind.get("compare", []):
        yield reasoned_single(relation, ctx)
    claims = by_kind.get("evidence", [])
    for relation in claims:
        yield evidence_single(relation, claims, ctx)
        yield from evidence_truefalse(relation, ctx)
    for relation in by_kind.get("sequence", []):
        yield sequence_ordering(relation, ctx)


def _usable(relation: Relation, ctx: BuildContext) -> bool:
    facts = [ctx.base.fact(fact_id) for fact_id in relation.facts]
    return all(f is not None and f.status is not Status.UNVERIFIED for f in facts)


def facts_of(relation: Relation, ctx: BuildContext) -> list[Fact]:
    facts = [ctx.base.fact(fact_id) for fact_id in relation.facts]
    return [fact for fact in facts if fact is not None]


def _explanation(relation: Relation, ctx: BuildContext, lead: str = "") -> str:
    said = " ".join(fact.explain or fact.statement() for fact in facts_of(relation, ctx))
    return f"{lead} {said}".strip()


def _curated(options: Sequence[PoolOption]) -> list[Distractor]:
    return [Distractor(o.text, o.why, sources=o.sources) for o in options]


def _template(relation: Relation, aspect: str, item_type: str) -> str:
    return f"tpl.{relation.kind}.{aspect}.{item_type}"


def _key(template: str, relation: Relation, ctx: BuildContext) -> str:
    return item_key(template, facts_of(relation, ctx)) + f"+{relation.id}"


def _single(
    template: str,
    relation: Relation,
    ctx: BuildContext,
    prompt: str,
    answer: str,
    wrong: list[Distractor],
    level: str,
    explanation: str,
) -> Outcome:
    key = _key(template, relation, ctx)
    if len(wrong) < 2:
        return Skip(key, "fewer than 2 known-false options")
    draft = ItemDraft(
        template,
        facts_of(relation, ctx),
        "single",
        prompt,
        {"options": choice_options(answer, wrong[:OPTIONS])},
        explanation,
        truths=[answer],
        extra_sources=distractor_sources(wrong[:OPTIONS]),
        level=level,
    )
    candidate = draft.build()
    candidate.item["key"] = key  # a relation can rest on the same facts as another
    return candidate


# -- threat and response ------------------------------------------------------------------


def response_single(relation: Relation, responses: list[Relation], ctx: BuildContext) -> Outcome:
    """Which tactic answered this threat? The other threats' tactics are the wrong options."""
    template = _template(relation, "tactic", "single")
    rng = ctx.rng(_key(template, relation, ctx))
    others = [
        Distractor(
            other.text["response"],
            f"That answered {other.text['threat']}, not {relation.text['threat']}.",
            facts=tuple(facts_of(other, ctx)),
        )
        for other in sample([r for r in responses if r is not relation], rng)
    ]
    wrong = _curated(relation.wrong) + others
    return _single(
        template,
        relation,
        ctx,
        f"Which North Korean response was aimed at {relation.text['threat']}?",
        relation.text["response"],
        wrong,
        UNDERSTAND,
        _explanation(relation, ctx),
    )


def response_matching(responses: list[Relation], ctx: BuildContext) -> Outcome:
    """Every threat to its response, with a spare response that answered none of them."""
    template = "tpl.response.all.matching"
    facts = [fact for relation in responses for fact in facts_of(relation, ctx)]
    key = item_key(template, facts)
    spares = [option for relation in responses for option in relation.wrong]
    if not spares:
        return Skip(key, "no spare response")
    spare = sample(spares, ctx.rng(key)).__next__()
    pairs = [{"left": r.text["threat"], "right": r.text["response"]} for r in responses]
    summary = "; ".join(f"{p['left']}: {p['right']}" for p in pairs)
    return ItemDraft(
        template,
        list(dict.fromkeys(facts)),
        "matching",
        "Match each threat North Korea saw to the response it chose. One response is left over.",
        {"pairs": pairs, "distractors": [spare.text]},
        f"{summary}. Left over: {spare.text} ({spare.why})",
        parts=len(pairs),
        extra_sources=spare.sources,
        level=UNDERSTAND,
    ).build()


# -- cause and comparison -----------------------------------------------------------------


def reasoned_single(relation: Relation, ctx: BuildContext) -> Outcome:
    """Why did X happen (reasons as options), or what tells two statements apart."""
    answer = relation.text.get("because") or relation.text["answer"]
    rng = ctx.rng(relation.id)
    wrong = list(sample(_curated(relation.wrong), rng))
    return _single(
        _template(relation, "reason" if relation.kind == "cause" else "difference", "single"),
        relation,
        ctx,
        relation.text["question"],
        answer,
        wrong,
        relation.level or UNDERSTAND,
        _explanation(relation, ctx),
    )


# -- claim and evidence -------------------------------------------------------------------


def _support_why(relation: Relation, ctx: BuildContext) -> str:
    labels = "; ".join(fact.label for fact in facts_of(relation, ctx))
    return _SUPPORT_WHY[relation.text["support"]].format(labels=labels)


def evidence_single(relation: Relation, claims: list[Relation], ctx: BuildContext) -> Outcome:
    """A claim of the report alone among claims the cables or other sources support, or a
    claim the cables support among claims they do not."""
    support = relation.text["support"]
    template = _template(relation, "report_only" if support == "report" else support, "single")
    if support == "report":
        prompt = (
            "Which of these claims does the Korea Times report make on its own, "
            "without support from the leaked cables or another source?"
        )
        others = [c for c in claims if c.text["support"] != "report"]
    elif support == "cables":
        prompt = "Which of these claims is shown by the leaked cables themselves?"
        # Only the report's own claims are known not to be shown by the cables; a claim
        # from another source might be in them too.
        others = [c for c in claims if c.text["support"] == "report"]
    else:
        return Skip(_key(template, relation, ctx), "a claim from another source is no key")
    rng = ctx.rng(_key(template, relation, ctx))
    wrong = [
        Distractor(c.text["claim"], _support_why(c, ctx), facts=tuple(facts_of(c, ctx)))
        for c in sample(others, rng)
    ]
    shown = [relation, *wrong_claims(wrong, claims)]
    lines = [f'"{c.text["claim"].rstrip(".")}": {_support_why(c, ctx)}' for c in shown]
    return _single(
        template,
        relation,
        ctx,
        prompt,
        relation.text["claim"],
        wrong,
        ANALYSE,
        " ".join(lines),
    )


_CABLES_SHOW = "The leaked cables themselves show this, not only the Korea Times report: "
_REPORT_ONLY = "Only the Korea Times report says this; no leaked cable is shown to support it: "


def evidence_truefalse(relation: Relation, ctx: BuildContext) -> Iterator[Outcome]:
    """Two judgements per claim of the cables or of the report, one true and one false, so
    answering "True" every time scores half."""
    support = relation.text["support"]
    if support == "source":
        return
    why = _support_why(relation, ctx)
    for aspect, lead, true in (
        ("cables_show", _CABLES_SHOW, support == "cables"),
        ("report_only", _REPORT_ONLY, support == "report"),
    ):
        template = _template(relation, aspect, "truefalse")
        candidate = ItemDraft(
            template,
            facts_of(relation, ctx),
            "truefalse",
            lead + relation.text["claim"],
            {"answer": true},
            f"{'True' if true else 'False'}. {why} " + _explanation(relation, ctx),
            level=ANALYSE,
        ).build()
        candidate.item["key"] = _key(template, relation, ctx)
        yield candidate


def wrong_claims(wrong: list[Distractor], claims: list[Relation]) -> list[Relation]:
    texts = [d.text for d in wrong[:OPTIONS]]
    return [c for text in texts for c in claims if c.text["claim"] == text]


# -- sequence -----------------------------------------------------------------------------


def sequence_ordering(relation: Relation, ctx: BuildContext) -> Outcome:
    template = _template(relation, "steps", "ordering")
    candidate = ItemDraft(
        template,
        facts_of(relation, ctx),
        "ordering",
        relation.text["question"],
        {"items": list(relation.steps)},
        "In order: " + "; then ".join(relation.steps) + ". " + _explanation(relation, ctx),
        parts=len(relation.steps),
        level=ANALYSE,
    ).build()
    candidate.item["key"] = _key(template, relation, ctx)
    return candidate
