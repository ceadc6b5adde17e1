"""GIFT's tags, id and `// quizdeck: {...}` comment, as the reader takes them back: what GIFT
has no place for (difficulty, sources, fact ids, a cloze's instruction, a numeric unit,
`romanised`, an essay's word limit, template and rubric) travels in that comment, which
Moodle ignores (gift_writer.py writes it)."""

from __future__ import annotations

import json
from typing import Any

from quizzes.domain.itemtypes import REGISTRY

from .common import DEFAULT_DIFFICULTY, ImportResult
from .gift_syntax import _ID, _META_KEYS, _META_PREFIX, _TAG, _Block


def _read_comments(block: _Block, result: ImportResult) -> tuple[list[str], str, dict[str, Any]]:
    comment_text = "\n".join(line for _, line in block.comments)
    tags = [m.group(1).replace("\\]", "]").strip() for m in _TAG.finditer(comment_text)]
    id_match = _ID.search(comment_text)
    key = id_match.group(1).replace("\\]", "]").strip() if id_match else ""
    meta: dict[str, Any] = {}
    for number, line in block.comments:
        if not line.startswith(_META_PREFIX):
            continue
        try:
            loaded = json.loads(line[len(_META_PREFIX) :])
        except ValueError:
            loaded = None
        if not isinstance(loaded, dict):
            result.warn(number, "the quizdeck comment is not a JSON object; it was ignored")
            continue
        meta.update(loaded)
    return [t for t in tags if t], key, meta


def _apply_meta(
    item: dict[str, Any], meta: dict[str, Any], line: int, result: ImportResult
) -> None:
    """Put back what `to_gift` stored in the quizdeck comment; a value that does not fit is
    reported and left out rather than rejecting a good question over a comment."""
    ignored = sorted(set(meta) - _META_KEYS)
    difficulty = meta.get("difficulty", DEFAULT_DIFFICULTY)
    if _is_fraction(difficulty):
        item["difficulty"] = difficulty
    else:
        ignored.append("difficulty")
    for name in ("sources", "fact_ids"):
        value = meta.get(name, [])
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            item[name] = value
        else:
            ignored.append(name)
    for name, item_type in (("prompt", "cloze"), ("unit", "numeric")):
        if name not in meta:
            continue
        if item["type"] != item_type or not isinstance(meta[name], str):
            ignored.append(name)
        elif name == "prompt":
            item["prompt"] = meta[name]
        else:
            item["data"]["unit"] = meta[name]
    if "romanised" in meta:
        if item["type"] in ("short", "cloze") and isinstance(meta["romanised"], bool):
            item["data"]["romanised"] = meta["romanised"]
        else:
            ignored.append("romanised")
    if "essay" in meta:
        settings = meta["essay"]
        if item["type"] == "essay" and isinstance(settings, dict) and not essay_problems(settings):
            item["data"] = settings
        else:
            ignored.append("essay")
    if ignored:
        result.warn(line, "ignored field(s) of the quizdeck comment: " + ", ".join(ignored))


def essay_problems(settings: dict[str, Any]) -> list[str]:
    """An essay's settings from the comment must be what the essay type itself accepts."""
    module = REGISTRY["essay"]
    return module.check_data(settings) or module.validate("?", settings)


def _is_fraction(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and 0 <= value <= 1  # false for NaN
    )
