"""Moodle XML export: `to_moodle_xml`; reading is moodle_reader.py, which documents the
mapping both follow.

The structure is the one Moodle's own export writes (question/format/xml/format.php and its
fixtures): a `<quiz>` of `<question type="...">` elements, a category question before the
questions of each first topic, every topic also a `<tag>`. Texts are written in Moodle's
`markdown` format, which is what Quizdeck stores. What Moodle has no place for travels in a
`<!-- quizdeck: {...} -->` comment that Moodle ignores. Items Moodle XML cannot hold are left
out and reported: a type that cannot be carried says why in its own module
(FORMATS["moodle"]).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from xml.etree.ElementTree import Comment, Element, SubElement, indent, tostring

from quizzes.domain.itemtypes.essay import rubric_maximum

from .common import (
    CLOZE_DEFAULT_PROMPT,
    DEFAULT_DIFFICULTY,
    ExportIssue,
    export_problem,
    not_written,
    number_text,
    option_weights,
)
from .moodle_files import embed_images
from .moodle_syntax import META_PREFIX, embedded_short, fraction_text, plain_text, read_fraction

# Moodle's idnumber column holds 100 characters; a longer key travels in the comment.
MAX_IDNUMBER = 100
_NAME_CHARS = 60
# Characters XML 1.0 cannot hold at all (a file with them is not XML).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _Unexportable(Exception):
    pass


def to_moodle_xml(
    items: list[dict[str, Any]], images: Mapping[str, bytes] | None = None
) -> tuple[str, list[ExportIssue]]:
    """Write items as a Moodle XML question file. Returns the text and the issues: items
    Moodle XML cannot hold are left out and reported as dropped. `images` holds the bytes of
    stored images (by media name) the items show: each is embedded where it is shown."""
    issues: list[ExportIssue] = []
    quiz = Element("quiz")
    category: str | None = None
    for index, item in enumerate(items):
        key = item.get("key", "") if isinstance(item, dict) else ""
        key = key if isinstance(key, str) else ""
        problem = export_problem(item) or _not_written(item["type"])
        if problem:
            issues.append(ExportIssue(index, key, problem, True))
            continue
        try:
            question = _question(item, index)
            embed_images(question, images or {})
        except _Unexportable as exc:
            issues.append(ExportIssue(index, key, str(exc), True))
            continue
        topic = item["topics"][0] if item["topics"] else ""
        if topic != category:
            quiz.append(_category(topic))
            category = topic
        quiz.append(question)
    indent(quiz, space="  ")
    body = tostring(quiz, encoding="unicode", short_empty_elements=False)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", issues


def _category(topic: str) -> Element:
    question = Element("question", type="category")
    _text(SubElement(question, "category"), "$course$/top" + (f"/{topic}" if topic else ""))
    return question


def _text(parent: Element, value: str) -> Element:
    SubElement(parent, "text").text = value
    return parent


def _field(parent: Element, name: str, value: str, text_format: str = "markdown") -> Element:
    return _text(SubElement(parent, name, format=text_format), value)


def _name(item: dict[str, Any], index: int) -> str:
    source = item["prompt"] if item["type"] != "cloze" else item["data"]["text"]
    words = " ".join(plain_text(source, "html").split())
    if len(words) > _NAME_CHARS:
        words = words[: _NAME_CHARS - 1].rstrip() + "…"
    return words or item["key"] or f"Question {index + 1}"


def _question(item: dict[str, Any], index: int) -> Element:
    question = Element("question", type=_MOODLE_TYPES[item["type"]])
    meta: dict[str, Any] = {}
    if item["difficulty"] != DEFAULT_DIFFICULTY:
        meta["difficulty"] = item["difficulty"]
    for name in ("sources", "fact_ids"):
        if item[name]:
            meta[name] = item[name]
    if item.get("level", "remember") != "remember":
        meta["level"] = item["level"]
    comment_at = len(question)
    _text(SubElement(question, "name"), _name(item, index))
    prompt = item["prompt"] if item["type"] != "cloze" else ""
    questiontext = _field(question, "questiontext", prompt)
    _field(question, "generalfeedback", item["explanation"])
    SubElement(question, "defaultgrade").text = "1"
    SubElement(question, "penalty").text = "0.3333333"
    SubElement(question, "hidden").text = "0"
    key = item["key"]
    SubElement(question, "idnumber").text = key if len(key) <= MAX_IDNUMBER else ""
    if len(key) > MAX_IDNUMBER:
        meta["key"] = key
    _WRITERS[item["type"]](question, item, meta)
    if item["type"] == "cloze":
        questiontext.set("format", "plain_text")
    if item["topics"]:
        tags = SubElement(question, "tags")
        for topic in item["topics"]:
            _text(SubElement(tags, "tag"), topic)
    if any(_NOT_XML.search(text) for text in question.itertext()):
        raise _Unexportable("a text holds control characters, which XML cannot hold")
    if meta:
        question.insert(comment_at, Comment(_comment_text(meta)))
    return question


def _comment_text(meta: dict[str, Any]) -> str:
    """The quizdeck comment: JSON in which "--" (which would end an XML comment) is escaped."""
    text = json.dumps(meta, ensure_ascii=False, sort_keys=True)
    while "--" in text:
        text = text.replace("--", "-\\u002d")
    if _NOT_XML.search(text):
        text = json.dumps(meta, ensure_ascii=True, sort_keys=True).replace("--", "-\\u002d")
    return f" {META_PREFIX} {text} "


def _answer(
    parent: Element, fraction: float | str, text: str, why: str = "", text_format: str = "markdown"
) -> Element:
    value = fraction if isinstance(fraction, str) else fraction_text(fraction)
    answer = _text(SubElement(parent, "answer", fraction=value, format=text_format), text)
    _field(answer, "feedback", why)
    return answer


def _write_choice(question: Element, item: dict[str, Any], meta: dict[str, Any]) -> None:
    options = item["data"]["options"]
    single = item["type"] == "single"
    SubElement(question, "single").text = "true" if single else "false"
    SubElement(question, "shuffleanswers").text = "true"
    SubElement(question, "answernumbering").text = "abc"
    if single:
        weights = [1.0 if option["correct"] else 0.0 for option in options]
    else:
        weights = option_weights(options)
        if any("weight" in option for option in options):
            meta["weights"] = weights  # exact, where Moodle's 7 decimals round
    for option, weight in zip(options, weights, strict=True):
        _answer(question, weight, option["text"], option.get("why", ""))


def _keep_exact_fractions(answers: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    """Fractions Moodle's 7 decimals would round (1/3) travel exactly in the comment."""
    fractions = [answer.get("fraction", 1.0) for answer in answers]
    if any(read_fraction(fraction_text(f)) != f for f in fractions):
        meta["fractions"] = fractions


def _write_truefalse(question: Element, item: dict[str, Any], meta: dict[str, Any]) -> None:
    answer = item["data"]["answer"]
    _answer(question, 1.0 if answer else 0.0, "true", text_format="moodle_auto_format")
    _answer(question, 0.0 if answer else 1.0, "false", text_format="moodle_auto_format")


def _write_short(question: Element, item: dict[str, Any], meta: dict[str, Any]) -> None:
    data = item["data"]
    SubElement(question, "usecase").text = "0"
    hangul = {}
    for number, answer in enumerate(data["answers"]):
        if answer["text"].strip() == "*":
            raise _Unexportable("the answer '*' would read back as Moodle's catch-all")
        _answer(
            question, answer.get("fraction", 1.0), answer["text"], text_format="moodle_auto_format"
        )
        if answer.get("hangul"):
            hangul[str(number)] = answer["hangul"]
    if hangul:
        meta["hangul"] = hangul
    _keep_exact_fractions(data["answers"], meta)
    if "romanised" in data:
        meta["romanised"] = data["romanised"]


def _write_numeric(question: Element, item: dict[str, Any], meta: dict[str, Any]) -> None:
    data = item["data"]
    for answer in data["answers"]:
        element = _answer(
            question,
            answer.get("fraction", 1.0),
            number_text(answer["value"]),
            text_format="moodle_auto_format",
        )
        SubElement(element, "tolerance").text = number_text(answer.get("tolerance", 0.0))
    _keep_exact_fractions(data["answers"], meta)
    if data["unit"]:
        unit = SubElement(SubElement(question, "units"), "unit")
        SubElement(unit, "multiplier").text = "1"
        SubElement(unit, "unit_name").text = data["unit"]
        # The unit is shown beside the answer and not graded, as in Quizdeck.
        SubElement(question, "unitgradingtype").text = "0"
        SubElement(question, "unitpenalty").text = "0.1000000"
        SubElement(question, "showunits").text = "3"
        SubElement(question, "unitsleft").text = "0"


def _write_matching(question: Element, item: dict[str, Any], meta: dict[str, Any]) -> None:
    SubElement(question, "shuffleanswers").text = "true"
    pairs = [(pair["left"], pair["right"]) for pair in item["data"]["pairs"]]
    for left, right in pairs + [("", spare) for spare in item["data"]["distractors"]]:
        sub = _field(question, "subquestion", left)
        _text(SubElement(sub, "answer"), right)


def _write_ordering(question: Element, item: dict[str, Any], meta: dict[str, Any]) -> None:
    for name, value in (
        ("layouttype", "VERTICAL"),
        ("selecttype", "ALL"),
        ("selectcount", "0"),
        # Credit for each pair of items in the right order, as Quizdeck grades it.
        ("gradingtype", "RELATIVE_ALL_PREVIOUS_AND_NEXT"),
        ("showgrading", "SHOW"),
        ("numberingstyle", "none"),
    ):
        SubElement(question, name).text = value
    for position, entry in enumerate(item["data"]["items"], 1):
        _answer(question, f"{position}.0000000", entry)


def _write_cloze(question: Element, item: dict[str, Any], meta: dict[str, Any]) -> None:
    data = item["data"]
    for blank in data["blanks"]:
        for answer in blank["answers"]:
            if "\\" in answer or answer.strip() == "*":
                raise _Unexportable(
                    f"the answer {answer!r} cannot be written in Moodle's cloze syntax exactly"
                )
    text = re.sub(
        r"\{(\d+)\}",
        lambda mark: embedded_short(data["blanks"][int(mark.group(1)) - 1]["answers"]),
        data["text"],
    )
    question.find("questiontext").find("text").text = text  # type: ignore[union-attr]
    if item["prompt"] != CLOZE_DEFAULT_PROMPT:
        meta["prompt"] = item["prompt"]
    if "romanised" in data:
        meta["romanised"] = data["romanised"]


def _write_essay(question: Element, item: dict[str, Any], meta: dict[str, Any]) -> None:
    data = item["data"]
    rubric = data.get("rubric")
    # Moodle marks an essay out of its default grade; a rubric has no place in Moodle's
    # essay and travels in the comment, its maximum as the grade.
    if rubric:
        meta["rubric"] = rubric
    elif data.get("max_points") == 1:
        meta["max_points"] = 1  # said, not the default
    points = rubric_maximum(rubric) if rubric else data.get("max_points", 1)
    question.find("defaultgrade").text = number_text(points)  # type: ignore[union-attr]
    question.find("penalty").text = "0"  # type: ignore[union-attr]
    for name, value in (
        ("responseformat", "editor"),
        ("responserequired", "1"),
        ("responsefieldlines", "10"),
        ("minwordlimit", ""),
        ("maxwordlimit", str(data["word_limit"]) if "word_limit" in data else ""),
        ("attachments", "0"),
        ("attachmentsrequired", "0"),
    ):
        SubElement(question, name).text = value
    _field(question, "graderinfo", data.get("grader_info", ""))
    _field(question, "responsetemplate", data.get("template", ""), "plain_text")


# Moodle's name for each Quizdeck type it carries, and how it is written. A type Moodle XML
# cannot carry declares why in its own module (FORMATS["moodle"]);
# tests/domain/itemtypes/test_itemtypes_complete.py checks that every type is one or the other.
_MOODLE_TYPES = {
    "single": "multichoice",
    "multi": "multichoice",
    "truefalse": "truefalse",
    "short": "shortanswer",
    "numeric": "numerical",
    "ordering": "ordering",
    "matching": "matching",
    "cloze": "cloze",
    "essay": "essay",
}
_WRITERS: dict[str, Callable[[Element, dict[str, Any], dict[str, Any]], None]] = {
    "single": _write_choice,
    "multi": _write_choice,
    "truefalse": _write_truefalse,
    "short": _write_short,
    "numeric": _write_numeric,
    "ordering": _write_ordering,
    "matching": _write_matching,
    "cloze": _write_cloze,
    "essay": _write_essay,
}
WRITTEN_TYPES = frozenset(_WRITERS)


def _not_written(item_type: str) -> str:
    """Why Moodle XML leaves out a (valid) item of this type; "" when it writes it."""
    return not_written(item_type, "moodle", _WRITERS, "Moodle XML")
