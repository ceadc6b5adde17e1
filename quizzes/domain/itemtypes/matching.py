"""Matching: pick the right-hand choice for each left-hand prompt; credit per pair.

The view lists the lefts in a shuffled order and, independently shuffled, the choices
(every right plus the distractors). The response holds, for each left in display order,
the display index of the chosen choice or None.
"""

from collections.abc import Mapping
from random import Random
from typing import Any

from markupsafe import escape

from quizzes.domain import flashcard
from quizzes.domain.itemtypes import schema
from quizzes.domain.itemtypes.base import (
    CARRIED,
    NO_ANSWER,
    FormatSupport,
    Grade,
    bullet_list,
    check_prompt,
    duplicates,
    form_values,
    is_text,
    list_of_dicts,
    no_card_cloze,
    no_choice_list,
    no_key_options,
    not_carried,
    parse_index,
    prompt_as_listed,
    shuffled_order,
)
from quizzes.domain.text import normalise

NAME = "matching"
LABEL = "Match pairs"
HINT = "Students match each left item to a right one."
PROMPT_REQUIRED = True
BASE_DIFFICULTY = 0.45
FREE_PARTS = 3  # each pair beyond the third adds difficulty
# A well-formed question of this type, for tests and documentation.
EXAMPLE: tuple[str, dict] = (
    "Who served where?",
    {
        "pairs": [
            {"left": "Tae Yong-ho", "right": "London"},
            {"left": "Ri Il-gyu", "right": "Havana"},
        ],
        "distractors": ["Beijing"],
    },
)
FORMATS: dict[str, FormatSupport] = {
    "gift": CARRIED,
    "aiken": not_carried("Aiken holds single-choice questions only, not matching ones"),
    "csv": CARRIED,
    "json": CARRIED,
    "apkg": CARRIED,
    "moodle": CARRIED,
    "qti": CARRIED,
    "cc": not_carried("Common Cartridge's question profile has no matching questions"),
}
card_cloze = no_card_cloze  # an exported card is a Basic note (card_front)
listed_prompt = prompt_as_listed
choice_list = no_choice_list
key_options = no_key_options


def check_data(data: dict) -> list[str]:
    problems = schema.keys(data, "data", {"pairs", "distractors"}, set())
    pairs = data.get("pairs")
    if not isinstance(pairs, list) or not all(isinstance(p, dict) for p in pairs):
        return problems + ["'pairs' must be a list of pairs"]
    for n, pair in enumerate(pairs, 1):
        problems.extend(schema.keys(pair, f"pair {n}", {"left", "right"}, set()))
        for side in ("left", "right"):
            if not isinstance(pair.get(side), str) or not pair[side].strip():
                problems.append(f"pair {n} has no {side}-hand text")
    if len(pairs) < 2:
        problems.append(f"a matching question needs at least 2 pairs, not {len(pairs)}")
    distractors = data.get("distractors")
    if not isinstance(distractors, list) or not all(
        isinstance(d, str) and d.strip() for d in distractors
    ):
        problems.append("'distractors' must be a list of non-empty texts")
    return problems


def validate(prompt: str, data: Any) -> list[str]:
    problems = check_prompt(prompt)
    pairs = list_of_dicts(data, "pairs")
    if pairs is None:
        return [*problems, "A matching item needs a list of pairs"]
    if len(pairs) < 2:
        problems.append("A matching item needs at least two pairs")
    lefts = [pair.get("left") for pair in pairs]
    rights = [pair.get("right") for pair in pairs]
    if not all(is_text(text) for text in lefts + rights):
        problems.append("Every pair needs a left and a right")
    for text in duplicates([text for text in lefts if is_text(text)]):
        problems.append(f"The left side '{text}' appears twice")
    rights = [text for text in rights if is_text(text)]
    for text in duplicates(rights):
        problems.append(f"The right side '{text}' appears twice")
    distractors = data.get("distractors", [])
    if not isinstance(distractors, list) or not all(is_text(text) for text in distractors):
        problems.append("Distractors must be a list of texts")
    else:
        seen = {normalise(text) for text in rights}
        for text in distractors:
            if normalise(text) in seen:
                problems.append(f"The distractor '{text}' repeats another choice")
            seen.add(normalise(text))
    return problems


def present(data: dict, rng: Random) -> tuple[dict, dict]:
    pairs = data["pairs"]
    # Choices hold the rights first (choice i belongs to pair i), then the distractors.
    choices = [pair["right"] for pair in pairs] + list(data.get("distractors", []))
    left_order = shuffled_order(len(pairs), rng)
    choice_order = shuffled_order(len(choices), rng)
    view = {
        "lefts": [pairs[i]["left"] for i in left_order],
        "choices": [choices[i] for i in choice_order],
    }
    key = {"matches": [choice_order.index(i) for i in left_order]}
    return view, key


def parse_response(view: dict, form: Any) -> list[int | None] | None:
    """Per displayed left (field `match-<i>`, i from 0), the chosen display index or None."""
    count = len(view["choices"])
    response = []
    for left in range(len(view["lefts"])):
        chosen = [parse_index(value, count) for value in form_values(form, f"match-{left}")]
        response.append(next((index for index in chosen if index is not None), None))
    return response if any(index is not None for index in response) else None


def grade(view: dict, key: dict, response: Any) -> Grade:
    chosen = _chosen(view, response)
    if not any(index is not None for index in chosen):
        return NO_ANSWER
    hits = sum(index == wanted for index, wanted in zip(chosen, key["matches"], strict=True))
    total = len(key["matches"])
    grade = Grade.of(hits / total)
    if grade.correct:
        return grade
    return Grade.of(grade.score, notes=(f"{hits} of {total} pairs matched.",))


def describe_key(view: dict, key: dict) -> str:
    return _describe(view, key["matches"])


def describe_response(view: dict, response: Any) -> str:
    chosen = _chosen(view, response)
    return _describe(view, chosen) if any(i is not None for i in chosen) else "No answer"


def _describe(view: dict, chosen: list[int | None]) -> str:
    return "; ".join(
        f"{left} → {view['choices'][index] if index is not None else '(none)'}"
        for left, index in zip(view["lefts"], chosen, strict=True)
    )


def _chosen(view: dict, response: Any) -> list[int | None]:
    """One valid choice index or None per left, whatever the response is."""
    count = len(view["choices"])
    entries = response if isinstance(response, list) else []
    chosen: list[int | None] = []
    for left in range(len(view["lefts"])):
        index = entries[left] if left < len(entries) else None
        valid = isinstance(index, int) and not isinstance(index, bool) and 0 <= index < count
        chosen.append(index if valid else None)
    return chosen


def counted_answer(view: dict, response: Any) -> tuple[str, ...]:
    """The matches given, as item analysis counts them."""
    return (describe_response(view, response),) if response is not None else ()


def flashcards(item: Mapping[str, Any], common: dict[str, Any]) -> list[flashcard.Flashcard]:
    """Per pair a card left -> right, and a reversed card right -> left when that right
    side belongs to one pair only (else the reverse has two answers)."""
    key, prompt, pairs = item["key"], item.get("prompt", ""), item["data"]["pairs"]
    lefts = [p["left"] for p in pairs]
    rights = [p["right"] for p in pairs]
    cards = []
    for number, pair in enumerate(pairs, start=1):
        left, right = pair["left"], pair["right"]
        if lefts.count(left) == 1:
            cards.append(
                flashcard.Flashcard(
                    f"item:{key}:pair-{number}",
                    flashcard.CardKind.BASIC,
                    left,
                    right,
                    context=prompt,
                    typed=flashcard.typed_short([right]),
                    **common,
                )
            )
        if rights.count(right) == 1:
            cards.append(
                flashcard.Flashcard(
                    f"item:{key}:pair-{number}:reversed",
                    flashcard.CardKind.REVERSED,
                    right,
                    left,
                    context=prompt,
                    typed=flashcard.typed_short([left]),
                    **common,
                )
            )
    return cards


def card_front(view: dict) -> str:
    """An exported Anki card lists each left-hand text with an arrow, then the choices."""
    choices = escape(" · ".join(view["choices"]))
    return bullet_list(view["lefts"], " → ?") + f"<p>Choices: {choices}</p>"
