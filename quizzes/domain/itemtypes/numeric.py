"""Numeric: a number, exact or within a tolerance; best matching answer's fraction."""

import re
from collections.abc import Mapping
from random import Random
from typing import Any

from quizzes.domain import flashcard
from quizzes.domain.itemtypes import schema
from quizzes.domain.itemtypes.base import (
    CARRIED,
    NO_ANSWER,
    FormatSupport,
    Grade,
    check_prompt,
    first_text,
    format_number,
    is_number,
    list_of_dicts,
    no_card_cloze,
    no_card_front,
    no_choice_list,
    no_key_options,
    not_carried,
    prompt_as_listed,
)
from quizzes.domain.text import parse_number

NAME = "numeric"
LABEL = "Number"
HINT = "Students type a number, graded within a tolerance."
PROMPT_REQUIRED = True
BASE_DIFFICULTY = 0.55
FREE_PARTS = None
# A well-formed question of this type, for tests and documentation.
EXAMPLE: tuple[str, dict] = (
    "How many?",
    {"answers": [{"value": 1822, "tolerance": 2, "fraction": 1}], "unit": "people"},
)
FORMATS: dict[str, FormatSupport] = {
    "gift": CARRIED,
    "aiken": not_carried("Aiken holds single-choice questions only, not number ones"),
    "csv": CARRIED,
    "json": CARRIED,
    "apkg": CARRIED,
    "moodle": CARRIED,
    "qti": CARRIED,
    "cc": not_carried(
        "Common Cartridge's question profile has no number questions with a tolerance"
    ),
}
card_cloze = no_card_cloze  # an exported card is a Basic note (card_front)
listed_prompt = prompt_as_listed
card_front = no_card_front
choice_list = no_choice_list
key_options = no_key_options


def check_data(data: dict) -> list[str]:
    problems = schema.keys(data, "data", {"answers", "unit"}, set())
    if "unit" in data and not isinstance(data["unit"], str):
        problems.append("'unit' must be text")
    answers = schema.answer_list(data)
    if answers is None:
        return problems + ["'answers' must be a list of at least one answer"]
    for n, answer in enumerate(answers, 1):
        problems.extend(
            schema.keys(answer, f"answer {n}", {"value", "tolerance", "fraction"}, set())
        )
        if not is_number(answer.get("value")):
            problems.append(f"answer {n}: 'value' must be a number")
        tolerance = answer.get("tolerance")
        if not is_number(tolerance) or tolerance < 0:
            problems.append(f"answer {n}: 'tolerance' must be a number of 0 or more")
    return problems or schema.fractions(answers)


def validate(prompt: str, data: Any) -> list[str]:
    problems = check_prompt(prompt)
    answers = list_of_dicts(data, "answers")
    if not answers:
        return [*problems, "A numeric item needs at least one answer"]
    if not all(is_number(answer.get("value")) for answer in answers):
        problems.append("Every answer needs a numeric value")
    tolerances = [answer.get("tolerance", 0) for answer in answers]
    if not all(is_number(tolerance) for tolerance in tolerances):
        problems.append("Tolerance must be a number")
    elif any(tolerance < 0 for tolerance in tolerances):
        problems.append("Tolerance cannot be negative")
    fractions = [answer.get("fraction", 1.0) for answer in answers]
    if not all(is_number(fraction) and 0 <= fraction <= 1 for fraction in fractions):
        problems.append("Answer fractions must be numbers between 0 and 1")
    elif 1 not in fractions:
        problems.append("A numeric item needs an answer worth full marks")
    if not isinstance(data.get("unit", ""), str):
        problems.append("The unit must be text")
    return problems


def present(data: dict, rng: Random) -> tuple[dict, dict]:
    answers = [
        {
            "value": float(answer["value"]),
            "tolerance": float(answer.get("tolerance", 0)),
            "fraction": float(answer.get("fraction", 1.0)),
        }
        for answer in data["answers"]
    ]
    return {"unit": data.get("unit", "")}, {"answers": answers}


def parse_response(view: dict, form: Any) -> str | None:
    """The text as typed; `grade` reads the number so a review shows what was written."""
    return first_text(form, "answer")


# What a flashcard asks when its typed answer is `unreadable`.
TYPED_ASK = "Type a number, such as 2014 or 3.5."


def unreadable(view: dict, response: Any) -> bool:
    """Text was typed that is not a number (units aside): "Check answer" asks again
    instead of grading it. A submitted quiz still grades it, as wrong, with a note."""
    if not isinstance(response, str) or not response.strip():
        return False
    return parse_number(_without_unit(response, view.get("unit", ""))) is None


def grade(view: dict, key: dict, response: Any) -> Grade:
    if not isinstance(response, str) or not response.strip():
        return NO_ANSWER
    value = parse_number(_without_unit(response, view.get("unit", "")))
    if value is None:
        return Grade.of(0.0, notes=(f"'{response}' is not a number.",))
    fractions = [
        answer["fraction"]
        for answer in key["answers"]
        # the small slack keeps 0.4 within 0.3 ± 0.1 despite binary floats
        if abs(value - answer["value"]) <= answer["tolerance"] + 1e-9 * max(1, abs(value))
    ]
    return Grade.of(max(fractions, default=0.0))


def describe_key(view: dict, key: dict) -> str:
    unit = f" {view['unit']}" if view.get("unit") else ""
    full = [answer for answer in key["answers"] if answer["fraction"] == 1]
    return " or ".join(_describe_answer(answer) + unit for answer in full)


def describe_response(view: dict, response: Any) -> str:
    return response if isinstance(response, str) and response.strip() else "No answer"


def _describe_answer(answer: dict) -> str:
    if answer["tolerance"]:
        return f"{format_number(answer['value'])} ± {format_number(answer['tolerance'])}"
    return format_number(answer["value"])


def _without_unit(text: str, unit: str) -> str:
    """ "12 km" -> "12" when the unit is "km"; people often type the unit too."""
    if not unit.strip():
        return text
    return re.sub(re.escape(unit.strip()) + r"\s*$", "", text.strip(), flags=re.IGNORECASE)


def counted_answer(view: dict, response: Any) -> tuple[str, ...]:
    """The text typed, as item analysis counts it."""
    return (describe_response(view, response),) if response is not None else ()


def flashcards(item: Mapping[str, Any], common: dict[str, Any]) -> list[flashcard.Flashcard]:
    """One card, prompt -> the best answer with its unit; typed answers graded as here."""
    data = item["data"]
    best = max(data["answers"], key=lambda a: a.get("fraction", 1.0))
    back = f"{format_number(best['value'])} {data.get('unit', '')}".strip()
    return [
        flashcard.Flashcard(
            f"item:{item['key']}",
            flashcard.CardKind.BASIC,
            item.get("prompt", ""),
            back,
            typed=(NAME, data),
            **common,
        )
    ]
