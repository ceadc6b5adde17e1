"""True/false: the prompt is a statement; right or wrong."""

from random import Random
from typing import Any

from quizzes.domain.itemtypes.base import NO_ANSWER, Grade, check_prompt, form_values

_WORDS = {"true": True, "false": False}


def validate(prompt: str, data: Any) -> list[str]:
    problems = check_prompt(prompt)
    if not isinstance(data, dict) or not isinstance(data.get("answer"), bool):
        problems.append("A true/false item needs an answer of true or false")
    return problems


def present(data: dict, rng: Random) -> tuple[dict, dict]:
    # Nothing to shuffle: the browser always shows True then False.
    return {}, {"answer": data["answer"]}


def parse_response(view: dict, form: Any) -> bool | None:
    """True or False from the field value "true" / "false" (any case)."""
    for value in form_values(form, "answer"):
        answer = _WORDS.get(value.strip().casefold())
        if answer is not None:
            return answer
    return None


def grade(view: dict, key: dict, response: Any) -> Grade:
    if not isinstance(response, bool):
        return NO_ANSWER
    return Grade.of(1.0 if response == key["answer"] else 0.0)


def describe_key(view: dict, key: dict) -> str:
    return str(key["answer"])


def describe_response(view: dict, response: Any) -> str:
    return str(response) if isinstance(response, bool) else "No answer"
