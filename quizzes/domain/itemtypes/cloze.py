"""Cloze: text with numbered blanks {1}, {2}...; each blank graded like a short answer.

The score is the mean over the blanks. The prompt may be empty: the text is the question.
"""

import re
from collections.abc import Mapping
from random import Random
from typing import Any

from markupsafe import escape

from quizzes.domain import flashcard
from quizzes.domain.itemtypes import schema
from quizzes.domain.itemtypes.base import (
    CARRIED,
    NO_ANSWER,
    CardCloze,
    FormatSupport,
    Grade,
    first_text,
    is_text,
    list_of_dicts,
    no_card_front,
    no_choice_list,
    no_key_options,
    not_carried,
)
from quizzes.domain.itemtypes.short import grade_text
from quizzes.domain.text import duplicate_answers

_BLANK = re.compile(r"\{(\d{1,4})\}")
# How a list (progress, item analysis) shows a blank; underscores would read as Markdown.
LISTED_BLANK = "…"

NAME = "cloze"
LABEL = "Fill in the blanks"
HINT = "Students fill blanks inside a text."
PROMPT_REQUIRED = False  # the text with its blanks is the question
BASE_DIFFICULTY = 0.5
FREE_PARTS = 1  # each blank beyond the first adds difficulty
# A well-formed question of this type, for tests and documentation.
EXAMPLE: tuple[str, dict] = (
    "",
    {
        "text": "Kim ordered a {1} of the panel in {2}.",
        "blanks": [{"answers": ["boycott"]}, {"answers": ["2016"]}],
    },
)
FORMATS: dict[str, FormatSupport] = {
    "gift": CARRIED,
    "aiken": not_carried("Aiken holds single-choice questions only, not fill-in-the-blank ones"),
    "csv": CARRIED,
    "json": CARRIED,
    "apkg": CARRIED,
    "moodle": CARRIED,
    "qti": CARRIED,
    "cc": not_carried(
        "Common Cartridge's fill-in-the-blank question holds one blank, not a text with several"
    ),
}
choice_list = no_choice_list
card_front = no_card_front


def card_cloze(data: dict) -> CardCloze:
    """An Anki Cloze note: blank n becomes {{cn::its first answer}}; the back lists the
    other answers a blank accepts."""
    text = str(escape(data["text"]))
    for number, blank in enumerate(data["blanks"], start=1):
        # "::" and "}}" would end Anki's cloze marker early.
        answer = str(escape(blank["answers"][0])).replace("::", ": :").replace("}}", "} }")
        text = text.replace("{" + str(number) + "}", f"{{{{c{number}::{answer}}}}}", 1)
    alternatives = [
        f"{{{n}}}: " + ", ".join(blank["answers"])
        for n, blank in enumerate(data["blanks"], start=1)
        if len(blank["answers"]) > 1
    ]
    also = "<p>Also accepted: " + str(escape("; ".join(alternatives))) + "</p>"
    return CardCloze(f"<p>{text}</p>", also if alternatives else "")


key_options = no_key_options


def check_data(data: dict) -> list[str]:
    problems = schema.keys(data, "data", {"text", "blanks"}, {"romanised"})
    problems += schema.romanised(data)
    text, blanks = data.get("text"), data.get("blanks")
    if not isinstance(text, str):
        return problems + ["'text' must be text"]
    if not isinstance(blanks, list) or not blanks or not all(isinstance(b, dict) for b in blanks):
        return problems + ["'blanks' must be a list of at least one blank"]
    for n, blank in enumerate(blanks, 1):
        problems.extend(schema.keys(blank, f"blank {n}", {"answers"}, set()))
        answers = blank.get("answers")
        if (
            not isinstance(answers, list)
            or not answers
            or not all(isinstance(a, str) and a.strip() for a in answers)
        ):
            problems.append(f"blank {n} needs at least one non-empty answer")
    marks = schema.cloze_marks(text)
    if sorted(marks) != list(range(1, len(blanks) + 1)):
        problems.append(
            f"the text must mark each of the {len(blanks)} blank(s) once as {{1}}, {{2}}...; "
            f"it marks {', '.join(f'{{{m}}}' for m in marks) or 'none'}"
        )
    return problems


def validate(prompt: str, data: Any) -> list[str]:
    text = data.get("text") if isinstance(data, dict) else None
    blanks = list_of_dicts(data, "blanks")
    if not is_text(text):
        return ["A cloze item needs text with blanks such as {1}"]
    if blanks is None:
        return ["A cloze item needs a list of blanks"]
    problems = []
    marked = [int(number) for number in _BLANK.findall(text)]
    if not marked and not blanks:
        problems.append("A cloze item needs at least one blank")
    for number in sorted(set(marked)):
        if marked.count(number) > 1:
            problems.append(f"Blank {number} appears more than once in the text")
        if not 1 <= number <= len(blanks):
            problems.append(f"The text marks blank {number} but there is no such blank")
    for number, blank in enumerate(blanks, start=1):
        if number not in marked:
            problems.append(f"Blank {number} is not marked in the text")
        answers = blank.get("answers")
        if not isinstance(answers, list) or not answers or not all(map(is_text, answers)):
            problems.append(f"Blank {number} needs at least one answer")
            continue
        for text in duplicate_answers(answers):  # as a short answer's list is checked
            problems.append(f"Blank {number}: the answer '{text}' is listed twice")
    return problems


def present(data: dict, rng: Random) -> tuple[dict, dict]:
    # Nothing to shuffle. re.split alternates literal text and blank numbers.
    parts = _BLANK.split(data["text"])
    segments: list[dict] = []
    for position, part in enumerate(parts):
        if position % 2:
            segments.append({"blank": int(part)})
        elif part:
            segments.append({"text": part})
    key = {
        "blanks": [list(blank["answers"]) for blank in data["blanks"]],
        "romanised": bool(data.get("romanised", False)),
    }
    return {"segments": segments}, key


def parse_response(view: dict, form: Any) -> list[str | None] | None:
    """The text typed in each blank (field `blank-<n>`), by blank number - 1."""
    response = [first_text(form, f"blank-{number}") for number in _numbers(view)]
    return response if any(text is not None for text in response) else None


def grade(view: dict, key: dict, response: Any) -> Grade:
    typed = _typed(view, response)
    if all(text is None for text in typed):
        return NO_ANSWER
    grades = [
        grade_text(text, [(a, 1.0) for a in answers], romanised=key.get("romanised", False))
        if text
        else NO_ANSWER
        for text, answers in zip(typed, key["blanks"], strict=True)
    ]
    notes = tuple(
        f"Blank {number}: {note}"
        for number, blank_grade in enumerate(grades, start=1)
        if blank_grade.typo_forgiven or blank_grade.variant_accepted
        for note in blank_grade.notes
    )
    return Grade.of(
        sum(blank_grade.score for blank_grade in grades) / len(grades),
        typo_forgiven=any(blank_grade.typo_forgiven for blank_grade in grades),
        notes=notes,
        variant_accepted=any(blank_grade.variant_accepted for blank_grade in grades),
    )


def describe_key(view: dict, key: dict) -> str:
    return _fill(view, [answers[0] for answers in key["blanks"]])


def describe_response(view: dict, response: Any) -> str:
    typed = _typed(view, response)
    return _fill(view, typed) if any(text is not None for text in typed) else "No answer"


def _numbers(view: dict) -> list[int]:
    return sorted(segment["blank"] for segment in view["segments"] if "blank" in segment)


def _typed(view: dict, response: Any) -> list[str | None]:
    """One string or None per blank, whatever the response is."""
    entries = response if isinstance(response, list) else []
    typed: list[str | None] = []
    for position in range(len(_numbers(view))):
        text = entries[position] if position < len(entries) else None
        typed.append(text if isinstance(text, str) and text.strip() else None)
    return typed


def _fill(view: dict, texts: list[str | None]) -> str:
    """The text with each blank shown as [text] (or [___] when empty)."""
    return "".join(
        f"[{texts[segment['blank'] - 1] or '___'}]" if "blank" in segment else segment["text"]
        for segment in view["segments"]
    )


def listed_prompt(prompt: str, view: dict) -> str:
    """The instruction ("Fill in the missing words.") says nothing on its own: its sentence
    follows, each blank an ellipsis."""
    sentence = "".join(segment.get("text", LISTED_BLANK) for segment in view.get("segments", []))
    return f"{prompt} {sentence}".strip()


def counted_answer(view: dict, response: Any) -> tuple[str, ...]:
    """The text typed in the blanks, as item analysis counts it."""
    return (describe_response(view, response),) if response is not None else ()


def flashcards(item: Mapping[str, Any], common: dict[str, Any]) -> list[flashcard.Flashcard]:
    """One cloze card with every blank hidden (Anki: one c1 for all blanks)."""
    data = item["data"]
    text, blanks = data["text"], data["blanks"]

    def answer(match: re.Match[str]) -> str:
        return blanks[int(match.group(1)) - 1]["answers"][0]

    return [
        flashcard.Flashcard(
            f"item:{item['key']}",
            flashcard.CardKind.CLOZE,
            _BLANK.sub(flashcard.BLANK, text),
            _BLANK.sub(answer, text),
            context=item.get("prompt", ""),
            cloze=_BLANK.sub(lambda m: "{{c1::" + answer(m) + "}}", text),
            typed=(NAME, dict(data)),
            blanks=len(blanks),
            **common,
        )
    ]
