"""What the single-choice and multiple-response editor forms share: a list of options."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, Form, StringField
from wtforms.validators import Length

from quizzes.teach.item_forms.base import (
    MAX_SHORT,
    ItemForm,
    ListSpec,
    repeats,
    strip_text,
)


class OptionEntry(Form):
    text = StringField("Text", filters=[strip_text], validators=[Length(max=MAX_SHORT)])
    correct = BooleanField("Right answer")
    why = StringField(
        "Feedback if chosen (optional)", filters=[strip_text], validators=[Length(max=MAX_SHORT)]
    )


def weight_given(form: Any) -> bool:
    return "weight" in form and form.weight.data is not None


class ChoiceItemForm(ItemForm):
    LISTS = {
        "options": ListSpec(
            "option", "Options", {"text": "", "correct": False, "why": ""}, 4, "text"
        )
    }
    MESSAGE_FIELDS = (
        ("option", "options"),
        ("right answer", "options"),
        ("weight", "options"),
    )
    minimum = 2
    kind = "single-choice"
    keep_order = BooleanField(
        "Keep this order: do not shuffle the options (for “All of the above” or a scale)"
    )

    def filled_options(self) -> list[tuple[int, Any]]:
        filled = []
        for index, entry in enumerate(self.options.entries):
            form = entry.form
            if form.text.data:
                filled.append((index, form))
            elif form.correct.data or form.why.data or weight_given(form):
                form.text.errors.append("This option has no text: write it or remove the option.")
        return filled

    def check_options(self) -> list[tuple[int, Any]]:
        filled = self.filled_options()
        for index, earlier in repeats([(i, form.text.data) for i, form in filled]):
            self.options.entries[index].form.text.errors.append(
                f"This option repeats option {earlier + 1}."
            )
        if len(filled) < self.minimum:
            self.group(
                "options",
                f"A {self.kind} item needs at least {self.minimum} options; it has {len(filled)}.",
            )
        return filled

    @classmethod
    def load(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "options": [
                {"text": o["text"], "correct": bool(o.get("correct")), "why": o.get("why", "")}
                for o in data.get("options", [])
            ],
            "keep_order": data.get("keep_order") is True,
        }

    def item_data(self) -> dict[str, Any]:
        options = []
        for entry in self.options.entries:
            form = entry.form
            if not form.text.data:
                continue
            option: dict[str, Any] = {"text": form.text.data, "correct": bool(form.correct.data)}
            if form.why.data:
                option["why"] = form.why.data
            options.append(option)
        return {"options": options, **({"keep_order": True} if self.keep_order.data else {})}
