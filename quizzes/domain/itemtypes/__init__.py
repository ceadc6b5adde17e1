"""Question types: one module per type, looked up by the item's "type" (docs/ITEMS.md)."""

from collections.abc import Mapping
from typing import Any

from quizzes.domain.itemtypes import (
    cloze,
    matching,
    multi,
    numeric,
    ordering,
    short,
    single,
    truefalse,
)
from quizzes.domain.itemtypes.base import Grade, ItemType

REGISTRY: dict[str, ItemType] = {
    "single": single,
    "multi": multi,
    "truefalse": truefalse,
    "short": short,
    "numeric": numeric,
    "ordering": ordering,
    "matching": matching,
    "cloze": cloze,
}

ITEM_TYPES: tuple[str, ...] = tuple(REGISTRY)
# The keys of an item dict (docs/ITEMS.md), in the order files and exports write them.
ITEM_FIELDS: tuple[str, ...] = (
    "key",
    "type",
    "prompt",
    "data",
    "explanation",
    "sources",
    "topics",
    "difficulty",
    "fact_ids",
)
# What an item asks of the student (docs/ITEMS.md): recall, explain/compare, weigh evidence.
ITEM_LEVELS: tuple[str, ...] = ("remember", "understand", "analyse")
# Keys an item dict may carry beyond ITEM_FIELDS, with the value assumed when absent.
OPTIONAL_ITEM_FIELDS: dict[str, Any] = {"level": "remember"}


def validate_item(item: Any) -> list[str]:
    """Problems with a whole item dict: its type, then the type's own checks."""
    if not isinstance(item, Mapping):
        return ["An item must be a dict"]
    item_type = item.get("type")
    if not isinstance(item_type, str) or item_type not in REGISTRY:
        return [f"Unknown question type {item_type!r}"]
    return REGISTRY[item_type].validate(item.get("prompt", ""), item.get("data"))


__all__ = [
    "ITEM_FIELDS",
    "ITEM_LEVELS",
    "ITEM_TYPES",
    "OPTIONAL_ITEM_FIELDS",
    "REGISTRY",
    "Grade",
    "ItemType",
    "validate_item",
]
