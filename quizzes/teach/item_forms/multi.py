"""The editor form of multiple-response items (templates/items/multi/edit.html shows it)."""

from __future__ import annotations

from typing import Any

from wtforms import FieldList, FormField

from quizzes.teach.item_forms.base import InRange, ListSpec, NumberField
from quizzes.teach.item_forms.choice import ChoiceItemForm, OptionEntry


class WeightedOptionEntry(OptionEntry):
    weight = NumberField(
        "Weight % (optional)",
        validators=[InRange(-100, 100, "A weight is a percentage from -100 to 100.")],
    )


class MultiItemForm(ChoiceItemForm):
    item_type = "multi"
    kind = "multiple-response"
    minimum = 3
    LISTS = {
        "options": ListSpec(
            "option",
            "Options",
            {"text": "", "correct": False, "why": "", "weight": None},
            4,
            "text",
        )
    }
    options = FieldList(FormField(WeightedOptionEntry), min_entries=0)

    def check(self) -> None:
        filled = self.check_options()
        right = sum(1 for _, form in filled if form.correct.data)
        if filled and right == 0:
            self.group("options", "Mark at least one option as a right answer.")
        if filled and right == len(filled):
            self.group(
                "options",
                "Leave at least one option wrong: when every option is right, ticking "
                "everything scores full marks.",
            )
        weighted = [form for _, form in filled if form.weight.data is not None]
        if weighted and len(weighted) != len(filled):
            self.group(
                "options",
                "Give every option a weight, or leave all weights empty for the default "
                "(right options share 100%, wrong ones share -100%).",
            )

    @classmethod
    def load(cls, data: dict[str, Any]) -> dict[str, Any]:
        loaded = super().load(data)
        for row, option in zip(loaded["options"], data.get("options", []), strict=True):
            weight = option.get("weight")
            row["weight"] = None if weight is None else round(float(weight) * 100, 4)
        return loaded

    def item_data(self) -> dict[str, Any]:
        data = super().item_data()
        options = data["options"]
        filled = [entry.form for entry in self.options.entries if entry.form.text.data]
        if all(form.weight.data is not None for form in filled):
            for option, form in zip(options, filled, strict=True):
                option["weight"] = round(form.weight.data / 100, 6)
        return data


FORM = MultiItemForm
