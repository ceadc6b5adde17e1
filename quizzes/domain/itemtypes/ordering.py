"""Ordering: put items in order; partial credit for pairs in the right relative order.

The score is the fraction of item pairs whose relative order is right (Kendall-style):
one neighbouring swap among 3 items scores 2/3, the reverse order scores 0.
"""

from itertools import combinations
from random import Random
from typing import Any

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
    no_card_cloze,
    no_choice_list,
    no_flashcards,
    no_key_options,
    not_carried,
    parse_index,
    prompt_as_listed,
    shuffled_order,
)

NAME = "ordering"
LABEL = "Put in order"
HINT = "Students put items in order."
PROMPT_REQUIRED = True
BASE_DIFFICULTY = 0.55
FREE_PARTS = 3  # each item beyond the third adds difficulty
# A well-formed question of this type, for tests and documentation.
EXAMPLE: tuple[str, dict] = (
    "Earliest first",
    {"items": ["Boycott", "Walkout", "Guidelines", "Release"]},
)
FORMATS: dict[str, FormatSupport] = {
    "gift": not_carried("GIFT has no ordering questions"),
    "aiken": not_carried("Aiken holds single-choice questions only, not put-in-order ones"),
    "csv": CARRIED,
    "json": CARRIED,
    "apkg": CARRIED,
    "moodle": CARRIED,
    "qti": CARRIED,
    "cc": not_carried("Common Cartridge's question profile has no ordering questions"),
}
card_cloze = no_card_cloze  # an exported card is a Basic note (card_front)
listed_prompt = prompt_as_listed
# An order can be half given (a gap, an item twice): what the page says to finish it.
UNFINISHED_HINT = "put a different item in every position, then it is saved."
choice_list = no_choice_list
key_options = no_key_options
# Without its items on screen the prompt is no question: no flashcard.
flashcards = no_flashcards


def check_data(data: dict) -> list[str]:
    problems = schema.keys(data, "data", {"items"}, set())
    items = data.get("items")
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        return problems + ["'items' must be a list of non-empty texts"]
    if len(items) < 3:
        problems.append(f"an ordering question needs at least 3 items, not {len(items)}")
    if len(set(items)) != len(items):
        problems.append("the items to order repeat")
    return problems


def validate(prompt: str, data: Any) -> list[str]:
    problems = check_prompt(prompt)
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [*problems, "An ordering item needs a list of items"]
    if len(items) < 3:
        problems.append(f"An ordering item needs at least 3 items; this one has {len(items)}")
    if not all(is_text(item) for item in items):
        problems.append("Every item needs text")
    for text in duplicates([item for item in items if is_text(item)]):
        problems.append(f"The item '{text}' is listed twice")
    return problems


def present(data: dict, rng: Random) -> tuple[dict, dict]:
    items = data["items"]
    order = shuffled_order(len(items), rng)
    # Never show the answer itself: shuffle again until the order differs.
    while len(items) >= 2 and order == sorted(order):
        rng.shuffle(order)
    view = {"items": [items[i] for i in order]}
    key = {"order": [order.index(i) for i in range(len(items))]}  # display indices, in order
    return view, key


def parse_response(view: dict, form: Any) -> list[int] | None:
    """Display indices in the student's order; None unless every item is placed once."""
    count = len(view["items"])
    placed: list[int] = []
    for value in form_values(form, "order"):
        index = parse_index(value, count)
        if index is not None and index not in placed:
            placed.append(index)
    return placed if len(placed) == count else None


def unfinished_response(view: dict, form: Any) -> list[int | None]:
    """What each position holds as sent, gaps and repeats included: an unfinished order
    is not saved, but is shown back so that nothing chosen is lost."""
    count = len(view["items"])
    return [parse_index(value, count) for value in form_values(form, "order")[:count]]


def grade(view: dict, key: dict, response: Any) -> Grade:
    if not _is_arrangement(view, response):
        return NO_ANSWER
    rank = {index: position for position, index in enumerate(key["order"])}
    pairs = list(combinations(response, 2))
    in_order = sum(rank[first] < rank[second] for first, second in pairs)
    grade = Grade.of(in_order / len(pairs) if pairs else 1.0)
    if grade.correct:
        return grade
    return Grade.of(grade.score, notes=(f"{in_order} of {len(pairs)} pairs in the right order.",))


def describe_key(view: dict, key: dict) -> str:
    return " → ".join(view["items"][index] for index in key["order"])


def describe_response(view: dict, response: Any) -> str:
    if not _is_arrangement(view, response):
        return "No answer"
    return " → ".join(view["items"][index] for index in response)


def _is_arrangement(view: dict, response: Any) -> bool:
    """A list holding each display index exactly once."""
    if not isinstance(response, list):
        return False
    if not all(isinstance(index, int) and not isinstance(index, bool) for index in response):
        return False
    return sorted(response) == list(range(len(view["items"])))


def counted_answer(view: dict, response: Any) -> tuple[str, ...]:
    """The order given, as item analysis counts it."""
    return (describe_response(view, response),) if response is not None else ()


def card_front(view: dict) -> str:
    """An exported Anki card lists the items to put in order under the prompt."""
    return bullet_list(view["items"])
