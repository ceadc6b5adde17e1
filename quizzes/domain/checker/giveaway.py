"""Items that answer each other: the rule the quiz assembler keeps to.

Item A gives item B away when the stem A's learner reads (its prompt, a true/false
statement, a cloze's text) contains B's answer, after folding case, accents, punctuation
and romanisation; when A's choices (options, matching sides, ordering entries) contain the
answer B asks to be typed (a short answer, a number, a blank: seeing it is the recall
cue); or when both ask for the same thing (the same field of the same fact written as two
item types, or the same answer about the same fact). With feedback after each item, A's
explanation is read before B is answered too, so it counts as well. A true/false
statement about a fact settles more than its key: beside any other item on that fact (a
false "Tae was posted in Italy" strikes out an option of "Where was Tae posted?") it gives
that item away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from quizzes.domain.checker import reading

Words = reading.Words


@dataclass(frozen=True)
class Exposure:
    """What an item shows and what it asks, ready for many pair checks."""

    key: str
    shown: frozenset[Words]  # word runs of the stem
    explained: frozenset[Words]  # word runs of the explanation
    choices: frozenset[Words]  # word runs of the options, matching sides, ordering entries
    answers: tuple[tuple[Words, str], ...]  # each answer phrase, folded and as written
    question: tuple[frozenset[str], str] | None  # (facts, field) of a generated item
    facts: frozenset[str] = frozenset()
    statement: bool = False  # a true/false item: it states something about its facts
    typed: bool = False  # the learner writes the answer (short, numeric, cloze)


def exposure(item: Mapping[str, Any], *, with_explanation: bool = False) -> Exposure:
    """The item read for the giveaway rule; its explanation too only when asked for (with
    feedback after each item), as indexing it doubles the work."""
    field = reading.asked_field(item)
    facts = frozenset(reading.fact_ids_of(item))
    stem = [reading.fold_words(segment) for segment in reading.stem_segments(item)]
    explanation = [reading.fold_words(str(item.get("explanation", "")))] if with_explanation else []
    phrases = {reading.phrase(text): text for text in reversed(reading.answers(item))}
    return Exposure(
        key=str(item.get("key", "")),
        shown=reading.ngrams(stem),
        explained=reading.ngrams(explanation),
        choices=reading.ngrams([reading.fold_words(text) for text in reading.shown_choices(item)]),
        answers=tuple(sorted((words, text) for words, text in phrases.items() if words)),
        question=(facts, field) if facts and field and field not in _WHOLE_FACT else None,
        facts=facts,
        statement=reading.type_of(item) == "truefalse",
        typed=reading.type_of(item) in _TYPED,
    )


_TYPED = frozenset({"short", "numeric", "cloze"})


# Template fields that stand for the whole statement, not one asked value.
_WHOLE_FACT = frozenset({"statement", "figures", "words"})


def _reveals(shown: frozenset[Words], answers: tuple[tuple[Words, str], ...]) -> str | None:
    """The first answer (as written) whose words the shown text contains."""
    for words, text in answers:
        if words in shown:
            return text
        if len(words) > reading.MAX_PHRASE_WORDS and words[: reading.MAX_PHRASE_WORDS] in shown:
            return text  # a long answer whose opening is shown: treat as shown
    return None


def giveaway_reason(a: Exposure, b: Exposure, *, explanations: bool = False) -> str | None:
    """Why one of the two items answers the other, or None when they may share a quiz."""
    return answered_by(a, b, explanations=explanations) or answered_by(
        b, a, explanations=explanations
    )


def answered_by(giver: Exposure, taker: Exposure, *, explanations: bool = False) -> str | None:
    """Why reading `giver` answers `taker` (one direction), or None."""
    if giver.key == taker.key:
        return None
    if giver.question is not None and giver.question == taker.question:
        return f"{giver.key} asks for the same thing"
    if giver.statement and giver.facts & taker.facts:
        return f"{giver.key} states something about the same fact"
    if giver.facts & taker.facts and _answer_words(giver) & _answer_words(taker):
        return f"{giver.key} asks for the same answer about the same fact"
    places = [("stem", giver.shown)] + ([("explanation", giver.explained)] if explanations else [])
    if taker.typed:
        places.append(("choices", giver.choices))
    for place, shown in places:
        if answer := _reveals(shown, taker.answers):
            return f"the {place} of {giver.key} contains {answer!r}, the answer"
    return None


def _answer_words(exposure: Exposure) -> set[Words]:
    return {words for words, _ in exposure.answers}


def gives_away(a: Exposure, b: Exposure, *, explanations: bool = False) -> bool:
    return giveaway_reason(a, b, explanations=explanations) is not None


class GiverIndex:
    """Which items could give an item away, found through an index of every answer, the
    questions asked and the facts stated: each item's shown word runs are intersected
    with the set of all answers, so the work grows with the items, not with their pairs
    (a 2,000-item file would be 4,000,000 comparisons)."""

    def __init__(self, exposures: Sequence[Exposure], *, explanations: bool = False) -> None:
        self.exposures = exposures
        self.explanations = explanations
        answered: dict[Words, list[int]] = defaultdict(list)
        for index, shown in enumerate(exposures):
            for words, _ in shown.answers:
                answered[words[: reading.MAX_PHRASE_WORDS]].append(index)
        every_answer = frozenset(answered)
        self._candidates: list[set[int]] = [set() for _ in exposures]
        asking: dict[tuple, list[int]] = defaultdict(list)
        stating: dict[str, list[int]] = defaultdict(list)
        for giver, shown in enumerate(exposures):
            runs = shown.shown & every_answer
            if explanations:
                runs |= shown.explained & every_answer
            runs |= shown.choices & every_answer  # kept by answered_by for typed takers only
            for run in runs:
                for taker in answered[run]:
                    self._candidates[taker].add(giver)
            if shown.question is not None:
                asking[shown.question].append(giver)
            if shown.statement:
                for fact in shown.facts:
                    stating[fact].append(giver)
        for taker, shown in enumerate(exposures):
            if shown.question is not None:
                self._candidates[taker].update(asking[shown.question])
            for words, _ in shown.answers:  # the same answer asked twice
                self._candidates[taker].update(answered[words[: reading.MAX_PHRASE_WORDS]])
            for fact in shown.facts:
                self._candidates[taker].update(stating.get(fact, ()))

    def givers(self, index: int) -> list[tuple[int, str]]:
        """(giver index, reason) for every item that answers item `index`, in order."""
        taker = self.exposures[index]
        return [
            (j, reason)
            for j in sorted(self._candidates[index] - {index})
            if (reason := answered_by(self.exposures[j], taker, explanations=self.explanations))
        ]


def clash_graph(exposures: Sequence[Exposure], *, explanations: bool = False) -> list[set[int]]:
    """For each item, the items it may not share a quiz with (either gives the other away)."""
    index = GiverIndex(exposures, explanations=explanations)
    graph: list[set[int]] = [set() for _ in exposures]
    for taker in range(len(exposures)):
        for giver, _ in index.givers(taker):
            graph[taker].add(giver)
            graph[giver].add(taker)
    return graph
