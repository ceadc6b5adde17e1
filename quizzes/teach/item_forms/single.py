"""The editor form of single-choice items (templates/items/single/edit.html shows it)."""

from __future__ import annotations

from wtforms import FieldList, FormField

from quizzes.teach.item_forms.choice import ChoiceItemForm, OptionEntry


class SingleItemForm(ChoiceItemForm):
    item_type = "single"
    options = FieldList(FormField(OptionEntry), min_entries=0)

    def check(self) -> None:
        filled = self.check_options()
        right = sum(1 for _, form in filled if form.correct.data)
        if right == 0 and filled:
            self.group("options", "Mark the right answer: tick “Right answer” on one option.")
        elif right > 1:
            self.group(
                "options",
                f"A single-choice item has exactly one right answer, but {right} are marked. "
                "Untick all but one, or make it a multiple-response item.",
            )


FORM = SingleItemForm
