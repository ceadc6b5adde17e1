"""The item editor: one WTForms form per question type, in <type>.py here (docs/ITEMS.md).

Each type's module holds its form (`FORM`) and the entries of its lists; base.py holds what
every form shares (prompt, explanation, sources, topics, difficulty, lists that grow and
shrink without JavaScript, error placement). ITEM_FORMS is derived from the item-type
registry, so a type registered in quizzes.domain.itemtypes finds its form here by name.
"""

from __future__ import annotations

from importlib import import_module

from quizzes.domain.itemtypes import ITEM_TYPES, TYPE_HINTS, TYPE_LABELS
from quizzes.teach.item_forms.base import ItemForm, ListSpec, NumberField

ITEM_FORMS: dict[str, type[ItemForm]] = {
    name: import_module(f"{__name__}.{name}").FORM for name in ITEM_TYPES
}

__all__ = ["ITEM_FORMS", "TYPE_HINTS", "TYPE_LABELS", "ItemForm", "ListSpec", "NumberField"]
