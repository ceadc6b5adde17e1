"""The editor form of cloze items (templates/items/cloze/edit.html shows it)."""

from __future__ import annotations

import re
from typing import Any

from wtforms import BooleanField, FieldList, Form, FormField, TextAreaField
from wtforms.validators import DataRequired, Length

from quizzes.domain.text import counted, duplicate_answers
from quizzes.teach.item_forms.base import (
    MAX_TEXT,
    ROMANISED_LABEL,
    ItemForm,
    ListSpec,
    lines_of,
    romanised_flag,
    strip_text,
)

# The blank markers quizzes.domain.itemtypes.cloze reads.
BLANK_MARK = re.compile(r"\{(\d{1,4})\}")


class BlankEntry(Form):
    answers = TextAreaField(
        "Accepted answers, one per line", filters=[strip_text], validators=[Length(max=MAX_TEXT)]
    )


class ClozeItemForm(ItemForm):
    item_type = "cloze"
    prompt_label = "Instructions"
    LISTS = {"blanks": ListSpec("blank", "Blanks", {"answers": ""}, 2, "answers")}
    MESSAGE_FIELDS = (("text", "text"), ("blank", "blanks"))
    text = TextAreaField(
        "Text with blanks",
        filters=[strip_text],
        validators=[
            DataRequired(message="Write the text, with {1}, {2}... where the blanks go."),
            Length(max=MAX_TEXT),
        ],
    )
    blanks = FieldList(FormField(BlankEntry), min_entries=0)
    romanised = BooleanField(ROMANISED_LABEL)

    @classmethod
    def new_defaults(cls) -> dict[str, Any]:
        return {"prompt": "Fill in the blanks."}

    def used_blanks(self) -> list[Any]:
        """The blank entries that count: trailing empty ones the text does not use are dropped."""
        entries = list(self.blanks.entries)
        marked = marked_blanks(self.text.data or "")
        while entries and not entries[-1].form.answers.data and len(entries) not in marked:
            entries.pop()
        return entries

    def check(self) -> None:
        if not self.text.data:
            return
        marked = marked_blanks(self.text.data)
        entries = self.used_blanks()
        if not marked:
            self.text.errors.append("Mark each blank in the text with {1}, {2}, and so on.")
        for number in sorted(set(marked)):
            if marked.count(number) > 1:
                self.text.errors.append(f"{{{number}}} appears more than once in the text.")
            if number > len(entries):
                self.text.errors.append(
                    f"The text marks blank {{{number}}} but there "
                    f"{'is only' if len(entries) == 1 else 'are only'} "
                    f"{counted(len(entries), 'blank')}: add a blank or change the text."
                )
        for number, entry in enumerate(entries, start=1):
            if marked and number not in marked:
                entry.form.answers.errors.append(
                    f"Blank {number} is not in the text: write {{{number}}} where it goes, "
                    "or remove the blank."
                )
            elif not lines_of(entry.form.answers.data):
                entry.form.answers.errors.append(f"Give at least one answer for blank {number}.")
            for text in duplicate_answers(lines_of(entry.form.answers.data)):  # as short answers
                entry.form.answers.errors.append(
                    f"“{text}” repeats an answer of blank {number}: grading treats them alike."
                )

    @classmethod
    def load(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "text": data.get("text", ""),
            "blanks": [{"answers": "\n".join(b["answers"])} for b in data.get("blanks", [])],
            "romanised": data.get("romanised") is True,
        }

    def item_data(self) -> dict[str, Any]:
        return {
            "text": self.text.data or "",
            "blanks": [{"answers": lines_of(e.form.answers.data)} for e in self.used_blanks()],
            **romanised_flag(self),
        }


def marked_blanks(text: str) -> list[int]:
    """The blank numbers a cloze text marks, in order, repeats kept."""
    return [int(number) for number in BLANK_MARK.findall(text)]


FORM = ClozeItemForm
