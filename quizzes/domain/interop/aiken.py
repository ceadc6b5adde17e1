"""Aiken (Moodle) import and export: single-choice questions only.

    Which planet is largest?
    A) Mars
    B) Jupiter
    ANSWER: B

Reading is Moodle's (question/format/aiken/format.php) with its errors (a choice with no open
question, a question without ANSWER, fewer than 2 choices) plus some tolerance Moodle lacks:
a BOM, CRLF line ends, a question text wrapped over several lines, a choice wrapped onto the
next line, `Answer: b` in lower case (reported as a warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from quizzes.domain.itemtypes import format_support

from .common import ExportIssue, ImportResult, decode_input, export_problem, new_item

# The types this writer knows; every other type declares why Aiken cannot carry it.
WRITTEN_TYPES = frozenset({"single"})

_CHOICE = re.compile(r"([A-Z])[).][ \t]?(.*)")
_ANSWER = re.compile(r"ANSWER\s*:(.*)", re.IGNORECASE)


@dataclass
class _Open:
    line: int
    prompt: list[str]
    choices: list[tuple[str, str, int]] = field(default_factory=list)  # label, text, line
    failed: bool = False  # already reported; the ANSWER line only closes it


def _kind(line: str) -> str:
    if _ANSWER.match(line):
        return "answer"
    if _CHOICE.match(line):
        return "choice"
    return "text"


def from_aiken(data: str | bytes) -> ImportResult:
    """Read an Aiken file. Never raises on bad input: problems come back as `errors`."""
    result = ImportResult()
    text = decode_input(data, result)
    if text is None:
        return result
    lines = [(n, raw.strip()) for n, raw in enumerate(text.split("\n"), 1) if raw.strip()]
    kinds = [_kind(line) for _, line in lines]
    following = _next_marked_lines(kinds)
    question: _Open | None = None
    for index, (number, line) in enumerate(lines):
        kind = kinds[index]
        if kind == "answer":
            if question is None:
                result.error(number, "ANSWER line with no open question")
            elif not question.failed:
                _finish(question, line, number, result)
            question = None
        elif kind == "choice":
            label, choice_text = _CHOICE.match(line).groups()  # type: ignore[union-attr]
            if question is None:
                result.error(number, f"choice '{label}' has no open question")
            elif any(label == seen for seen, _, _ in question.choices):
                result.error(number, f"choice '{label}' appears twice in the question")
                question.failed = True
            else:
                question.choices.append((label, choice_text.strip(), number))
        elif question is None:
            question = _Open(number, [line])
        elif not question.choices:
            question.prompt.append(line)  # question text wrapped over several lines
        elif _continues_choice(lines, following[index]):
            label, previous, first = question.choices[-1]
            question.choices[-1] = (label, f"{previous}\n{line}", first)
        else:
            result.error(question.line, "the question has no ANSWER line")
            question = _Open(number, [line])
    if question is not None:
        result.error(question.line, "the question has no ANSWER line")
    return result


def _next_marked_lines(kinds: list[str]) -> list[int | None]:
    """For each line, the index of the next choice or ANSWER line after it (None if none)."""
    following: list[int | None] = [None] * len(kinds)
    upcoming = None
    for index in range(len(kinds) - 1, -1, -1):
        following[index] = upcoming
        if kinds[index] != "text":
            upcoming = index
    return following


def _continues_choice(lines: list[tuple[int, str]], upcoming: int | None) -> bool:
    """A text line after choices belongs to the last choice when what follows the run of
    text lines is the ANSWER or a further choice, not a new question's 'A)'."""
    if upcoming is None:
        return False
    line = lines[upcoming][1]
    return bool(_ANSWER.match(line)) or not line.startswith("A")


def _finish(question: _Open, line: str, number: int, result: ImportResult) -> None:
    value = _ANSWER.match(line).group(1).strip()  # type: ignore[union-attr]
    if not line.startswith("ANSWER"):
        result.warn(number, "write 'ANSWER:' in capitals: Moodle reads nothing else")
    if len(question.choices) < 2:
        result.error(
            question.line,
            f"the question has {len(question.choices)} choice(s); Aiken needs at least 2",
        )
        return
    letter = value[:1].upper()
    labels = [label for label, _, _ in question.choices]
    if not letter:
        result.error(number, "ANSWER names no letter")
        return
    if letter not in labels:
        result.error(number, f"ANSWER '{letter}' is not among the choices ({', '.join(labels)})")
        return
    for label, choice_text, choice_line in question.choices:
        if not choice_text:
            result.error(choice_line, f"choice '{label}' has no text")
            return
    options = [{"text": t, "correct": label == letter} for label, t, _ in question.choices]
    item = new_item("single", "\n".join(question.prompt), {"options": options})
    result.add_item(question.line, item)


def to_aiken(items: list[dict[str, Any]]) -> tuple[str, list[ExportIssue]]:
    """Write single-choice items as Aiken; every other item is reported as dropped, and
    what Aiken cannot hold (explanations, option feedback, line breaks) as lost."""
    blocks, issues = [], []
    for index, item in enumerate(items):
        key = item.get("key", "") if isinstance(item, dict) else ""
        key = key if isinstance(key, str) else ""

        def drop(message: str, index: int = index, key: str = key) -> None:
            issues.append(ExportIssue(index, key, message, True))

        problem = export_problem(item)
        if problem:
            drop(problem)
            continue
        support = format_support(item["type"], "aiken")  # each type declares it
        if not support.carried or item["type"] not in WRITTEN_TYPES:
            drop(support.reason or _NO_WRITER)
            continue
        options = item["data"]["options"]
        if len(options) > 26:
            drop(f"Aiken labels choices A to Z; this question has {len(options)}")
            continue
        prompt = _one_line(item["prompt"])
        if _kind(prompt) != "text":
            drop("the question text would read back as a choice or an ANSWER line")
            continue
        lost = []
        if item["explanation"].strip():
            lost.append("the explanation")
        if any(o.get("why", "").strip() for o in options):
            lost.append("option feedback")
        texts = [item["prompt"]] + [o["text"] for o in options]
        if any(_one_line(t) != t.strip() for t in texts):
            lost.append("line breaks")
        if lost:
            issues.append(
                ExportIssue(index, key, "Aiken has no place for " + " or ".join(lost), False)
            )
        lines = [prompt]
        for n, option in enumerate(options):
            lines.append(f"{chr(ord('A') + n)}) {_one_line(option['text'])}")
        right = next(n for n, o in enumerate(options) if o["correct"])
        lines.append(f"ANSWER: {chr(ord('A') + right)}")
        blocks.append("\n".join(lines))
    text = "\n\n".join(blocks)
    return (text + "\n" if text else ""), issues


_NO_WRITER = "Quizdeck has no Aiken writer for this question type yet"


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text.strip())
