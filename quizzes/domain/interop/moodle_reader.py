"""Moodle XML import: `from_moodle_xml`; the writer is moodle_writer.py, the parsing, text
and cloze syntax both share moodle_syntax.py.

Mapping to Quizdeck items (docs/ITEMS.md), question by question as Moodle's own importer
(question/format/xml/format.php) reads them:
- multichoice with `<single>true` is single choice (the 100% answer is right), otherwise
  multi with each answer's fraction as its weight; answer feedback is the option's `why`.
- truefalse, shortanswer (0% answers kept as known wrong ones), numerical (value,
  tolerance, the unit whose multiplier is 1), matching (a subquestion without text is a
  spare answer), ordering (the core type: answers in their right order) and cloze
  (multianswer: short-answer, number and drop-down sub-questions become typed blanks;
  multi-response sub-questions are refused, naming the blank).
- `generalfeedback` is the explanation, `idnumber` the key, the category path (without
  `$course$/top/`) and `<tags>` the topics.
- Descriptions, essays and types Quizdeck has no form for are left out and named; anything
  else a question loses on the way in (case-sensitive matching, partial credit Quizdeck
  cannot hold, per-answer feedback, images, hints) is a note on its line.
- A `<!-- quizdeck: {...} -->` comment (written by `to_moodle_xml`) carries what Moodle has
  no place for: difficulty, level, sources, fact ids, exact weights, a cloze's instruction,
  the romanisation settings. Moodle ignores it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Comment, Element

from quizzes.domain.itemtypes import ITEM_LEVELS

from .common import (
    ImportResult,
    decode_input,
    drop_default_weights,
    new_item,
    number_text,
    unique,
)
from .gift_meta import _apply_meta
from .gift_reader import category_topic
from .moodle_cloze import read_cloze
from .moodle_essay import read_essay
from .moodle_files import carried_images
from .moodle_syntax import (
    META_PREFIX,
    XmlRefused,
    child_text,
    field_text,
    number_problem,
    parse_xml,
    plain_text,
    prompt_text,
    read_fraction,
    read_number,
    shown,
)

# Feedback fields a Quizdeck item has no place for.
_COMBINED = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")
_LEFT_OUT = {
    "description": "a description is text without a question; Quizdeck has no text-only "
    "item, so it is left out",
}


def from_moodle_xml(data: str | bytes) -> ImportResult:
    """Read a Moodle XML question file. Never raises on bad input: problems come back as
    `errors` (nothing may then be written), questions left out as `skipped`."""
    result = ImportResult()
    text = decode_input(data, result)
    if text is None:
        return result
    try:
        root, lines = parse_xml(text)
    except XmlRefused as refused:
        result.error(refused.line, str(refused))
        return result
    if root.tag != "quiz":
        result.error(
            lines.get(root, 1),
            f"this is XML but not a Moodle question file: it starts with <{root.tag}>, "
            "Moodle's starts with <quiz>",
        )
        return result
    topic = ""
    keys_seen: dict[str, int] = {}
    for element in root:
        if element.tag is Comment:
            continue
        line = lines.get(element, 1)
        if element.tag != "question":
            result.warn(line, f"<{element.tag}> is not a question; it was left out")
            continue
        kind = element.get("type", "")
        if kind == "category":
            topic = _category_topic(element)
            result.categories.append(topic)
            continue
        question = _Question(element, line, result)
        item = question.read(kind)
        if item is None:
            continue
        item["topics"] = unique(question.tags() + ([topic] if topic else []))
        key = item["key"]
        if key and key in keys_seen:
            result.error(line, f"idnumber '{key}' is already used on line {keys_seen[key]}")
            continue
        if result.add_item(line, item):
            keys_seen[key] = line
            result.titles[line] = question.name
    return result


def _category_topic(element: Element) -> str:
    category = element.find("category")
    if category is None:
        return ""
    path = child_text(category) or (category.text or "").strip()
    topic = category_topic(path)
    return "" if topic in ("top", "") else topic


class _Question:
    """One `<question>`: `read` returns its item, or None when it is left out or wrong."""

    def __init__(self, element: Element, line: int, result: ImportResult) -> None:
        self.element = element
        self.line = line
        self.result = result
        self.name = child_text(element.find("name"))
        self.failed = False
        self.meta = self._meta()

    def warn(self, message: str) -> None:
        self.result.warn(self.line, message)

    def error(self, message: str) -> None:
        self.result.error(self.line, message)
        self.failed = True

    def leave_out(self, reason: str) -> None:
        """A sound question Quizdeck cannot grade the same way: listed as left out."""
        self.result.skipped.append((self.line, f"“{self.name}”: {reason}"))
        self.failed = True

    def read(self, kind: str) -> dict[str, Any] | None:
        reader = _READERS.get(kind)
        if reader is None:
            reason = _LEFT_OUT.get(kind) or (
                f"Moodle's question type '{kind}' has no Quizdeck form, so it is left out"
            )
            self.result.skipped.append((self.line, f"“{self.name}”: {reason}"))
            return None
        item = reader(self)
        if item is None or self.failed:
            return None
        item["explanation"] = item["explanation"] or self.text("generalfeedback")
        item["key"] = child_text(self.element, "idnumber")
        self._notes()
        self._keep_images(item)
        self._apply_meta(item)
        return item

    def _keep_images(self, item: dict[str, Any]) -> None:
        for name, data in carried_images(self.element, item, self.warn).items():
            if self.result.files.setdefault(name, data) != data:
                self.warn(
                    f"another question has a different image called {shown(name)}; this "
                    "question shows that one"
                )

    # -- fields ------------------------------------------------------------------------

    def text(self, name: str, element: Element | None = None) -> str:
        """A question text or feedback as Markdown (HTML kept for the page to sanitise)."""
        value, text_format = field_text(self.element if element is None else element, name)
        return prompt_text(value, text_format)

    def answers(self, typed: bool = False) -> list[tuple[str, float, str, Element]]:
        """(plain text, fraction, feedback, element) of each `<answer>`. A `typed` answer
        (short answer, number) is what students type, matched as it stands in Moodle too."""
        found = []
        for answer in self.element.findall("answer"):
            try:
                fraction = read_fraction(answer.get("fraction"))
            except ValueError:
                fraction_text = shown(answer.get("fraction") or "")
                self.error(f"the answer fraction '{fraction_text}' is not a number")
                continue
            text = child_text(answer)
            if not typed:
                text = plain_text(text, answer.get("format", ""))
            found.append((text, fraction, self.text("feedback", answer), answer))
        return found

    def tags(self) -> list[str]:
        return [child_text(tag) for tag in self.element.iterfind("tags/tag") if child_text(tag)]

    def _meta(self) -> dict[str, Any]:
        for child in self.element:
            if child.tag is Comment and (child.text or "").strip().startswith(META_PREFIX):
                raw = (child.text or "").strip()[len(META_PREFIX) :]
                try:
                    loaded = json.loads(raw)
                except ValueError:
                    self.warn("the quizdeck comment is not valid JSON; it was ignored")
                    return {}
                if isinstance(loaded, dict):
                    return loaded
                self.warn("the quizdeck comment is not a JSON object; it was ignored")
        return {}

    def _apply_meta(self, item: dict[str, Any]) -> None:
        meta = dict(self.meta)
        level = meta.pop("level", None)
        if level in ITEM_LEVELS:
            item["level"] = level
        elif level is not None:
            self.warn("ignored field(s) of the quizdeck comment: level")
        key = meta.pop("key", None)
        if isinstance(key, str) and not item["key"]:
            item["key"] = key
        for name in ("weights", "fractions", "hangul", "rubric", "max_points"):
            meta.pop(name, None)  # read by the type's own reader
        _apply_meta(item, meta, self.line, self.result)

    def _notes(self) -> None:
        """Notes on what Moodle holds and Quizdeck does not, shared by every type."""
        lost = [name.replace("feedback", "") for name in _COMBINED if self.text(name)]
        if lost:
            self.warn(
                "the feedback Moodle shows for "
                + ", ".join(
                    {"correct": "right", "partiallycorrect": "partly right", "incorrect": "wrong"}[
                        n
                    ]
                    for n in lost
                )
                + " answers is not carried (the explanation is shown to everyone)"
            )
        if any(child_text(hint) for hint in self.element.findall("hint")):
            self.warn("hints are not carried: Quizdeck shows the explanation after answering")
        grade = child_text(self.element, "defaultgrade")
        try:
            if grade and read_number(grade) != 1 and self.element.get("type") != "essay":
                self.warn(
                    f"worth {number_text(read_number(grade))} marks in Moodle; every "
                    "Quizdeck item counts the same"
                )
        except ValueError:
            pass


# -- the types ----------------------------------------------------------------------------


def _multichoice(q: _Question) -> dict[str, Any] | None:
    answers = q.answers()
    single = child_text(q.element, "single").lower() in ("true", "1")
    options = [
        {"text": text, "correct": fraction > 0} | ({"why": why} if why else {})
        for text, fraction, why, _ in answers
    ]
    if single:
        full = [text for text, fraction, _, _ in answers if fraction == 1]
        if len(full) != 1:
            q.error(
                f"a single-answer question needs exactly one answer worth 100%; this one has "
                f"{len(full)}"
            )
            return None
        for option, (text, fraction, _, _) in zip(options, answers, strict=True):
            option["correct"] = fraction == 1
            if 0 < fraction < 1:
                q.warn(
                    f"partial credit for '{shown(text)}' ({fraction:.0%}) is not carried: single "
                    "choice scores right or wrong"
                )
            elif fraction < 0:
                q.warn(f"the penalty for '{shown(text)}' ({fraction:.0%}) is not carried")
        return new_item("single", q.text("questiontext"), {"options": options})
    weights = q.meta.get("weights")
    if isinstance(weights, list) and len(weights) == len(options):
        for option, weight in zip(options, weights, strict=True):
            option["weight"] = weight
    else:
        for option, (_, fraction, _, _) in zip(options, answers, strict=True):
            option["weight"] = fraction
        _scale_right_weights(q, options)
        drop_default_weights(options)
    return new_item("multi", q.text("questiontext"), {"options": options})


def _scale_right_weights(q: _Question, options: list[dict[str, Any]]) -> None:
    """Quizdeck's right options add up to 100%; Moodle files (from 1.9 on) may give each
    right answer 100%, capping the total when the question is graded. The total is said to
    four digits: rounded to a whole percent, 99.67% would read as the 100% it is not."""
    right = sum(option["weight"] for option in options if option["weight"] > 0)
    if right > 0 and abs(right - 1) > 1e-6:
        q.warn(
            f"the right answers add up to {right * 100:.4g}% in Moodle; Quizdeck scales them "
            "to add up to 100%, so each scores its share"
        )
        for option in options:
            if option["weight"] > 0:
                option["weight"] /= right


def _truefalse(q: _Question) -> dict[str, Any] | None:
    answers = q.answers()
    right = [text.lower() for text, fraction, _, _ in answers if fraction == 1]
    if len(right) != 1 or right[0] not in ("true", "false"):
        q.error("a true/false question needs 'true' or 'false' worth 100%")
        return None
    feedback = "\n\n".join(why for _, _, why, _ in answers if why)
    explanation = ""
    if feedback and q.text("generalfeedback"):
        q.warn("the feedback on each answer is not carried; the general feedback is")
    elif feedback:
        explanation = feedback
    item = new_item("truefalse", q.text("questiontext"), {"answer": right[0] == "true"})
    item["explanation"] = explanation
    return item


def _credit(q: _Question, text: str, fraction: float) -> float:
    """An answer's credit as Quizdeck holds it: a penalty (below 0%) counts as no credit."""
    if fraction < 0:
        q.warn(f"the penalty for '{shown(text)}' ({fraction:.0%}) is not carried: it scores 0")
        return 0.0
    return fraction


def _exact_fractions(q: _Question, answers: list[dict[str, Any]]) -> None:
    """Fractions as Quizdeck wrote them (Moodle's file keeps 7 decimals), when the quizdeck
    comment still matches the answers."""
    exact = q.meta.get("fractions")
    if isinstance(exact, list) and len(exact) == len(answers):
        for answer, fraction in zip(answers, exact, strict=True):
            if isinstance(fraction, int | float) and abs(fraction - answer["fraction"]) < 1e-6:
                answer["fraction"] = fraction


def _short_answers(q: _Question) -> list[dict[str, Any]]:
    kept = []
    feedback = False
    for text, fraction, why, _ in q.answers(typed=True):
        feedback = feedback or bool(why)
        if text == "*":
            q.warn("the catch-all answer '*' is not carried")
        elif text:
            # A 0% answer stays: it is a known wrong answer, never forgiven as a typo.
            kept.append({"text": text, "fraction": _credit(q, text, fraction)})
    if feedback:
        q.warn("the feedback on each answer is not carried")
    _exact_fractions(q, kept)
    return kept


def _shortanswer(q: _Question) -> dict[str, Any] | None:
    if child_text(q.element, "usecase") == "1":
        q.warn("Moodle matched these answers case-sensitively; Quizdeck ignores case")
    answers = _short_answers(q)
    hangul = q.meta.get("hangul")
    if isinstance(hangul, dict):
        for index, name in hangul.items():
            if str(index).isdigit() and int(index) < len(answers) and isinstance(name, str):
                answers[int(index)]["hangul"] = name
    return new_item("short", q.text("questiontext"), {"answers": answers})


def _numerical(q: _Question) -> dict[str, Any] | None:
    answers = []
    feedback = False
    for text, fraction, why, element in q.answers(typed=True):
        if text == "*":
            q.warn("the catch-all answer '*' is not carried")
            continue
        spread = child_text(element, "tolerance") or "0"
        try:
            value = read_number(text)
        except ValueError as error:
            q.error(f"the answer {number_problem(text, error)}")
            return None
        try:
            tolerance = abs(read_number(spread))
        except ValueError as error:
            q.error(f"the tolerance of answer '{shown(text)}': {number_problem(spread, error)}")
            return None
        answers.append(
            {"value": value, "tolerance": tolerance, "fraction": _credit(q, text, fraction)}
        )
        feedback = feedback or bool(why)
    if feedback:
        q.warn("the feedback on each answer is not carried")
    _exact_fractions(q, answers)
    unit = ""
    for entry in q.element.iterfind("units/unit"):
        name = child_text(entry, "unit_name")
        try:
            multiplier = read_number(child_text(entry, "multiplier") or "1")
        except ValueError:
            multiplier = 0.0
        if multiplier == 1 and not unit:
            unit = name
        elif name:
            q.warn(
                f"the unit '{name}' (×{child_text(entry, 'multiplier')}) is not carried: "
                "Quizdeck reads the number in one unit"
            )
    if unit and child_text(q.element, "unitgradingtype") not in ("", "0"):
        q.warn("Moodle graded the unit too; Quizdeck shows the unit and grades the number")
    return new_item("numeric", q.text("questiontext"), {"answers": answers, "unit": unit})


def _matching(q: _Question) -> dict[str, Any] | None:
    pairs, spare = [], []
    for sub in q.element.findall("subquestion"):
        left = plain_text(child_text(sub), sub.get("format", ""))
        right = child_text(sub.find("answer"))  # a menu entry: plain text in Moodle too
        if left:
            pairs.append({"left": left, "right": right})
        elif right:
            spare.append(right)
    return new_item("matching", q.text("questiontext"), {"pairs": pairs, "distractors": spare})


def _ordering(q: _Question) -> dict[str, Any] | None:
    answers = sorted(q.answers(), key=lambda answer: answer[1])
    if any(why for _, _, why, _ in answers):
        q.warn("the feedback on each item is not carried")
    count = child_text(q.element, "selectcount")
    if child_text(q.element, "selecttype") not in ("", "0", "ALL") and count not in ("", "0"):
        q.warn(f"Moodle showed {count} of the items at a time; Quizdeck shows all of them")
    return new_item("ordering", q.text("questiontext"), {"items": [a[0] for a in answers]})


_READERS: dict[str, Callable[[_Question], dict[str, Any] | None]] = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
    "ordering": _ordering,
    "essay": read_essay,
    "cloze": read_cloze,
    "multianswer": read_cloze,
}
