"""Building items in the docs/ITEMS.md shape, plus what validation needs to know about them.

A template returns Candidates (an item and the texts that are true for its question) or
Skips (a template that had too little to work with, e.g. too few known-false options).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from quizzes.domain.facts import Fact
from quizzes.domain.generator.difficulty import estimate


@dataclass(frozen=True)
class Distractor:
    """A known-false option and why it is false; `facts` and `sources` back the why."""

    text: str
    why: str
    facts: tuple[Fact, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    item: dict[str, Any]
    # Texts true for this question (answer, variants, true descriptions): no wrong option
    # may fold like one of them.
    truths: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        return self.item["key"]


@dataclass(frozen=True)
class Skip:
    key: str
    reason: str


@dataclass
class ItemDraft:
    """Collects what an item needs, then renders the dict."""

    template: str
    facts: Sequence[Fact]
    type: str
    prompt: str
    data: dict[str, Any]
    explanation: str
    parts: int = 1
    exact: bool = False
    truths: Iterable[str] = ()
    level: str = "remember"  # remember / understand / analyse (docs/ITEMS.md)
    extra_sources: Iterable[str] = field(default_factory=tuple)

    def build(self) -> Candidate:
        sources = cite(self.facts, self.extra_sources)
        # `sources` lists the item's own facts' keys first, then the keys behind the wrong
        # options' reasons; pages show them as citations under the explanation.
        item = {
            "key": item_key(self.template, self.facts),
            "type": self.type,
            "prompt": self.prompt,
            "data": self.data,
            "explanation": self.explanation,
            "sources": list(sources),
            "topics": list(dict.fromkeys(topic for fact in self.facts for topic in fact.topics)),
            "difficulty": estimate(self.type, parts=self.parts, exact=self.exact),
            "fact_ids": [fact.id for fact in self.facts],
            "level": self.level,
        }
        return Candidate(item, frozenset(self.truths))


def item_key(template: str, facts: Iterable[Fact]) -> str:
    """Stable: the template id and the ids of the facts, never a list position."""
    return f"{template}:{'+'.join(sorted(fact.id for fact in facts))}"


def cite(facts: Iterable[Fact], extra: Iterable[str] = ()) -> tuple[str, ...]:
    keys = [key for fact in facts for key in fact.sources]
    return tuple(dict.fromkeys([*keys, *extra]))


def distractor_sources(distractors: Iterable[Distractor]) -> list[str]:
    keys: list[str] = []
    for distractor in distractors:
        keys.extend(key for fact in distractor.facts for key in fact.sources)
        keys.extend(distractor.sources)
    return keys


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def statements(facts: Iterable[Fact]) -> str:
    return " ".join(fact.statement() for fact in facts)


def choice_options(answer: str, distractors: Sequence[Distractor]) -> list[dict[str, Any]]:
    """The right option first, then the wrong ones: shuffling happens per attempt."""
    options: list[dict[str, Any]] = [{"text": answer, "correct": True}]
    options += [{"text": d.text, "correct": False, "why": d.why} for d in distractors]
    return options
