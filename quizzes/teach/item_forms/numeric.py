"""The editor form of numeric items (templates/items/numeric/edit.html shows it)."""

from __future__ import annotations

from typing import Any

from wtforms import FieldList, Form, FormField, StringField
from wtforms.validators import Length

from quizzes.teach.item_forms.base import (
    InRange,
    ItemForm,
    ListSpec,
    NumberField,
    percent_field,
    strip_text,
)


class NumericAnswerEntry(Form):
    value = NumberField("Value")
    tolerance = NumberField(
        "Tolerance ±",
        default=0,
        validators=[
            InRange(
                0,
                None,
                "Tolerance cannot be negative: it is how far either side of the value an "
                "answer may be.",
            )
        ],
    )
    credit = percent_field("Credit %")


class NumericItemForm(ItemForm):
    item_type = "numeric"
    LISTS = {
        "answers": ListSpec(
            "answer",
            "Answers",
            {"value": None, "tolerance": 0, "credit": 100},
            1,
            "value",
            movable=True,
        )
    }
    MESSAGE_FIELDS = (("tolerance", "answers"), ("answer", "answers"), ("unit", "unit"))
    answers = FieldList(FormField(NumericAnswerEntry), min_entries=0)
    unit = StringField(
        "Unit, shown after the answer box (optional)",
        filters=[strip_text],
        validators=[Length(max=40)],
    )

    def filled(self) -> list[Any]:
        return [entry.form for entry in self.answers.entries if entry.form.value.data is not None]

    def check(self) -> None:
        filled = self.filled()
        if not filled and not any(e.form.value.errors for e in self.answers.entries):
            self.group("answers", "Give the right value.")
        elif filled and not any(f.credit.data == 100 for f in filled):
            self.group("answers", "One answer must be worth full credit (100%).")
        for form in filled:
            if form.credit.data is None and not form.credit.errors:
                form.credit.errors.append("Give the credit for this answer, from 0 to 100%.")

    @classmethod
    def load(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "answers": [
                {
                    "value": a["value"],
                    "tolerance": a.get("tolerance", 0),
                    "credit": round(float(a.get("fraction", 1.0)) * 100, 4),
                }
                for a in data.get("answers", [])
            ],
            "unit": data.get("unit", ""),
        }

    def item_data(self) -> dict[str, Any]:
        return {
            "answers": [
                {
                    "value": form.value.data,
                    "tolerance": form.tolerance.data or 0.0,
                    "fraction": round((form.credit.data or 0) / 100, 6),
                }
                for form in self.filled()
            ],
            "unit": self.unit.data or "",
        }


FORM = NumericItemForm
