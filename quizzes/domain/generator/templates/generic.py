"""Per-fact templates driven by a fact's fields and questions, for every kind.

For each asked field: a date gives a single choice of dates and a numeric year; a year,
count or ordinal gives a numeric item; a person gives a single choice and a short answer;
a text field gives a single choice (when enough known-false options exist) and, if the fact
lists it under `short`, a short answer. Every fact gives a true statement; each swappable
field gives a false one; figures in the text give a cloze, and so does the fact's `cloze`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quizzes.domain.facts import (
    FIELD_TYPES,
    Fact,
    FieldType,
    PartialDate,
    PoolOption,
    fill,
    render_value,
)
from quizzes.domain.generator.candidates import (
    Candidate,
    ItemDraft,
    Skip,
    choice_options,
    distractor_sources,
    item_key,
)
from quizzes.domain.generator.context import BuildContext, KindSpec
from quizzes.domain.generator.distractors import distractors_for, truths_for
from quizzes.domain.text import fold, listing_key

Outcome = Candidate | Skip

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_CLOZE_BLANK = re.compile(r"\[\[([^\[\]]+)\]\]")
_FIGURES = (FieldType.YEAR, FieldType.COUNT, FieldType.ORDINAL)
# "since", "start" and "end" are left out of default swaps: "every year since 2016" is true
# when the truth is "since 2005".
_DEFAULT_SWAP_DATES = ("date",)
_UNITS = {
    "recommendations": "recommendations",
    "accepted": "recommendations",
    "rejected": "recommendations",
    "pages": "pages",
    "defectors": "defectors",
    "count": "cables",
}
OPTIONS = 3  # wrong options aimed for in a single choice (so four options in all)


def asks_for(fact: Fact, spec: KindSpec) -> dict[str, str]:
    """The kind's questions that fit this fact, overridden by the fact's own."""
    asks: dict[str, str] = {}
    for key, pattern in spec.asks.items():
        if key in fact.no_ask:
            continue
        needed = [key.removesuffix("_year"), *_PLACEHOLDER.findall(pattern)]
        if all(name in fact.fields for name in needed):
            asks[key] = fill(pattern, fact)
    asks.update(fact.ask)
    return asks


def swap_fields(fact: Fact, spec: KindSpec) -> tuple[str, ...]:
    if fact.swap is not None:
        return fact.swap
    placeholders = tuple(dict.fromkeys(fact.placeholders()))
    if spec.swap is not None:
        return tuple(name for name in spec.swap if name in placeholders)
    chosen = []
    for name in placeholders:
        kind = FIELD_TYPES[name]
        if kind is FieldType.DATE and name in _DEFAULT_SWAP_DATES:
            chosen.append(name)
        elif kind in _FIGURES:
            chosen.append(name)
        elif name in fact.pools or name in spec.cross_fact:
            chosen.append(name)
    return tuple(chosen)


def fact_items(fact: Fact, ctx: BuildContext, spec: KindSpec) -> Iterator[Outcome]:
    asks = asks_for(fact, spec)
    for name, question in asks.items():
        if not name.endswith("_year"):
            yield from field_items(fact, name, question, ctx, spec)
    yield from year_items(fact, asks)
    if fact.truefalse:
        yield from true_and_false(fact, ctx, spec)
    figures = figures_cloze(fact) if fact.figures_cloze else None
    if figures is not None:
        yield figures
    if fact.cloze:
        yield words_cloze(fact)


def field_items(
    fact: Fact, name: str, question: str, ctx: BuildContext, spec: KindSpec
) -> Iterator[Outcome]:
    """A date gives a single choice of dates, a figure a number item, anything else a single
    choice (and a short answer for a person or a field the fact lists under `short`)."""
    kind = FIELD_TYPES[name]
    if kind is FieldType.DATE:
        yield date_single(fact, name, question, ctx)
    elif kind in _FIGURES:
        yield numeric(fact, name, question, int(fact.fields[name]))  # type: ignore[arg-type]
    else:
        yield choice(fact, name, question, ctx, spec)
        if kind is FieldType.PERSON or name in fact.short:
            yield short(fact, name, question, ctx)


def year_items(fact: Fact, asks: dict[str, str]) -> Iterator[Outcome]:
    """The year of an asked date, as a number: its own `_year` question, or "In what year"
    made from a "When ..." question."""
    for name in dict.fromkeys(key.removesuffix("_year") for key in asks):
        if FIELD_TYPES[name] is FieldType.DATE:
            year_question = asks.get(f"{name}_year") or _year_question(asks.get(name, ""))
            if year_question:
                value = fact.fields[name]
                assert isinstance(value, PartialDate)
                yield numeric(fact, name, year_question, value.year)


def explanation(fact: Fact) -> str:
    """What is shown after answering: the fact's point in other words where the fact file
    gives one (so the stem is not simply repeated), else the statement itself."""
    return fact.explain or fact.statement()


def _year_question(question: str) -> str:
    return "In what year " + question[len("When ") :] if question.startswith("When ") else ""


def _template(fact: Fact, aspect: str, item_type: str) -> str:
    return f"tpl.{fact.kind}.{aspect}.{item_type}"


def date_single(fact: Fact, name: str, question: str, ctx: BuildContext) -> Outcome:
    return choice(fact, name, question, ctx, KindSpec())


def choice(fact: Fact, name: str, question: str, ctx: BuildContext, spec: KindSpec) -> Outcome:
    template = _template(fact, name, "single")
    rng = ctx.rng(item_key(template, [fact]))
    wrong = distractors_for(fact, name, ctx, rng, OPTIONS, spec.cross_fact)
    if len(wrong) < 2:
        return Skip(item_key(template, [fact]), "fewer than 2 known-false options")
    value = fact.fields[name]
    day = isinstance(value, PartialDate) and value.precision == "day"
    return ItemDraft(
        template,
        [fact],
        "single",
        question,
        {"options": choice_options(render_value(name, value), wrong)},
        explanation(fact),
        exact=day,
        truths=truths_for(fact, name, ctx),
        extra_sources=distractor_sources(wrong),
    ).build()


def short(fact: Fact, name: str, question: str, ctx: BuildContext) -> Outcome:
    hangul = ""
    if FIELD_TYPES[name] is FieldType.PERSON:
        hangul = ctx.person(str(fact.fields[name])).hangul
    data: dict = {"answers": answer_entries(_accepted(fact, name, ctx), hangul)}
    if FIELD_TYPES[name] is FieldType.PERSON:
        data["romanised"] = True  # Korean names: fold romanisation variants when grading
    return ItemDraft(
        _template(fact, name, "short"),
        [fact],
        "short",
        question,
        data,
        explanation(fact),
    ).build()


def answer_entries(texts: list[str], hangul: str = "") -> list[dict]:
    """A short answer's accepted answers; a Korean name's Hangul goes with the first, so
    graders accept the spellings derived from it (with a note) without listing them."""
    entries: list[dict] = [{"text": text, "fraction": 1.0} for text in distinct_spellings(texts)]
    if hangul:
        entries[0]["hangul"] = hangul
    return entries


def distinct_spellings(texts: list[str]) -> list[str]:
    """Accepted answers that grading would not already treat as the same text."""
    seen: dict[str, str] = {}
    for text in texts:
        seen.setdefault(listing_key(text), text)
    return list(seen.values())


def _accepted(fact: Fact, name: str, ctx: BuildContext) -> list[str]:
    value = str(fact.fields[name])
    accepted = [value, *fact.variants.get(name, ())]
    if FIELD_TYPES[name] is FieldType.PERSON:
        accepted += ctx.person(value).variants
    return accepted


def numeric(fact: Fact, name: str, question: str, value: int) -> Outcome:
    return ItemDraft(
        _template(fact, name, "numeric"),
        [fact],
        "numeric",
        question,
        {
            "answers": [{"value": float(value), "tolerance": 0.0, "fraction": 1.0}],
            "unit": _UNITS.get(name, ""),
        },
        explanation(fact),
        exact=FIELD_TYPES[name] is FieldType.COUNT,
    ).build()


def true_and_false(fact: Fact, ctx: BuildContext, spec: KindSpec) -> Iterator[Outcome]:
    yield true_statement(fact)
    for index, contrast in enumerate(fact.false_statements, 1):
        yield curated_false_statement(fact, index, contrast)
    # Curated false statements replace the default swaps; an explicit `swap` adds to them.
    if fact.swap is not None or not fact.false_statements:
        for name in swap_fields(fact, spec):
            yield false_statement(fact, name, ctx, spec)


def true_statement(fact: Fact) -> Outcome:
    # The fact's `explain` says the point in other words, so the explanation does not
    # merely repeat the statement just judged.
    return ItemDraft(
        _template(fact, "statement", "truefalse"),
        [fact],
        "truefalse",
        fact.statement(),
        {"answer": True},
        f"True. {explanation(fact)}",
    ).build()


def curated_false_statement(fact: Fact, index: int, contrast: PoolOption) -> Outcome:
    """A false statement written in the fact file from a contrasting fact, with its why."""
    suffix = "" if index == 1 else str(index)
    return ItemDraft(
        _template(fact, f"contrast{suffix}", "truefalse"),
        [fact],
        "truefalse",
        contrast.text,
        {"answer": False},
        _false_explanation(contrast.why, explanation(fact)),
        extra_sources=contrast.sources,
        level=contrast.level or "remember",
    ).build()


def false_statement(fact: Fact, name: str, ctx: BuildContext, spec: KindSpec) -> Outcome:
    """The statement with one value swapped for a known-false one."""
    template = _template(fact, name, "truefalse")
    rng = ctx.rng(item_key(template, [fact]))
    wrong = distractors_for(fact, name, ctx, rng, 1, spec.cross_fact)
    if not wrong:
        return Skip(item_key(template, [fact]), f"no known-false value for {name!r}")
    swapped = wrong[0]
    return ItemDraft(
        template,
        [fact],
        "truefalse",
        fact.render({name: swapped.text}),
        {"answer": False},
        _false_explanation(swapped.why, explanation(fact)),
        extra_sources=distractor_sources(wrong),
    ).build()


def _false_explanation(why: str, statement: str) -> str:
    if fold(why) == fold(statement):  # a pool's reason may already be the statement
        return f"False. {statement}"
    return f"False. {why} {statement}"


def figures_cloze(fact: Fact) -> Outcome | None:
    """The statement with its years and counts blanked (a date keeps its day and month)."""
    overrides: dict[str, str] = {}
    blanks: list[dict[str, list[str]]] = []
    for name in dict.fromkeys(fact.placeholders()):
        value = fact.fields[name]
        kind = FIELD_TYPES[name]
        if kind is FieldType.DATE:
            assert isinstance(value, PartialDate)
            shown = value.format()
            blanks.append({"answers": [str(value.year)]})
            overrides[name] = f"{shown[: -len(str(value.year))]}{{{len(blanks)}}}"
        elif kind in (FieldType.YEAR, FieldType.COUNT):
            blanks.append({"answers": [str(value)]})
            overrides[name] = f"{{{len(blanks)}}}"
    if not blanks:
        return None
    return ItemDraft(
        _template(fact, "figures", "cloze"),
        [fact],
        "cloze",
        "Fill in the missing years or numbers.",
        {"text": fact.render(overrides), "blanks": blanks},
        explanation(fact),
        parts=len(blanks),
    ).build()


def words_cloze(fact: Fact) -> Outcome:
    """The fact's own cloze: [[answer|variant]] marks a blank."""
    blanks: list[dict[str, list[str]]] = []

    def blank(match: re.Match[str]) -> str:
        parts = [part.strip() for part in match.group(1).split("|")]
        blanks.append({"answers": distinct_spellings(parts)})
        return f"{{{len(blanks)}}}"

    text = _CLOZE_BLANK.sub(blank, fact.cloze)
    return ItemDraft(
        _template(fact, "words", "cloze"),
        [fact],
        "cloze",
        "Fill in the missing words.",
        {"text": text, "blanks": blanks},
        explanation(fact),
        parts=len(blanks),
    ).build()
