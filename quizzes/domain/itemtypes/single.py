"""Single choice: one right option among several; right or wrong."""

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
    check_options,
    check_prompt,
    form_values,
    lettered_options_front,
    list_of_dicts,
    no_card_cloze,
    option_order,
    parse_index,
    prompt_as_listed,
)

NAME = "single"
LABEL = "Single choice"
HINT = "Students pick one option; exactly one is right."
PROMPT_REQUIRED = True
BASE_DIFFICULTY = 0.35
FREE_PARTS = None  # more options do not make it harder: the generator gives four
# A well-formed question of this type, for tests and documentation.
EXAMPLE: tuple[str, dict] = (
    "Which post did Tae Yong-ho hold?",
    {
        "options": [
            {"text": "Deputy ambassador", "correct": True, "why": "Number two in London."},
            {"text": "Ambassador", "correct": False, "why": "That was his boss."},
            {"text": "Consul", "correct": False},
            {"text": "Trade attaché", "correct": False},
        ]
    },
)
FORMATS: dict[str, FormatSupport] = {
    "gift": CARRIED,
    "aiken": CARRIED,
    "csv": CARRIED,
    "json": CARRIED,
    "apkg": CARRIED,
    "moodle": CARRIED,
    "qti": CARRIED,
    "cc": CARRIED,
}
card_cloze = no_card_cloze  # an exported card is a Basic note (card_front)
listed_prompt = prompt_as_listed
card_front = lettered_options_front  # what an exported Anki card shows under the prompt


def check_data(data: dict) -> list[str]:
    problems = schema.options(data, multi=False)
    if problems:
        return problems
    options = data["options"]
    problems = schema.repeated_options(options)
    if len(options) < 2:
        problems.append(f"a single-choice question needs at least 2 options, not {len(options)}")
    right = sum(1 for option in options if option["correct"])
    if right != 1:
        problems.append(f"a single-choice question needs exactly one right option, not {right}")
    return problems


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
    order = option_order(data, rng)
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


def chosen_feedback(view: dict, key: dict, response: Any) -> list[tuple[str, str]]:
    """The teacher's feedback on the option chosen (GIFT's `~answer#feedback`), if any."""
    if not _is_choice(view, response):
        return []
    why = key.get("why", [])
    text = why[response] if response < len(why) else ""
    return [(view["options"][response], text)] if text else []


def _is_choice(view: dict, response: Any) -> bool:
    return (
        isinstance(response, int)
        and not isinstance(response, bool)
        and 0 <= response < len(view["options"])
    )


def counted_answer(view: dict, response: Any) -> tuple[str, ...]:
    """The option chosen, as item analysis counts it."""
    return (view["options"][response],) if _is_choice(view, response) else ()


def choice_list(view: dict, key: dict) -> list[tuple[str, bool]]:
    """Every option in the set's own order, with whether it is right."""
    shown = sorted(range(len(view["options"])), key=lambda pos: key["order"][pos])
    return [(view["options"][pos], pos == key["correct"]) for pos in shown]


def flashcards(item: Mapping[str, Any], common: dict[str, Any]) -> list[flashcard.Flashcard]:
    """One card, prompt -> the right option."""
    answer = next(o["text"] for o in item["data"]["options"] if o.get("correct"))
    return [
        flashcard.Flashcard(
            f"item:{item['key']}",
            flashcard.CardKind.BASIC,
            item.get("prompt", ""),
            answer,
            typed=flashcard.typed_short([answer]),
            **common,
        )
    ]


def key_options(view: dict) -> int:
    """The options the number keys 1-9 pick among on the quiz page (static/js/quiz.js)."""
    return len(view["options"])
