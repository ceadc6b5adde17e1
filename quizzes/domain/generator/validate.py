"""Checks that a generated item is well formed, sourced and cannot teach something false.

`validate_item` returns human-readable reasons (empty: valid). It checks the ITEMS.md shape;
sources (present, known, covering every fact's sources); facts (known; none unverified; an
R fact worded as the report's claim); options (no duplicates, enough of them, a reason for
each wrong one, no wrong option that folds like a true answer); that no answer appears in
its own prompt; and wording the bank's content file forbids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from quizzes.domain.facts import FactBase, Status
from quizzes.domain.generator.wording import forbidden_wording, read_content
from quizzes.domain.itemtypes import ITEM_FIELDS, ITEM_LEVELS, ITEM_TYPES, REGISTRY
from quizzes.domain.text import contains_phrase, fold

ITEM_KEYS = (*ITEM_FIELDS, "level")  # a generated item always says its level
TYPES = ITEM_TYPES
MIN_OPTIONS = {"single": 3, "multi": 4}
MAX_KEY_LENGTH = 255  # the items.key column
_KEY = re.compile(r"^tpl(?:\.[a-z0-9_]+)+:[a-z0-9_.]+(?:\+[a-z0-9_.]+)*$")
_BLANK = re.compile(r"\{(\d+)\}")
# The bank's own content rules live with its data (quizzes/bank/content.toml).
FORBIDDEN_WORDING = forbidden_wording(read_content())


def validate_item(item: Mapping[str, Any], base: FactBase, truths: Iterable[str] = ()) -> list[str]:
    problems = _shape(item)
    if problems:
        return problems
    # The same rules the quiz and the teacher's editor apply, so a bank item never fails them.
    problems += item_type_problems(item)
    problems += _provenance(item, base)
    problems += _options(item, truths)
    problems += _answer_in_prompt(item)
    problems += _wording(item)
    return problems


def item_type_problems(item: Mapping[str, Any]) -> list[str]:
    from quizzes.domain.itemtypes import validate_item as validate_for_type

    return validate_for_type(dict(item))


# -- shape ------------------------------------------------------------------------------


def _shape(item: Mapping[str, Any]) -> list[str]:
    missing = [key for key in ITEM_KEYS if key not in item]
    if missing:
        return [f"missing keys: {', '.join(missing)}"]
    problems = []
    extra = sorted(set(item) - set(ITEM_KEYS))
    if extra:
        problems.append(f"unexpected keys: {', '.join(extra)}")
    if item["type"] not in TYPES:
        return [f"unknown type {item['type']!r}"]
    key = item["key"]
    if not isinstance(key, str) or not _KEY.match(key) or len(key) > MAX_KEY_LENGTH:
        problems.append(f"key {key!r} is not template id + fact ids (at most 255 characters)")
    for name in ("prompt", "explanation"):
        if not isinstance(item[name], str) or not item[name].strip():
            problems.append(f"no {name}")
    if not isinstance(item["topics"], list) or not item["topics"]:
        problems.append("no topic")
    difficulty = item["difficulty"]
    if not isinstance(difficulty, float | int) or not 0 <= difficulty <= 1:
        problems.append("difficulty is not between 0 and 1")
    if item["level"] not in ITEM_LEVELS:
        problems.append(f"level {item['level']!r} is not one of {', '.join(ITEM_LEVELS)}")
    data = item["data"]
    if not isinstance(data, dict):
        return [*problems, "data is not a dict"]
    # The type's own schema, the same one imported files must meet.
    return problems + REGISTRY[item["type"]].check_data(data)


# -- provenance -------------------------------------------------------------------------


def _provenance(item: Mapping[str, Any], base: FactBase) -> list[str]:
    problems = []
    sources = item["sources"]
    if not sources:
        problems.append("no source")
    for key in sources:
        if key not in base.sources:
            problems.append(f"unknown source key {key!r}")
    if not item["fact_ids"]:
        problems.append("no fact")
    for fact_id in item["fact_ids"]:
        fact = base.fact(fact_id)
        if fact is None:
            problems.append(f"unknown fact {fact_id!r}")
            continue
        if fact.status is Status.UNVERIFIED:
            what = "true/false statement" if item["type"] == "truefalse" else "item"
            problems.append(f"{what} built from unverified (U) fact {fact_id!r}")
        if fact.status is Status.REPORT_ONLY and "report" not in _asked_text(item).casefold():
            problems.append(f"report-only (R) fact {fact_id!r} not worded as the report's claim")
        for key in fact.sources:
            if key not in sources:
                problems.append(f"does not cite source {key!r} of fact {fact_id!r}")
    return problems


def _asked_text(item: Mapping[str, Any]) -> str:
    """What the learner reads before answering."""
    if item["type"] == "cloze":
        return f"{item['prompt']} {item['data']['text']}"
    return str(item["prompt"])


# -- options ----------------------------------------------------------------------------


def _options(item: Mapping[str, Any], truths: Iterable[str]) -> list[str]:
    if item["type"] not in MIN_OPTIONS:
        return []
    options = item["data"]["options"]
    problems = []
    if len(options) < MIN_OPTIONS[item["type"]]:
        problems.append(
            f"{item['type']} with {len(options)} options (needs {MIN_OPTIONS[item['type']]})"
        )
    folded = [fold(option["text"]) for option in options]
    duplicates = sorted(
        {o["text"] for o, f in zip(options, folded, strict=True) if folded.count(f) > 1}
    )
    if duplicates:
        problems.append(f"duplicate options: {', '.join(duplicates)}")
    true_keys = {fold(text) for text in truths}
    true_keys |= {f for o, f in zip(options, folded, strict=True) if o["correct"]}
    for option, key in zip(options, folded, strict=True):
        if option["correct"]:
            continue
        if key in true_keys:
            problems.append(f"distractor {option['text']!r} is also correct")
        if not str(option.get("why", "")).strip():
            problems.append(f"wrong option {option['text']!r} has no why")
    return problems


# -- answers in prompts, wording --------------------------------------------------------


def _answer_in_prompt(item: Mapping[str, Any]) -> list[str]:
    prompt, data, kind = item["prompt"], item["data"], item["type"]
    answers: list[str] = []
    if kind in MIN_OPTIONS:
        answers = [o["text"] for o in data["options"] if o["correct"]]
    elif kind == "short":
        answers = [a["text"] for a in data["answers"]]
    elif kind == "numeric":
        answers = [_number(a["value"]) for a in data["answers"]]
    elif kind == "cloze":
        prompt = _BLANK.sub(" ", f"{prompt} {data['text']}")
        answers = [text for blank in data["blanks"] for text in blank["answers"]]
    return [
        f"answer {text!r} appears in its own prompt"
        for text in answers
        if contains_phrase(prompt, text)
    ]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def item_texts(item: Mapping[str, Any]) -> list[str]:
    """Every text a learner may read for this item."""
    data = item["data"]
    texts = [str(item["prompt"]), str(item["explanation"])]
    for option in data.get("options", []):
        texts += [str(option.get("text", "")), str(option.get("why", ""))]
    texts += [str(a.get("text", "")) for a in data.get("answers", []) if isinstance(a, dict)]
    texts += [str(data.get("text", ""))]
    texts += [str(text) for text in data.get("items", [])]
    for pair in data.get("pairs", []):
        texts += [str(pair.get("left", "")), str(pair.get("right", ""))]
    for blank in data.get("blanks", []):
        texts += [str(text) for text in blank.get("answers", [])]
    return texts


def _wording(item: Mapping[str, Any]) -> list[str]:
    problems = []
    for pattern, reason in FORBIDDEN_WORDING:
        if any(pattern.search(text) for text in item_texts(item)) and reason not in problems:
            problems.append(reason)
    return problems
