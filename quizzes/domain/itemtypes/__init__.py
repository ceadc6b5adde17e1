"""Question types: one module per type, looked up by the item's "type" (docs/ITEMS.md).

A type is its module here (quizzes/domain/itemtypes/<type>.py: schema, validation,
presentation, grading, label, hint, difficulty, listing, item analysis, flashcards, what
each file format carries of it), its editor form (quizzes/teach/item_forms/<type>.py) and
its templates (templates/items/<type>/). Registering it is one line in ITEM_TYPES; every
table that lists types is derived from REGISTRY, and tests/domain/itemtypes/
test_itemtypes_complete.py fails when a type lacks a piece.
"""

from collections.abc import Mapping
from importlib import import_module
from typing import Any, cast

from quizzes.domain.itemtypes.base import FILE_FORMATS, FormatSupport, Grade, ItemType

# The registered types, in the order pickers and lists show them.
ITEM_TYPES: tuple[str, ...] = (
    "single",
    "multi",
    "truefalse",
    "short",
    "numeric",
    "ordering",
    "matching",
    "cloze",
    "essay",
)

REGISTRY: dict[str, ItemType] = {
    name: cast(ItemType, import_module(f"{__name__}.{name}")) for name in ITEM_TYPES
}

# What students and teachers call each type ("Single choice"), for pickers and badges.
TYPE_LABELS: dict[str, str] = {name: module.LABEL for name, module in REGISTRY.items()}
# One line per type for the editor: how students answer it.
TYPE_HINTS: dict[str, str] = {name: module.HINT for name, module in REGISTRY.items()}

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


def format_support(item_type: str, file_format: str) -> FormatSupport:
    """Whether `file_format` can carry `item_type`, as the type declares it."""
    module = REGISTRY.get(item_type) if isinstance(item_type, str) else None
    if module is None:
        return FormatSupport(False, f"Quizdeck has no question type {item_type!r}")
    return module.FORMATS[file_format]


def listed_prompt(snapshot: Mapping[str, Any]) -> str:
    """A question in one line (progress, item analysis), from an attempt's snapshot."""
    item_type = snapshot.get("type")
    module = REGISTRY.get(item_type) if isinstance(item_type, str) else None
    prompt = snapshot.get("prompt", "")
    return module.listed_prompt(prompt, snapshot.get("view", {})) if module else prompt


__all__ = [
    "FILE_FORMATS",
    "ITEM_FIELDS",
    "ITEM_LEVELS",
    "ITEM_TYPES",
    "OPTIONAL_ITEM_FIELDS",
    "REGISTRY",
    "TYPE_HINTS",
    "TYPE_LABELS",
    "FormatSupport",
    "Grade",
    "ItemType",
    "format_support",
    "listed_prompt",
    "validate_item",
]


def chosen_feedback(
    item_type: str, view: Mapping[str, Any], key: Mapping[str, Any], response: Any
) -> tuple[tuple[str, str], ...]:
    """(option, the teacher's feedback on it) for each option the response chose, for the
    types whose options carry feedback (an optional piece: types without options have none)."""
    module = REGISTRY.get(item_type) if isinstance(item_type, str) else None
    pick = getattr(module, "chosen_feedback", None)
    return tuple(pick(view, key, response)) if pick else ()
