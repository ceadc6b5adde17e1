"""Short answer: typed text, graded tolerantly.

A response matches an accepted answer when they are equal after `compact` (case, accents,
punctuation, spacing) or `romanisation_key` (Korean romanisation variants). Failing
that, a small typo is forgiven (see `typo_allowance`), never in numbers or years.
An exact match always wins over a forgiven typo, and among typos the nearest answer wins
(the lower fraction on a tie), so a listed wrong answer ("Iraq", fraction 0) and its
typos are not mistaken for typos of the right one ("Iran").
"""

from collections.abc import Mapping, Sequence
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
    duplicates,
    first_text,
    is_number,
    is_text,
    list_of_dicts,
    no_choice_list,
    no_key_options,
    not_carried,
    prompt_as_listed,
)
from quizzes.domain.text import (
    compact,
    edit_distance,
    has_digits,
    romanisation_key,
    typo_allowance,
)


def grade_text(
    response: str, answers: Sequence[tuple[str, float]], *, romanised: bool = False
) -> Grade:
    """Grade typed text against (accepted text, fraction) pairs; shared with cloze blanks.

    `romanised` (the item's `"romanised": true`) folds Korean romanisation variants; it is
    opt-in because the folding would also equate English words such as "Bat" and "Pat".
    """
    if not compact(response):
        return NO_ANSWER
    exact = [fraction for text, fraction in answers if _same(response, text, romanised)]
    if exact:
        return Grade.of(max(exact))
    close = [
        (distance, fraction, text)
        for text, fraction in answers
        if (distance := _typo_distance(response, text, romanised)) is not None
    ]
    if not close:
        return Grade.of(0.0)
    # The nearest answer wins; a tie goes to the lower fraction, never forgiving a
    # response that is as close to a listed wrong answer as to the right one.
    _, fraction, text = min(close)
    if fraction == 0:
        return Grade.of(0.0)
    note = f"Accepted with a small typo; the spelling is '{text}'."
    return Grade.of(fraction, typo_forgiven=True, notes=(note,))


def _same(response: str, answer: str, romanised: bool) -> bool:
    return compact(response) == compact(answer) or (
        romanised and romanisation_key(response) == romanisation_key(answer)
    )


def _typo_distance(response: str, answer: str, romanised: bool) -> int | None:
    """Edits between response and answer when within the answer's typo allowance."""
    allowance = 0 if has_digits(response) else typo_allowance(answer)
    fold = romanisation_key if romanised else compact
    typed, wanted = fold(response), fold(answer)
    if allowance == 0 or abs(len(typed) - len(wanted)) > allowance:
        return None  # the length check spares an edit distance on long garbage
    distance = edit_distance(typed, wanted)
    return distance if distance <= allowance else None


NAME = "short"
LABEL = "Short answer"
HINT = "Students type a word or phrase; list the spellings you accept."
PROMPT_REQUIRED = True
BASE_DIFFICULTY = 0.6
FREE_PARTS = None
# A well-formed question of this type, for tests and documentation.
EXAMPLE: tuple[str, dict] = (
    "Who was deputy ambassador in London?",
    {"answers": [{"text": "Tae Yong-ho", "fraction": 1}, {"text": "Thae Yong Ho", "fraction": 1}]},
)
FORMATS: dict[str, FormatSupport] = {
    "gift": CARRIED,
    "aiken": not_carried("Aiken holds single-choice questions only, not short-answer ones"),
    "csv": CARRIED,
    "json": CARRIED,
    "apkg": CARRIED,
}
listed_prompt = prompt_as_listed
choice_list = no_choice_list
key_options = no_key_options


def check_data(data: dict) -> list[str]:
    problems = schema.keys(data, "data", {"answers"}, {"romanised"}) + schema.romanised(data)
    answers = schema.answer_list(data)
    if answers is None:
        return problems + ["'answers' must be a list of at least one answer"]
    for n, answer in enumerate(answers, 1):
        problems.extend(schema.keys(answer, f"answer {n}", {"text", "fraction"}, set()))
        if not isinstance(answer.get("text"), str) or not answer["text"].strip():
            problems.append(f"answer {n} is empty")
    return problems or schema.fractions(answers)


def validate(prompt: str, data: Any) -> list[str]:
    problems = check_prompt(prompt)
    answers = list_of_dicts(data, "answers")
    if not answers:
        return [*problems, "A short-answer item needs at least one answer"]
    texts = [answer.get("text") for answer in answers]
    if not all(is_text(text) and compact(text) for text in texts):
        problems.append("Every answer needs letters or digits")
    for text in duplicates([text for text in texts if is_text(text)]):
        problems.append(f"The answer '{text}' is listed twice")
    fractions = [answer.get("fraction", 1.0) for answer in answers]
    if not all(is_number(fraction) and 0 <= fraction <= 1 for fraction in fractions):
        problems.append("Answer fractions must be numbers between 0 and 1")
    elif 1 not in fractions:
        problems.append("A short-answer item needs an answer worth full marks")
    return problems


def present(data: dict, rng: Random) -> tuple[dict, dict]:
    answers = [
        {"text": answer["text"], "fraction": float(answer.get("fraction", 1.0))}
        for answer in data["answers"]
    ]
    return {}, {"answers": answers, "romanised": bool(data.get("romanised", False))}


def parse_response(view: dict, form: Any) -> str | None:
    return first_text(form, "answer")


def grade(view: dict, key: dict, response: Any) -> Grade:
    if not isinstance(response, str):
        return NO_ANSWER
    answers = [(answer["text"], answer["fraction"]) for answer in key["answers"]]
    return grade_text(response, answers, romanised=key.get("romanised", False))


def describe_key(view: dict, key: dict) -> str:
    """The canonical answer, then any other answers worth full marks."""
    full = [answer["text"] for answer in key["answers"] if answer["fraction"] == 1]
    if len(full) == 1:
        return full[0]
    return f"{full[0]} (also accepted: {', '.join(full[1:])})"


def describe_response(view: dict, response: Any) -> str:
    return response if isinstance(response, str) and response.strip() else "No answer"


def counted_answer(view: dict, response: Any) -> tuple[str, ...]:
    """The text typed, as item analysis counts it."""
    return (describe_response(view, response),) if response is not None else ()


def flashcards(item: Mapping[str, Any], common: dict[str, Any]) -> list[flashcard.Flashcard]:
    """One card, prompt -> the canonical answer (and the others accepted), typed as here."""
    data = item["data"]
    full = [a["text"] for a in data["answers"] if a.get("fraction", 1.0) == 1]
    others = [a["text"] for a in data["answers"] if a.get("fraction", 1.0) != 1]
    back = full[0] if len(full) == 1 else f"{full[0]} (also accepted: {', '.join(full[1:])})"
    too_long = any(len(a) > flashcard.MAX_TYPED_ANSWER for a in full + others)
    return [
        flashcard.Flashcard(
            f"item:{item['key']}",
            flashcard.CardKind.BASIC,
            item.get("prompt", ""),
            back,
            typed=None if too_long else (NAME, data),
            **common,
        )
    ]
