"""What a bank asks for, in numbers: levels, true/false keys, bare dates and numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from quizzes.domain.checker import reading
from quizzes.domain.checker.kinds import form_kinds
from quizzes.domain.facts import FIELD_TYPES, FieldType

LEVELS = ("remember", "understand", "analyse")
DEFAULT_LEVEL = "remember"
_NUMBERS = {FieldType.DATE, FieldType.YEAR, FieldType.COUNT, FieldType.ORDINAL}


def level_of(item: Mapping[str, Any]) -> str:
    """The item's level tag; an item written before levels existed asks for recall."""
    level = item.get("level")
    return level if isinstance(level, str) and level in LEVELS else DEFAULT_LEVEL


def asks_bare_date_or_number(item: Mapping[str, Any]) -> bool:
    """The answer is only a date or a number: a numeric item, one whose every answer (every
    blank, every matched answer) is a date or a number, or a generated item that asks for a
    fact's date or number field (a true/false statement with the year changed)."""
    field = reading.asked_field(item)
    if (
        reading.type_of(item) == "numeric"
        or field == "figures"
        or FIELD_TYPES.get(field or "") in _NUMBERS
    ):
        return True
    if reading.type_of(item) == "matching":
        pairs = reading.data_of(item).get("pairs")
        answers = [str(p.get("right", "")) for p in pairs or [] if isinstance(p, Mapping)]
    else:
        answers = reading.answers(item)
    return bool(answers) and all(form_kinds(text) for text in answers)


def profile(items: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The `levels`, `true_false` (and per topic) and `bare_date_or_number` keys of
    `flask bank stats`."""
    levels = dict.fromkeys(LEVELS, 0)
    true_false = {"true": 0, "false": 0}
    by_topic: dict[str, dict[str, int]] = {}
    bare = 0
    for item in items:
        levels[level_of(item)] += 1
        if reading.type_of(item) == "truefalse":
            key = "true" if reading.data_of(item).get("answer") is True else "false"
            true_false[key] += 1
            for topic in reading.topics_of(item):
                by_topic.setdefault(topic, {"true": 0, "false": 0})[key] += 1
        bare += asks_bare_date_or_number(item)
    return {
        "levels": levels,
        "true_false": true_false,
        "true_false_by_topic": dict(sorted(by_topic.items())),
        "bare_date_or_number": bare,
    }
