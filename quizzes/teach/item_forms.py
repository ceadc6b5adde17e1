"""The item editor: one WTForms form per question type (docs/ITEMS.md).

Every form reads an item's `data` into fields (`load`) and builds it back (`item_data`).
Mistakes get a message on the field (or on the list of options, pairs...) they concern.
The form checks what a teacher commonly gets wrong in words that say how to fix it; then
the type's own `validate()` from the registry has the last word, and its messages are
placed on the field they name.

Lists (options, answers, pairs...) grow and shrink without JavaScript: the "Add option"
and "Remove option 2" buttons submit the form with `action=add:options` or
`action=remove:options:1`, and the page comes back with one entry more or less. Lists whose
order means something (an ordering item's items; the answers, whose first full-credit one
is shown as the answer) also have "Up" and "Down" buttons (`action=move:items:1:up`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FloatField,
    Form,
    FormField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from quizzes.domain import limits
from quizzes.domain.itemtypes import REGISTRY
from quizzes.domain.text import counted, duplicate_answers, listing_key
from quizzes.once import OnceField
from quizzes.quiz.presentation import TYPE_LABELS as QUIZ_TYPE_LABELS

# The names students see on quiz pages, so both sides call a type the same.
TYPE_LABELS = QUIZ_TYPE_LABELS
ROMANISED_LABEL = (
    "Also accept other romanisations of Korean names (Thae Yongho for Tae Yong-ho, say)"
)

TYPE_HINTS = {
    "single": "Students pick one option; exactly one is right.",
    "multi": "Students tick every right option; wrong ticks cost marks.",
    "truefalse": "Students say whether a statement is true.",
    "short": "Students type a word or phrase; list the spellings you accept.",
    "numeric": "Students type a number, graded within a tolerance.",
    "ordering": "Students put items in order.",
    "matching": "Students match each left item to a right one.",
    "cloze": "Students fill blanks inside a text.",
}

MAX_TEXT = limits.ITEM_TEXT  # the limits every import holds items to as well
MAX_SHORT = limits.ITEM_SHORT
MAX_TOPIC = limits.TOPIC
# The blank markers quizzes.domain.itemtypes.cloze reads.
BLANK_MARK = re.compile(r"\{(\d{1,4})\}")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class NumberField(FloatField):
    """A float field whose parse error tells the teacher what to type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(*args, **kwargs)

    def _value(self) -> str:
        # 2014, not 2014.0: years and counts read as a teacher typed them.
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, float):
            return str(int(self.data)) if self.data.is_integer() else repr(self.data)
        return super()._value()

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = (
            valuelist[0].strip().replace(",", ".") if valuelist[0].count(",") == 1 else valuelist[0]
        )
        try:
            self.data = float(text)
        except ValueError:
            self.data = None
            raise ValueError("Type a number, such as 2.5 or -3.") from None
        if self.data != self.data or self.data in (float("inf"), float("-inf")):
            self.data = None
            raise ValueError("Type an ordinary number, such as 2.5 or -3.")


class InRange:
    """Like NumberRange, but silent when there is no number (the parse error already spoke)."""

    def __init__(self, low: float | None, high: float | None, message: str) -> None:
        self.low, self.high, self.message = low, high, message

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is None:
            return
        if (self.low is not None and field.data < self.low) or (
            self.high is not None and field.data > self.high
        ):
            raise ValidationError(self.message)


def _percent(label: str) -> NumberField:
    return NumberField(
        label, default=100, validators=[InRange(0, 100, "Credit is a percentage from 0 to 100.")]
    )


# -- list entries --------------------------------------------------------------------------


class OptionEntry(Form):
    text = StringField("Text", filters=[_strip], validators=[Length(max=MAX_SHORT)])
    correct = BooleanField("Right answer")
    why = StringField(
        "Feedback if chosen (optional)", filters=[_strip], validators=[Length(max=MAX_SHORT)]
    )


class WeightedOptionEntry(OptionEntry):
    weight = NumberField(
        "Weight % (optional)",
        validators=[InRange(-100, 100, "A weight is a percentage from -100 to 100.")],
    )


class ShortAnswerEntry(Form):
    text = StringField("Accepted answer", filters=[_strip], validators=[Length(max=MAX_SHORT)])
    credit = _percent("Credit %")


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
    credit = _percent("Credit %")


class PairEntry(Form):
    left = StringField("Left", filters=[_strip], validators=[Length(max=MAX_SHORT)])
    right = StringField("Right", filters=[_strip], validators=[Length(max=MAX_SHORT)])


class BlankEntry(Form):
    answers = TextAreaField(
        "Accepted answers, one per line", filters=[_strip], validators=[Length(max=MAX_TEXT)]
    )


@dataclass(frozen=True)
class ListSpec:
    noun: str  # "option": buttons say "Add option", "Remove option 2"
    legend: str
    blank: Any  # the data of a new, empty entry
    start: int  # entries on a new item's form
    first_field: str | None  # the sub-field that gets focus in a new entry
    # Whether the order of the entries matters, so they get "Up" and "Down" buttons.
    movable: bool = False


# Move buttons name their entry by its text ("Move “Tae Yong-ho defects” up"), cut at a word
# end within this many characters; static/js/teach.js cuts the same way.
TITLE_CHARS = 60


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _duplicates(
    texts: list[tuple[int, str]], same: Callable[[str], str] | None = None
) -> Iterator[tuple[int, int]]:
    """(index, index of the earlier equal text) for each repeat, ignoring case, or by the
    key `same` gives (accepted answers: quizzes.domain.text.listing_key, as graders see)."""
    seen: dict[str, int] = {}
    for index, text in texts:
        folded = same(text) if same else " ".join(text.casefold().split())
        if folded in seen:
            yield index, seen[folded]
        else:
            seen[folded] = index


# -- the forms ----------------------------------------------------------------------------


class ItemForm(FlaskForm):
    """What every item has. Subclasses add the type's answer key."""

    item_type: ClassVar[str] = ""
    LISTS: ClassVar[dict[str, ListSpec]] = {}
    # (words in a registry message, field or list that message is about); first match wins.
    MESSAGE_FIELDS: ClassVar[tuple[tuple[str, str], ...]] = ()
    prompt_label: ClassVar[str] = "Question"
    prompt_required: ClassVar[bool] = True

    prompt = TextAreaField("Question", filters=[_strip], validators=[Length(max=MAX_TEXT)])
    explanation = TextAreaField(
        "Explanation, shown after answering (optional)",
        filters=[_strip],
        validators=[Length(max=MAX_TEXT)],
    )
    sources = TextAreaField(
        "Sources, one per line (optional)", filters=[_strip], validators=[Length(max=MAX_TEXT)]
    )
    topics = StringField(
        "Topic tags, separated by commas (optional)",
        filters=[_strip],
        validators=[Length(max=1000)],
    )
    difficulty = NumberField(
        "Difficulty from 0 (easy) to 1 (hard)",
        default=0.5,
        validators=[
            InputRequired(message="Give a difficulty from 0 (easy) to 1 (hard)."),
            InRange(0, 1, "Difficulty is a number from 0 (easy) to 1 (hard)."),
        ],
    )
    once = OnceField()  # a double click adds one item (quizzes/once.py)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prompt.label.text = self.prompt_label
        self.group_errors: dict[str, list[str]] = {}

    def validate_prompt(self, field: Field) -> None:
        if self.prompt_required and not field.data:
            raise ValidationError(f"Write the {self.prompt_label.lower()}.")

    def validate_topics(self, field: Field) -> None:
        for topic in self.topic_list():
            if len(topic) > MAX_TOPIC:
                raise ValidationError(f"A topic tag has at most {MAX_TOPIC} characters.")

    # -- loading and building ------------------------------------------------------------

    @classmethod
    def initial_data(cls, item: dict[str, Any] | None) -> dict[str, Any]:
        """Form data for an existing item (as_dict shape), or for a new one."""
        if item is None:
            data = {name: [spec.blank] * spec.start for name, spec in cls.LISTS.items()}
            data.update(cls.new_defaults())
            data["difficulty"] = 0.5
            return data
        data = cls.load(item["data"])
        data.update(
            prompt=item["prompt"],
            explanation=item.get("explanation", ""),
            sources="\n".join(item.get("sources", [])),
            topics=", ".join(item.get("topics", [])),
            difficulty=item.get("difficulty", 0.5),
        )
        return data

    @classmethod
    def new_defaults(cls) -> dict[str, Any]:
        return {}

    @classmethod
    def load(cls, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def item_data(self) -> dict[str, Any]:
        raise NotImplementedError

    def topic_list(self) -> list[str]:
        topics: list[str] = []
        for part in (self.topics.data or "").split(","):
            topic = " ".join(part.split())
            if topic and topic not in topics:
                topics.append(topic)
        return topics

    def item_fields(self) -> dict[str, Any]:
        """The validated item in the docs/ITEMS.md shape, without key and fact_ids."""
        return {
            "type": self.item_type,
            "prompt": self.prompt.data,
            "data": self.item_data(),
            "explanation": self.explanation.data or "",
            "sources": _lines(self.sources.data),
            "topics": self.topic_list(),
            "difficulty": float(self.difficulty.data),
        }

    def editable_data(self) -> dict[str, Any]:
        """The submitted values, to re-render after adding, removing or moving an entry.
        A number that did not parse comes back as typed, not as an empty box."""
        return {field.name: _as_typed(field) for field in self if field.name != "csrf_token"}

    def entry_title(self, name: str, index: int) -> str:
        """The text that names entry `index` of list `name` on its buttons ("" if empty)."""
        entry = self[name].entries[index]
        first = self.LISTS[name].first_field
        field = entry.form[first] if isinstance(entry, FormField) and first else entry
        text = " ".join(str(field._value()).split())
        if len(text) <= TITLE_CHARS:
            return text
        return text[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"  # at a word end when there is one

    # -- validating ----------------------------------------------------------------------

    def check(self) -> None:
        """Type-specific checks; add messages with field.errors.append or group()."""

    def group(self, name: str, message: str) -> None:
        self.group_errors.setdefault(name, []).append(message)

    def validate(self, extra_validators: Any = None) -> bool:
        super().validate(extra_validators)
        self.group_errors = {}
        self.check()
        if not self.error_list():
            for message in REGISTRY[self.item_type].validate(self.prompt.data, self.item_data()):
                self.place(message)
        return not self.error_list()

    def place(self, message: str) -> None:
        """Put a registry message on the field it is about, else on the whole form."""
        text = message if message.endswith(".") else message + "."
        lowered = message.lower()
        for words, target in (("prompt", "prompt"), *self.MESSAGE_FIELDS):
            if words in lowered:
                if target in self.LISTS:
                    self.group(target, text)
                else:
                    self[target].errors.append(text)
                return
        self.form_errors.append(text)

    def error_list(self) -> list[tuple[str, str, str]]:
        """(element id, what it is, message) for every error, in page order."""
        found: list[tuple[str, str, str]] = [("item-form", "Item", m) for m in self.form_errors]
        for field in self:
            if field.name == "csrf_token":
                continue
            if isinstance(field, FieldList):
                spec = self.LISTS[field.name]
                found += [
                    (f"{field.id}-group", spec.legend, m)
                    for m in self.group_errors.get(field.name, [])
                ]
                for number, entry in enumerate(field.entries, start=1):
                    subfields = entry.form if isinstance(entry, FormField) else [entry]
                    for sub in subfields:
                        label = f"{spec.noun.capitalize()} {number}"
                        if isinstance(entry, FormField):
                            label += f", {sub.label.text.lower()}"
                        found += [(sub.id, label, m) for m in sub.errors]
            else:
                found += [(field.id, field.label.text, m) for m in field.errors]
        return found

    def rows(self, name: str) -> list[Any]:
        return list(self[name].entries)


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

    def filled_options(self) -> list[tuple[int, Any]]:
        filled = []
        for index, entry in enumerate(self.options.entries):
            form = entry.form
            if form.text.data:
                filled.append((index, form))
            elif form.correct.data or form.why.data or _weight_given(form):
                form.text.errors.append("This option has no text: write it or remove the option.")
        return filled

    def check_options(self) -> list[tuple[int, Any]]:
        filled = self.filled_options()
        for index, earlier in _duplicates([(i, form.text.data) for i, form in filled]):
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
            ]
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
        return {"options": options}


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
        options = super().item_data()["options"]
        filled = [entry.form for entry in self.options.entries if entry.form.text.data]
        if all(form.weight.data is not None for form in filled):
            for option, form in zip(options, filled, strict=True):
                option["weight"] = round(form.weight.data / 100, 6)
        return {"options": options}


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
        for index, earlier in _duplicates(pairs, listing_key):
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
        return {"answers": answers, **_romanised(self)}


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
        filters=[_strip],
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


class OrderingItemForm(ItemForm):
    item_type = "ordering"
    LISTS = {"items": ListSpec("item", "Items, in the right order", "", 4, None, movable=True)}
    MESSAGE_FIELDS = (("item", "items"),)
    items = FieldList(
        StringField("Item", filters=[_strip], validators=[Length(max=MAX_SHORT)]), min_entries=0
    )

    @classmethod
    def new_defaults(cls) -> dict[str, Any]:
        return {"prompt": "Put these in order, first to last."}

    def check(self) -> None:
        filled = [(i, e.data) for i, e in enumerate(self.items.entries) if e.data]
        for index, earlier in _duplicates(filled):
            self.items.entries[index].errors.append(f"This item repeats item {earlier + 1}.")
        if len(filled) < 3:
            self.group("items", f"An ordering item needs at least 3 items; it has {len(filled)}.")

    @classmethod
    def load(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {"items": list(data.get("items", []))}

    def item_data(self) -> dict[str, Any]:
        return {"items": [entry.data for entry in self.items.entries if entry.data]}


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
        filters=[_strip],
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
            for index, earlier in _duplicates(texts):
                self.pairs.entries[index].form[side].errors.append(
                    f"This {side} side repeats pair {earlier + 1}."
                )
        rights = {" ".join(form.right.data.casefold().split()) for _, form in complete}
        for text in _lines(self.distractors.data):
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
            "distractors": _lines(self.distractors.data),
        }


class ClozeItemForm(ItemForm):
    item_type = "cloze"
    prompt_label = "Instructions"
    prompt_required = False
    LISTS = {"blanks": ListSpec("blank", "Blanks", {"answers": ""}, 2, "answers")}
    MESSAGE_FIELDS = (("text", "text"), ("blank", "blanks"))
    text = TextAreaField(
        "Text with blanks",
        filters=[_strip],
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
            elif not _lines(entry.form.answers.data):
                entry.form.answers.errors.append(f"Give at least one answer for blank {number}.")
            for text in duplicate_answers(_lines(entry.form.answers.data)):  # as short answers
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
            "blanks": [{"answers": _lines(e.form.answers.data)} for e in self.used_blanks()],
            **_romanised(self),
        }


def _romanised(form: Any) -> dict[str, bool]:
    # Written only when ticked, as bank items carry it: an item without it stays as it was.
    return {"romanised": True} if form.romanised.data else {}


def marked_blanks(text: str) -> list[int]:
    """The blank numbers a cloze text marks, in order, repeats kept."""
    return [int(number) for number in BLANK_MARK.findall(text)]


def _as_typed(field: Field) -> Any:
    """A field's data for re-rendering, keeping the text of a number that did not parse."""
    if isinstance(field, FieldList):
        return [_as_typed(entry) for entry in field.entries]
    if isinstance(field, FormField):
        return {sub.short_name: _as_typed(sub) for sub in field.form}
    if isinstance(field, NumberField) and field.data is None and field.raw_data:
        return field.raw_data[0].strip() or None
    return field.data


def _weight_given(form: Any) -> bool:
    return "weight" in form and form.weight.data is not None


ITEM_FORMS: dict[str, type[ItemForm]] = {
    form.item_type: form
    for form in (
        SingleItemForm,
        MultiItemForm,
        TrueFalseItemForm,
        ShortItemForm,
        NumericItemForm,
        OrderingItemForm,
        MatchingItemForm,
        ClozeItemForm,
    )
}
