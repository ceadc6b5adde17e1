"""What every item editor form shares; each type's own form is in <type>.py here.

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

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    Field,
    FieldList,
    FloatField,
    FormField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, ValidationError

from quizzes.domain import limits
from quizzes.domain.itemtypes import REGISTRY
from quizzes.domain.media import ALT_TEXT, clean_text_label
from quizzes.web.once import OnceField

ROMANISED_LABEL = (
    "Also accept other romanisations of Korean names (Thae Yongho for Tae Yong-ho, say)"
)

MAX_TEXT = limits.ITEM_TEXT  # the limits every import holds items to as well
MAX_SHORT = limits.ITEM_SHORT
MAX_TOPIC = limits.TOPIC


def strip_text(value: Any) -> Any:
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


def percent_field(label: str) -> NumberField:
    return NumberField(
        label, default=100, validators=[InRange(0, 100, "Credit is a percentage from 0 to 100.")]
    )


# -- list entries --------------------------------------------------------------------------


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


def lines_of(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def repeats(
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

    prompt = TextAreaField("Question", filters=[strip_text], validators=[Length(max=MAX_TEXT)])
    explanation = TextAreaField(
        "Explanation, shown after answering (optional)",
        filters=[strip_text],
        validators=[Length(max=MAX_TEXT)],
    )
    sources = TextAreaField(
        "Sources, one per line (optional)", filters=[strip_text], validators=[Length(max=MAX_TEXT)]
    )
    topics = StringField(
        "Topic tags, separated by commas (optional)",
        filters=[strip_text],
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
    once = OnceField()  # a double click adds one item (quizzes/web/once.py)
    # An image uploaded with the item: stored with the set's images on saving, and its
    # Markdown line added to the end of the question (quizzes/teach/media_views.py).
    image = FileField("Image file (optional)")
    image_alt = StringField(
        "Alt text: what the image shows",
        filters=[clean_text_label],
        validators=[Length(max=ALT_TEXT, message=f"At most {ALT_TEXT} characters.")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prompt.label.text = self.prompt_label
        self.group_errors: dict[str, list[str]] = {}

    def validate_prompt(self, field: Field) -> None:
        if REGISTRY[self.item_type].PROMPT_REQUIRED and not field.data:
            raise ValidationError(f"Write the {self.prompt_label.lower()}.")

    def validate_image_alt(self, field: Field) -> None:
        if self.image.data and not field.data:
            raise ValidationError(
                "Write the alt text: what the image shows, for those who cannot see it."
            )

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
            "sources": lines_of(self.sources.data),
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


def romanised_flag(form: Any) -> dict[str, bool]:
    # Written only when ticked, as bank items carry it: an item without it stays as it was.
    return {"romanised": True} if form.romanised.data else {}


def _as_typed(field: Field) -> Any:
    """A field's data for re-rendering, keeping the text of a number that did not parse."""
    if isinstance(field, FieldList):
        return [_as_typed(entry) for entry in field.entries]
    if isinstance(field, FormField):
        return {sub.short_name: _as_typed(sub) for sub in field.form}
    if isinstance(field, NumberField) and field.data is None and field.raw_data:
        return field.raw_data[0].strip() or None
    return field.data
