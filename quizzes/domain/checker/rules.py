"""One item-writing rule a function (../shared/content/ITEM_WRITING.md).

Each rule takes an item dict (docs/ITEMS.md) and the checking context and yields what it
found. The severity is the rule's: an error stops an item from entering the built-in
bank; a warning is shown to the teacher, who may keep the item.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from quizzes.domain.checker import reading
from quizzes.domain.checker.kinds import KindIndex, odd_ones
from quizzes.domain.facts import Fact, FactBase
from quizzes.domain.text import normalise


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    item_key: str  # the item's key; "topic:<name>" for a rule about a whole topic
    message: str


@dataclass(frozen=True)
class Context:
    facts: FactBase | None
    kinds: KindIndex

    @classmethod
    def of(cls, facts: FactBase | None) -> Context:
        return cls(facts, KindIndex(facts))

    def fact_of(self, item: Mapping[str, Any]) -> Fact | None:
        """The one fact a generated item asks about (None for a teacher's item)."""
        fact_ids = reading.fact_ids_of(item)
        if self.facts is None or len(fact_ids) != 1:
            return None
        return self.facts.fact(fact_ids[0])


Rule = Callable[[Mapping[str, Any], Context], Iterator[Finding]]
RULES: dict[str, tuple[Severity, Rule]] = {}


def rule(name: str, severity: Severity) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        RULES[name] = (severity, function)
        return function

    return register


def finding(name: str, item: Mapping[str, Any], message: str) -> Finding:
    """A finding of the rule `name` on this item, with the rule's severity."""
    return Finding(name, RULES[name][0], str(item.get("key", "")), message)


# -- the stem ------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or as is was were be been its his her "
    "their this that these those which who what when where why how into than then".split()
)


@rule("answer_in_stem", Severity.ERROR)
def answer_in_stem(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """The key, or a word of it that no distractor shares, stands in the stem: the stem
    points at the answer ("Who defected from London?" with "the London diplomat")."""
    stem = [reading.fold_words(segment) for segment in reading.stem_segments(item)]
    stem_words = {word for segment in stem for word in segment}
    distractor_words = {
        word
        for text, correct in reading.options(item)
        if not correct
        for word in reading.fold_words(text)
    }
    for answer in reading.answers(item):
        words = reading.phrase(answer)
        if any(reading.contains(segment, words) for segment in stem):
            yield finding("answer_in_stem", item, f"the answer {answer!r} is in the stem")
            continue
        # Without options a stem word like "Which court" names the kind of answer: only
        # a number repeated from the answer is a clue then.
        clues = [
            plain
            for plain, word in zip(
                normalise(answer).split(), reading.fold_words(answer), strict=False
            )
            if word in stem_words
            and (distractor_words or any(ch.isdigit() for ch in plain))
            and word not in distractor_words
            and plain not in _STOPWORDS
            and len(plain) >= 4
        ]
        if clues:
            yield finding(
                "answer_in_stem",
                item,
                f"the stem repeats {', '.join(repr(c) for c in clues)} from the answer {answer!r}",
            )


_TASK = re.compile(
    r"^\W*(?:name|give|choose|select|pick|put|match|fill|complete|state|write|order|identify|"
    r"enter|type|list|find|tick|mark|say)\b",
    re.IGNORECASE,
)


@rule("fragment_stem", Severity.WARNING)
def fragment_stem(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """A stem that is not a question or a task ("In 2016, Tae Yong-ho ___"): it cannot be
    answered with the options covered."""
    if reading.type_of(item) not in {"single", "multi", "short", "numeric"}:
        return
    prompt = reading.prompt_of(item).strip()
    if prompt and "?" not in prompt and not _TASK.match(prompt):
        yield finding("fragment_stem", item, "the stem is neither a question nor a task")


_NEGATIVE = re.compile(r"\b(not|except|never|none)\b|n't\b", re.IGNORECASE)
_STRESSED = re.compile(r"\*\*\w+\*\*|<(?:strong|em|b)>|\b[A-Z]{3,}\b")


@rule("negative_stem", Severity.WARNING)
def negative_stem(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """NOT/EXCEPT stems are misread; if one is kept, the negative word is stressed."""
    if reading.type_of(item) == "truefalse":
        return  # a statement may be negative; its key says whether it holds
    prompt = reading.prompt_of(item)
    match = _NEGATIVE.search(prompt)
    if not match:
        return
    stressed = bool(_STRESSED.search(prompt[max(0, match.start() - 6) : match.end() + 6]))
    advice = (
        "prefer a positive question"
        if stressed
        else "prefer a positive question, or stress the negative word"
    )
    yield finding("negative_stem", item, f"the stem is negative ({match.group(0)!r}): {advice}")


@rule("copied_explanation", Severity.WARNING)
def copied_explanation(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """The stem repeats the explanation (the source sentence) word for word: recognising
    a sentence is not understanding it. Paraphrase."""
    explanation = item.get("explanation")
    explanation = reading.fold_words(explanation if isinstance(explanation, str) else "")
    for segment in reading.stem_segments(item):
        words = reading.fold_words(segment)
        if len(words) < 8:
            continue
        run = _longest_shared_run(words, explanation)
        if run >= 8 and run >= 0.8 * len(words):
            yield finding(
                "copied_explanation",
                item,
                f"{run} of the stem's {len(words)} words are the explanation's, word for word",
            )
            return


def _longest_shared_run(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    best = 0
    previous = [0] * (len(b) + 1)
    for word in a:
        current = [0] * (len(b) + 1)
        for j, other in enumerate(b, 1):
            if word == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


# -- the options ---------------------------------------------------------------------------

_ABOVE = {"all of the above", "none of the above", "all of these", "none of these"}


@rule("all_or_none_of_the_above", Severity.ERROR)
def all_or_none_of_the_above(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """No "all of the above"; "none of the above" only among numbers."""
    texts = [text for text, _ in reading.options(item)]
    numeric = all(
        ctx.kinds.kinds(text) & {"number", "date"}
        for text in texts
        if normalise(text) not in _ABOVE
    )
    for text in texts:
        norm = normalise(text)
        if norm in _ABOVE and not (norm.startswith("none") and numeric):
            yield finding("all_or_none_of_the_above", item, f"the option {text!r} is not allowed")


@rule("distractor_kind", Severity.ERROR)
def distractor_kind(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """Every distractor names the same kind of thing as the key: people with people,
    bodies with bodies, dates with dates (a matching item's answers likewise)."""
    if reading.type_of(item) == "matching":
        data = reading.data_of(item)
        pairs = [p for p in reading.list_of(data.get("pairs")) if isinstance(p, Mapping)]
        rights = [str(pair.get("right", "")) for pair in pairs]
        others = [str(text) for text in reading.list_of(data.get("distractors"))]
        keys, odd = rights[:1], odd_ones(rights[:1], rights[1:] + others, ctx.kinds)
    else:
        keys = [text for text, correct in reading.options(item) if correct]
        wrong = [
            text
            for text, correct in reading.options(item)
            if not correct and normalise(text) not in _ABOVE  # a rule of its own
        ]
        odd = odd_ones(keys, wrong, ctx.kinds)
    for text in odd:
        yield finding(
            "distractor_kind",
            item,
            f"{text!r} is not the same kind of answer as {keys[0]!r}",
        )


_QUALIFIER = re.compile(
    r"\(|\b(?:usually|normally|generally|sometimes|often|mainly|only|in some cases)\b", re.I
)


@rule("unequal_options", Severity.WARNING)
def unequal_options(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """The key stands out: clearly the longest, the only one with a qualifier, or the
    only one that fits the stem's "a"/"an"."""
    opts = reading.options(item)
    keys = [text for text, correct in opts if correct]
    wrong = [text for text, correct in opts if not correct]
    if reading.type_of(item) != "single" or not keys or not wrong:
        return
    key = keys[0]
    longest_wrong = max(len(text) for text in wrong)
    if len(key) >= 1.5 * longest_wrong and len(key) - longest_wrong >= 12:
        yield finding(
            "unequal_options",
            item,
            f"the answer is much the longest option ({len(key)} characters, "
            f"the others at most {longest_wrong})",
        )
    if _QUALIFIER.search(key) and not any(_QUALIFIER.search(text) for text in wrong):
        yield finding("unequal_options", item, "the answer is the only option with a qualifier")
    stem = normalise(reading.prompt_of(item)).split()
    if stem and stem[-1] in {"a", "an"}:
        fits = [text for text, _ in opts if _article(text) == stem[-1]]
        if fits == [key]:
            yield finding("unequal_options", item, f"only the answer fits the stem's {stem[-1]!r}")


def _article(text: str) -> str:
    first = normalise(text)[:1]
    return "an" if first and first in "aeiou" else "a"


_NEGATIONS = frozenset({"not", "no", "never", "non", "without"})
_AUXILIARIES = frozenset({"did", "does", "do", "was", "were", "is", "are", "has", "have", "had"})
# Words whose swap turns a statement into its plain opposite (generic English, stemmed
# crudely by their first letters so "accepted"/"accepting" count).
_OPPOSITES = (
    ("accept", "reject"),
    ("admit", "deny"),
    ("admitt", "deni"),
    ("support", "oppos"),
    ("confirm", "deni"),
    ("attend", "boycott"),
    ("increas", "decreas"),
    ("allow", "forbid"),
    ("includ", "exclud"),
)


@rule("opposite_of_the_key", Severity.WARNING)
def opposite_of_the_key(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """A distractor that is the key's plain negation or opposite: a student who knows
    neither still halves the guess."""
    opts = reading.options(item)
    keys = [normalise(text).split() for text, correct in opts if correct]
    for text, correct in opts:
        words = normalise(text).split()
        if not correct and any(_opposite(words, key) for key in keys):
            yield finding("opposite_of_the_key", item, f"{text!r} is the answer's plain opposite")


def _opposite(a: list[str], b: list[str]) -> bool:
    def positive(words: list[str]) -> list[str]:
        # "did not attend" and "attended" say the same thing but for "not": crude stems.
        return [w[:5] for w in words if w not in _NEGATIONS and w not in _AUXILIARIES]

    if positive(a) == positive(b):
        return any(w in _NEGATIONS for w in a) != any(w in _NEGATIONS for w in b)
    if len(a) != len(b):
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    return any(
        (x.startswith(one) and y.startswith(other)) or (x.startswith(other) and y.startswith(one))
        for one, other in _OPPOSITES
    )


# -- matching and ordering -----------------------------------------------------------------


@rule("matching_without_spare", Severity.ERROR)
def matching_without_spare(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """A matching item needs at least one answer more than its prompts, or the last
    match is free."""
    if reading.type_of(item) != "matching":
        return
    data = reading.data_of(item)
    if not isinstance(data.get("pairs"), list):
        return  # not a matching item's shape: the type's own validation says so
    if not [text for text in reading.list_of(data.get("distractors")) if str(text).strip()]:
        yield finding("matching_without_spare", item, "no spare answer: the last match is free")


# A year or a numbered round ("1st", "4th"). Spelled-out ordinals are left alone: they are
# often names ("the Third Committee", "the first battlefield").
_ORDER_CLUE = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})\b|\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE)


@rule("ordering_labels_reveal_order", Severity.ERROR)
def ordering_labels_reveal_order(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """Entries to order carry what orders them (a year, "1st"/"2nd")."""
    if reading.type_of(item) != "ordering":
        return
    for entry in reading.list_of(reading.data_of(item).get("items")):
        if match := _ORDER_CLUE.search(str(entry)):
            yield finding(
                "ordering_labels_reveal_order",
                item,
                f"the entry {entry!r} carries {match.group(0)!r}",
            )


# What an essay is for: explaining, comparing, weighing (ITEM_WRITING.md, "understand" and
# "analyse"). A prompt with none of these asks for a fact, which a short answer checks
# better and without a marker.
_EXPLAINING = re.compile(
    r"\b(why|how|explain\w*|compare\w*|contrast\w*|discuss\w*|evaluate\w*|assess\w*|"
    r"justify\w*|argue\w*|analy[sz]e\w*|describe\w*|account for|to what extent|in what ways?|"
    r"weigh\w*|what (?:caused|changed|followed|explains))\b",
    re.IGNORECASE,
)


@rule("essay_asks_recall", Severity.WARNING)
def essay_asks_recall(item: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """An essay prompt asks why or how (explain, compare, weigh), not for a fact to recall.
    The other rules that read a stem (negative, copied explanation) apply to essays too;
    the rules about options, answers and keys have nothing of an essay to read."""
    if reading.type_of(item) != "essay":
        return
    if not _EXPLAINING.search(reading.prompt_of(item)):
        yield finding(
            "essay_asks_recall",
            item,
            "the prompt asks for no explanation: ask why or how (explain, compare, weigh), "
            "or make it a short-answer question",
        )
