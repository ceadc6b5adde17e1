"""True/false: the prompt is a statement; right or wrong."""

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
    form_values,
    no_card_cloze,
    not_carried,
    prompt_as_listed,
)

NAME = "truefalse"
LABEL = "True or false"
HINT = "Students say whether a statement is true."
PROMPT_REQUIRED = True
BASE_DIFFICULTY = 0.2
FREE_PARTS = None
# A well-formed question of this type, for tests and documentation.
EXAMPLE: tuple[str, dict] = ("Ri Il-gyu brought the cables out.", {"answer": True})
FORMATS: dict[str, FormatSupport] = {
    "gift": CARRIED,
    "aiken": not_carried("Aiken holds single-choice questions only, not true-or-false ones"),
    "csv": CARRIED,
    "json": CARRIED,
    "apkg": CARRIED,
    "moodle": CARRIED,
    "qti": CARRIED,
    "cc": CARRIED,
}
card_cloze = no_card_cloze  # an exported card is a Basic note (card_front)
listed_prompt = prompt_as_listed

_WORDS = {"true": True, "false": False}
# A flashcard asks in a text box, not with the quiz's two radio buttons: the natural ways of
# saying it count there ("Yes!", "'false'", "(t)"); the quiz parser stays as strict as its form.
_TYPED_WORDS = {
    **dict.fromkeys(("true", "t", "yes", "y"), True),
    **dict.fromkeys(("false", "f", "no", "n"), False),
}
_AROUND = re.compile(r"^[\W_]+|[\W_]+$")  # punctuation and spaces around the word
TYPED_ASK = "Type true or false (yes/no and t/f work too)."


def check_data(data: dict) -> list[str]:
    problems = schema.keys(data, "data", {"answer"}, set())
    if "answer" in data and not isinstance(data["answer"], bool):
        problems.append("'answer' must be true or false")
    return problems


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


def counted_answer(view: dict, response: Any) -> tuple[str, ...]:
    """The answer given, as item analysis counts it."""
    return ("True" if response else "False",) if isinstance(response, bool) else ()


def choice_list(view: dict, key: dict) -> list[tuple[str, bool]]:
    return [("True", key["answer"] is True), ("False", key["answer"] is False)]


def flashcards(item: Mapping[str, Any], common: dict[str, Any]) -> list[flashcard.Flashcard]:
    """One card: the statement, then whether it is true (typed: yes/no, t/f work too)."""
    data = item["data"]
    return [
        flashcard.Flashcard(
            f"item:{item['key']}",
            flashcard.CardKind.BASIC,
            f"True or false? {item.get('prompt', '')}",
            "True" if data["answer"] else "False",
            typed=(NAME, data),
            **common,
        )
    ]


def key_options(view: dict) -> int:
    """True and False, picked with the keys 1 and 2 on the quiz page (static/js/quiz.js)."""
    return 2


def read_typed(text: str) -> bool | None:
    """True or False from true/false, t/f, yes/no or y/n in any case; None otherwise."""
    return _TYPED_WORDS.get(_AROUND.sub("", text).casefold())


def typed_form(text: str) -> dict[str, list[str]] | None:
    """The quiz form a flashcard's typed answer stands for ("y" -> answer=true); {} for no
    text; None when the text says neither true nor false (the card asks with TYPED_ASK)."""
    if not text.strip():
        return {}
    answer = read_typed(text)
    return None if answer is None else {"answer": ["true" if answer else "false"]}


def card_front(view: dict) -> str:
    """An exported Anki card asks the question under the statement."""
    return "<p>True or false?</p>"
