"""The editor form of true-or-false items (templates/items/truefalse/edit.html shows it)."""

from __future__ import annotations

from typing import Any

from wtforms import RadioField

from quizzes.teach.item_forms.base import ItemForm


class TrueFalseItemForm(ItemForm):
    item_type = "truefalse"
    prompt_label = "Statement"
    answer = RadioField(
        "The statement is", choices=[("true", "True"), ("false", "False")], validate_choice=False
    )

    def check(self) -> None:
        if self.answer.data not in ("true", "false"):
            self.answer.errors.append("Choose whether the statement is true or false.")

    @classmethod
    def load(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {"answer": "true" if data.get("answer") is True else "false"}

    def item_data(self) -> dict[str, Any]:
        return {"answer": self.answer.data == "true"}


FORM = TrueFalseItemForm
