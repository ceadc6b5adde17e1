"""The editor form of ordering items (templates/items/ordering/edit.html shows it)."""

from __future__ import annotations

from typing import Any

from wtforms import FieldList, StringField
from wtforms.validators import Length

from quizzes.teach.item_forms.base import MAX_SHORT, ItemForm, ListSpec, repeats, strip_text


class OrderingItemForm(ItemForm):
    item_type = "ordering"
    LISTS = {"items": ListSpec("item", "Items, in the right order", "", 4, None, movable=True)}
    MESSAGE_FIELDS = (("item", "items"),)
    items = FieldList(
        StringField("Item", filters=[strip_text], validators=[Length(max=MAX_SHORT)]), min_entries=0
    )

    @classmethod
    def new_defaults(cls) -> dict[str, Any]:
        return {"prompt": "Put these in order, first to last."}

    def check(self) -> None:
        filled = [(i, e.data) for i, e in enumerate(self.items.entries) if e.data]
        for index, earlier in repeats(filled):
            self.items.entries[index].errors.append(f"This item repeats item {earlier + 1}.")
        if len(filled) < 3:
            self.group("items", f"An ordering item needs at least 3 items; it has {len(filled)}.")

    @classmethod
    def load(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {"items": list(data.get("items", []))}

    def item_data(self) -> dict[str, Any]:
        return {"items": [entry.data for entry in self.items.entries if entry.data]}


FORM = OrderingItemForm
