"""The editor form of matching items (templates/items/matching/edit.html shows it)."""

from __future__ import annotations

from typing import Any

from wtforms import FieldList, Form, FormField, StringField, TextAreaField
from wtforms.validators import Length

from quizzes.teach.item_forms.base import (
    MAX_SHORT,
    MAX_TEXT,
    ItemForm,
    ListSpec,
    lines_of,
    repeats,
    strip_text,
)


class PairEntry(Form):
    left = StringField("Left", filters=[strip_text], validators=[Length(max=MAX_SHORT)])
    right = StringField("Right", filters=[strip_text], validators=[Length(max=MAX_SHORT)])


class MatchingItemForm(ItemForm):
    item_type = "matching"
    LISTS = {"pairs": ListSpec("pair", "Pairs", {"left": "", "right": ""}, 3, "left")}
    MESSAGE_FIELDS = (
        ("distractor", "distractors"),
        ("pair", "pairs"),
        ("left", "pairs"),
        ("right", "pairs"),
    )
    pairs = FieldList(FormField(PairEntry), min_entries=0)
    distractors = TextAreaField(
        "Extra wrong right-hand choices, one per line (optional)",
        filters=[strip_text],
        validators=[Length(max=MAX_TEXT)],
    )

    @classmethod
    def new_defaults(cls) -> dict[str, Any]:
        return {"prompt": "Match each item on the left with one on the right."}

    def check(self) -> None:
        complete = []
        for index, entry in enumerate(self.pairs.entries):
            form = entry.form
            if form.left.data and form.right.data:
                complete.append((index, form))
            elif form.left.data:
                form.right.errors.append(
                    "This pair has no right side: write it or remove the pair."
                )
            elif form.right.data:
                form.left.errors.append("This pair has no left side: write it or remove the pair.")
        if len(complete) < 2:
            self.group("pairs", f"A matching item needs at least 2 pairs; it has {len(complete)}.")
        for side in ("left", "right"):
            texts = [(i, form[side].data) for i, form in complete]
            for index, earlier in repeats(texts):
                self.pairs.entries[index].form[side].errors.append(
                    f"This {side} side repeats pair {earlier + 1}."
                )
        rights = {" ".join(form.right.data.casefold().split()) for _, form in complete}
        for text in lines_of(self.distractors.data):
            if " ".join(text.casefold().split()) in rights:
                self.distractors.errors.append(
                    f"“{text}” is already a right side: a distractor must be wrong for every pair."
                )

    @classmethod
    def load(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "pairs": [{"left": p["left"], "right": p["right"]} for p in data.get("pairs", [])],
            "distractors": "\n".join(data.get("distractors", [])),
        }

    def item_data(self) -> dict[str, Any]:
        return {
            "pairs": [
                {"left": e.form.left.data, "right": e.form.right.data}
                for e in self.pairs.entries
                if e.form.left.data and e.form.right.data
            ],
            "distractors": lines_of(self.distractors.data),
        }


FORM = MatchingItemForm
