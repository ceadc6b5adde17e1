"""Shared pieces of the types' `check_data`: the exact shape files and the generator write.

`check_data` is strict where `validate` is forgiving: it names unknown and missing fields and
wrong value types, in the words import messages use ("option 2 lacks correct"), so a file
that does not follow docs/ITEMS.md is refused before `validate` judges the question.
"""

from __future__ import annotations

import re
from typing import Any

from quizzes.domain.itemtypes.base import is_number

_CLOZE_MARK = re.compile(r"\{(\d+)\}")


def keys(obj: dict[str, Any], what: str, required: set[str], optional: set[str]) -> list[str]:
    """Missing and unknown fields of `obj` (`what` names it: "data", "option 2")."""
    problems = []
    missing = sorted(required - obj.keys())
    unknown = sorted(str(k) for k in obj.keys() - required - optional)
    if missing:
        problems.append(f"{what} lacks " + ", ".join(missing))
    if unknown:
        problems.append(f"{what} has unknown field(s) " + ", ".join(unknown))
    return problems


def fractions(answers: list[dict[str, Any]]) -> list[str]:
    """Each answer's credit is 0..1 and one answer gives full credit."""
    problems = []
    for n, answer in enumerate(answers, 1):
        fraction = answer.get("fraction")
        if not is_number(fraction) or not 0 <= fraction <= 1:
            problems.append(f"answer {n}: 'fraction' must be a number from 0 to 1")
    if not problems and not any(a["fraction"] == 1 for a in answers):
        problems.append("no answer gives full credit")
    return problems


def romanised(data: dict[str, Any]) -> list[str]:
    if "romanised" in data and not isinstance(data["romanised"], bool):
        return ["'romanised' must be true or false"]
    return []


def answer_list(data: dict[str, Any]) -> list[dict[str, Any]] | None:
    """data["answers"] when it is a non-empty list of objects, else None."""
    answers = data.get("answers")
    if (
        not isinstance(answers, list)
        or not answers
        or not all(isinstance(a, dict) for a in answers)
    ):
        return None
    return answers


def cloze_marks(text: str) -> list[int]:
    """The blank numbers a cloze text marks, in order, repeats kept."""
    return [int(n) for n in _CLOZE_MARK.findall(text)]


def options(data: dict[str, Any], multi: bool) -> list[str]:
    """The shape of a single or multi item's options."""
    problems = keys(data, "data", {"options"}, {"keep_order"})
    if "keep_order" in data and not isinstance(data["keep_order"], bool):
        problems.append("'keep_order' must be true or false")
    listed = data.get("options")
    if not isinstance(listed, list) or not all(isinstance(o, dict) for o in listed):
        return problems + ["'options' must be a list of options"]
    optional = {"why", "weight"} if multi else {"why"}
    for n, option in enumerate(listed, 1):
        problems.extend(keys(option, f"option {n}", {"text", "correct"}, optional))
        text = option.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"option {n} has no text")
        if not isinstance(option.get("correct"), bool):
            problems.append(f"option {n}: 'correct' must be true or false")
        if "why" in option and not isinstance(option["why"], str):
            problems.append(f"option {n}: 'why' must be text")
        if "weight" in option and (
            not is_number(option["weight"]) or not -1 <= option["weight"] <= 1
        ):
            problems.append(f"option {n}: 'weight' must be a number from -1 to 1")
    return problems


def repeated_options(options: list[dict[str, Any]]) -> list[str]:
    texts = [o["text"].strip() for o in options]
    repeated = sorted({t for t in texts if texts.count(t) > 1})
    return ["options repeat: " + ", ".join(repr(t) for t in repeated)] if repeated else []
