"""The editor form of short-answer items (templates/items/short/edit.html shows it)."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, FieldList, Form, FormField, StringField
from wtforms.validators import Length

from quizzes.domain.text import listing_key
from quizzes.teach.item_forms.base import (
    MAX_SHORT,
    ROMANISED_LABEL,
    ItemForm,
    ListSpec,
    percent_field,
    repeats,
    romanised_flag,
    strip_text,
)


class ShortAnswerEntry(Form):
    text = StringField("Accepted answer", filters=[strip_text], validators=[Length(max=MAX_SHORT)])
    credit = percent_field("Credit %")


class ShortItemForm(ItemForm):
    item_type = "short"
    LISTS = {
        "answers": ListSpec(
            "answer", "Accepted answers", {"text": "", "credit": 100}, 2, "text", movable=True
        )
    }
    MESSAGE_FIELDS = (("answer", "answers"),)
    answers = FieldList(FormField(ShortAnswerEntry), min_entries=0)
    romanised = BooleanField(ROMANISED_LABEL)

    def filled(self) -> list[Any]:
        return [entry.form for entry in self.answers.entries if entry.form.text.data]

    def check(self) -> None:
        filled = self.filled()
        pairs = [
            (i, e.form.text.data) for i, e in enumerate(self.answers.entries) if e.form.text.data
        ]
        for index, earlier in repeats(pairs, listing_key):
            self.answers.entries[index].form.text.errors.append(
                f"This answer repeats answer {earlier + 1}."
            )
        if not filled:
            self.group("answers", "Give at least one accepted answer.")
        elif not any(form.credit.data == 100 for form in filled if not form.credit.errors):
            self.group("answers", "One accepted answer must be worth full credit (100%).")
        for form in filled:
            if form.credit.data is None and not form.credit.errors:
                form.credit.errors.append("Give the credit for this answer, from 0 to 100%.")

    @classmethod
    def load(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "answers": [
                {"text": a["text"], "credit": round(float(a.get("fraction", 1.0)) * 100, 4)}
                for a in data.get("answers", [])
            ],
            "romanised": data.get("romanised") is True,
        }

    def item_data(self) -> dict[str, Any]:
        answers = [
            {"text": form.text.data, "fraction": round((form.credit.data or 0) / 100, 6)}
            for form in self.filled()
        ]
        return {"answers": answers, **romanised_flag(self)}


FORM = ShortItemForm
