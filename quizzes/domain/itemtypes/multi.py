"""Multiple response: tick every right option; partial credit as in Moodle.

Each ticked option adds its weight (right options positive, wrong ones negative) and the
total is kept within 0..1. Default weights: a right option 1/n_right, a wrong one
-1/n_wrong, so ticking every option scores 0.
"""

import math
from random import Random
from typing import Any

from quizzes.domain.itemtypes import schema
from quizzes.domain.itemtypes.base import (
    CARRIED,
    NO_ANSWER,
    FormatSupport,
    Grade,
    check_options,
    check_prompt,
    form_values,
    is_number,
    lettered_options_front,
    list_of_dicts,
    no_card_cloze,
    no_flashcards,
    not_carried,
    option_order,
    parse_index,
    prompt_as_listed,
)

NAME = "multi"
LABEL = "Multiple select"
HINT = "Students tick every right option; wrong ticks cost marks."
PROMPT_REQUIRED = True
BASE_DIFFICULTY = 0.5
FREE_PARTS = 3  # each option beyond the third adds difficulty
# A well-formed question of this type, for tests and documentation.
EXAMPLE: tuple[str, dict] = (
    "Which tactics do the cables show?",
    {
        "options": [
            {"text": "Boycott", "correct": True},
            {"text": "Walkout", "correct": True},
            {"text": "Inspection", "correct": False},
            {"text": "Apology", "correct": False},
        ]
    },
)
FORMATS: dict[str, FormatSupport] = {
    "gift": CARRIED,
    "aiken": not_carried("Aiken holds single-choice questions only, not multiple-response ones"),
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
# Without its options on screen the prompt is no question: no flashcard.
flashcards = no_flashcards


def check_data(data: dict) -> list[str]:
    problems = schema.options(data, multi=True)
    if problems:
        return problems
    options = data["options"]
    problems = schema.repeated_options(options)
    if len(options) < 3:
        problems.append(f"a multiple-answer question needs at least 3 options, not {len(options)}")
    if not any(option["correct"] for option in options):
        problems.append("no option is marked right")
    weighted = [option for option in options if "weight" in option]
    if weighted and len(weighted) != len(options):
        problems.append("either every option has a weight or none has")
    for n, option in enumerate(weighted, 1):
        if option["correct"] != (option["weight"] > 0):
            problems.append(f"option {n}: a right option needs a positive weight, a wrong one not")
    return problems


def validate(prompt: str, data: Any) -> list[str]:
    problems = check_prompt(prompt)
    options = list_of_dicts(data, "options")
    if options is None:
        return [*problems, "A multiple-response item needs a list of options"]
    problems += check_options(options, minimum=3, kind="multiple-response")
    right = sum(option.get("correct") is True for option in options)
    if right == 0:
        problems.append("A multiple-response item needs at least one right answer")
    if options and right == len(options):
        problems.append("A multiple-response item needs at least one wrong option")
    weighted = ["weight" in option for option in options]
    if any(weighted) and not all(weighted):
        problems.append("Give every option a weight, or none")
    elif all(weighted) and options:
        problems += _check_weights(options)
    return problems


def _check_weights(options: list[dict]) -> list[str]:
    weights = [option["weight"] for option in options]
    if not all(is_number(weight) and -1 <= weight <= 1 for weight in weights):
        return ["Weights must be numbers between -1 and 1"]
    problems = []
    for option in options:
        if (option.get("correct") is True) != (option["weight"] > 0):
            problems.append(
                f"The option '{option.get('text')}' needs a positive weight if and only if "
                "it is right"
            )
    positive = sum(weight for weight in weights if weight > 0)
    if not math.isclose(positive, 1, abs_tol=0.01):
        problems.append(f"The weights of the right options add up to {positive:g}, not 1")
    return problems


def default_weights(options: list[dict]) -> list[float]:
    if all("weight" in option for option in options):
        return [float(option["weight"]) for option in options]
    right = sum(option.get("correct") is True for option in options)
    wrong = len(options) - right
    return [1 / right if option.get("correct") is True else -1 / wrong for option in options]


def present(data: dict, rng: Random) -> tuple[dict, dict]:
    options = data["options"]
    weights = default_weights(options)
    order = option_order(data, rng)
    view = {"options": [options[i]["text"] for i in order]}
    key = {
        "correct": [pos for pos, i in enumerate(order) if options[i].get("correct") is True],
        "weights": [weights[i] for i in order],
        "why": [options[i].get("why", "") for i in order],
        "order": order,  # display position -> index in data["options"], for item statistics
    }
    return view, key


def parse_response(view: dict, form: Any) -> list[int] | None:
    """The ticked display indices, sorted, each once; None when nothing is ticked."""
    count = len(view["options"])
    ticked = {parse_index(value, count) for value in form_values(form, "answer")}
    ticked.discard(None)
    return sorted(ticked) or None


def grade(view: dict, key: dict, response: Any) -> Grade:
    ticked = _ticked(view, response)
    if not ticked:
        return NO_ANSWER
    return Grade.of(sum(key["weights"][index] for index in ticked))


def describe_key(view: dict, key: dict) -> str:
    return "; ".join(view["options"][index] for index in key["correct"])


def describe_response(view: dict, response: Any) -> str:
    ticked = _ticked(view, response)
    return "; ".join(view["options"][index] for index in ticked) if ticked else "No answer"


def chosen_feedback(view: dict, key: dict, response: Any) -> list[tuple[str, str]]:
    """The teacher's feedback on each option ticked, in display order, where there is one."""
    why = key.get("why", [])
    return [
        (view["options"][index], why[index])
        for index in _ticked(view, response)
        if index < len(why) and why[index]
    ]


def _ticked(view: dict, response: Any) -> list[int]:
    """The valid display indices in a response, each once, whatever the response is."""
    if not isinstance(response, list):
        return []
    count = len(view["options"])
    return sorted(
        {
            index
            for index in response
            if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < count
        }
    )


def counted_answer(view: dict, response: Any) -> tuple[str, ...]:
    """The options ticked, as item analysis counts them."""
    return tuple(view["options"][index] for index in _ticked(view, response))


def choice_list(view: dict, key: dict) -> list[tuple[str, bool]]:
    """Every option in the set's own order, with whether it is right."""
    right = set(key["correct"])
    shown = sorted(range(len(view["options"])), key=lambda pos: key["order"][pos])
    return [(view["options"][pos], pos in right) for pos in shown]


def key_options(view: dict) -> int:
    """The options the number keys 1-9 pick among on the quiz page (static/js/quiz.js)."""
    return len(view["options"])
