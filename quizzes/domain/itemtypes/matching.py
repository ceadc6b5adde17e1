"""Matching: pick the right-hand choice for each left-hand prompt; credit per pair.

The view lists the lefts in a shuffled order and, independently shuffled, the choices
(every right plus the distractors). The response holds, for each left in display order,
the display index of the chosen choice or None.
"""

from random import Random
from typing import Any

from quizzes.domain.itemtypes.base import (
    NO_ANSWER,
    Grade,
    check_prompt,
    duplicates,
    form_values,
    is_text,
    list_of_dicts,
    parse_index,
    shuffled_order,
)
from quizzes.domain.text import normalise


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
