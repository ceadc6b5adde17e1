"""Single choice: one right option among several; right or wrong."""

from random import Random
from typing import Any

from quizzes.domain.itemtypes.base import (
    NO_ANSWER,
    Grade,
    check_options,
    check_prompt,
    form_values,
    list_of_dicts,
    parse_index,
    shuffled_order,
)


def validate(prompt: str, data: Any) -> list[str]:
    problems = check_prompt(prompt)
    options = list_of_dicts(data, "options")
    if options is None:
        return [*problems, "A single-choice item needs a list of options"]
    problems += check_options(options, minimum=2, kind="single-choice")
    right = sum(option.get("correct") is True for option in options)
    if right != 1:
        problems.append(
            f"A single-choice item needs exactly one right answer; this one has {right}"
        )
    return problems


def present(data: dict, rng: Random) -> tuple[dict, dict]:
    options = data["options"]
    order = shuffled_order(len(options), rng)
    shown = [options[i] for i in order]
    view = {"options": [option["text"] for option in shown]}
    key = {
        "correct": next(pos for pos, option in enumerate(shown) if option.get("correct") is True),
        "why": [option.get("why", "") for option in shown],
        "order": order,  # display position -> index in data["options"], for item statistics
    }
    return view, key


def parse_response(view: dict, form: Any) -> int | None:
    """The display index of the chosen option."""
    for value in form_values(form, "answer"):
        index = parse_index(value, len(view["options"]))
        if index is not None:
            return index
    return None


def grade(view: dict, key: dict, response: Any) -> Grade:
    if not _is_choice(view, response):
        return NO_ANSWER
    return Grade.of(1.0 if response == key["correct"] else 0.0)


def describe_key(view: dict, key: dict) -> str:
    return view["options"][key["correct"]]


def describe_response(view: dict, response: Any) -> str:
    return view["options"][response] if _is_choice(view, response) else "No answer"


def _is_choice(view: dict, response: Any) -> bool:
    return (
        isinstance(response, int)
        and not isinstance(response, bool)
        and 0 <= response < len(view["options"])
    )
