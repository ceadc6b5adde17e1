"""What every question type provides, and small helpers they share."""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from random import Random
from typing import Any, Protocol, Self

from markupsafe import escape

from quizzes.domain.text import normalise

# Responses longer than this are cut: no answer needs it and edit distances stay cheap.
MAX_RESPONSE_CHARS = 1000
_INDEX = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class Grade:
    score: float  # 0..1
    correct: bool  # score == 1
    typo_forgiven: bool = False  # a short answer or blank was accepted with an edit
    notes: tuple[str, ...] = ()  # shown to the student
    variant_accepted: bool = False  # accepted as a spelling derived, not listed (notes say)
    # Awaiting a teacher's mark (an essay): score and correct say nothing yet, and the
    # answer counts neither as right nor as wrong until the mark replaces this grade.
    pending: bool = False

    @classmethod
    def of(
        cls,
        score: float,
        *,
        typo_forgiven: bool = False,
        notes: tuple[str, ...] = (),
        variant_accepted: bool = False,
    ) -> Self:
        """A grade with the score clamped to 0..1 and float noise near 0 and 1 removed."""
        score = min(1.0, max(0.0, score))
        if score > 1 - 1e-9:
            score = 1.0
        elif score < 1e-9:
            score = 0.0
        return cls(score, score == 1.0, typo_forgiven, notes, variant_accepted)


NO_ANSWER = Grade(0.0, False, notes=("No answer given.",))


def awaiting_marking(*notes: str) -> Grade:
    """The grade of an answer only a person can mark: nothing yet, and pending says so."""
    return Grade(0.0, False, notes=notes, pending=True)


# The file formats an item type must answer for: each declares what it can carry.
FILE_FORMATS: tuple[str, ...] = ("gift", "aiken", "csv", "json", "apkg", "moodle", "qti", "cc")


@dataclass(frozen=True)
class FormatSupport:
    """Whether a file format can carry a type; if not, why, in the words a teacher reads."""

    carried: bool
    reason: str = ""


CARRIED = FormatSupport(True)


def not_carried(reason: str) -> FormatSupport:
    return FormatSupport(False, reason)


@dataclass(frozen=True)
class CardCloze:
    """An item exported as an Anki Cloze note, as its type writes it: the text field's HTML
    after the prompt, with {{c1::...}} markers, and what the back adds (HTML, or "")."""

    text: str
    back_extra: str = ""


class ItemType(Protocol):
    """The API of one question-type module (see docs/ITEMS.md, "One module per type")."""

    NAME: str  # the item's "type"
    LABEL: str  # what students and teachers call it ("Single choice")
    HINT: str  # one line for the editor: how students answer it
    PROMPT_REQUIRED: bool  # False where the data holds the question (a cloze's text)
    BASE_DIFFICULTY: float  # the generator's starting estimate (0 easy .. 1 hard)
    FREE_PARTS: int | None  # parts (options, pairs, blanks) before each adds difficulty
    FORMATS: Mapping[str, FormatSupport]  # one entry per FILE_FORMATS
    EXAMPLE: tuple[str, dict]  # (prompt, data) of a well-formed question, for tests and docs

    def check_data(self, data: dict) -> list[str]: ...

    def validate(self, prompt: str, data: Any) -> list[str]: ...

    def present(self, data: dict, rng: Random) -> tuple[dict, dict]: ...

    def parse_response(self, view: dict, form: Mapping[str, list[str]]) -> Any | None: ...

    def grade(self, view: dict, key: dict, response: Any | None) -> Grade: ...

    def describe_key(self, view: dict, key: dict) -> str: ...

    def describe_response(self, view: dict, response: Any | None) -> str: ...

    def listed_prompt(self, prompt: str, view: dict) -> str: ...

    def key_options(self, view: dict) -> int: ...

    def counted_answer(self, view: dict, response: Any | None) -> tuple[str, ...]: ...

    def choice_list(self, view: dict, key: dict) -> list[tuple[str, bool]] | None: ...

    def flashcards(self, item: Mapping[str, Any], common: dict[str, Any]) -> list: ...

    def card_front(self, view: dict) -> str: ...

    def card_cloze(self, data: dict) -> CardCloze | None: ...


# -- defaults a type module takes by name when it has nothing of its own ----------------


def prompt_as_listed(prompt: str, view: dict) -> str:
    """A question listed in one line (progress, item analysis): its prompt."""
    return prompt


def no_key_options(view: dict) -> int:
    """Types answered by typing or in lists: the number keys pick nothing."""
    return 0


def no_choice_list(view: dict, key: dict) -> None:
    """Item analysis lists options only for types that have them."""
    return None


def no_card_cloze(data: dict) -> CardCloze | None:
    """The item is exported as a Basic note: the prompt and card_front, then the key."""
    return None


def no_card_front(view: dict) -> str:
    """An exported card's front (an Anki note of a question set) has the prompt only."""
    return ""


def lettered_options_front(view: dict) -> str:
    """Single and multi choice: the options as a list lettered A, B, C (Anki's card)."""
    options = "".join(f"<li>{escape(option)}</li>" for option in view["options"])
    return f"<ol type='A'>{options}</ol>"


def bullet_list(texts: list[str], suffix: str = "") -> str:
    return "<ul>" + "".join(f"<li>{escape(text)}{suffix}</li>" for text in texts) + "</ul>"


def no_flashcards(item: Mapping[str, Any], common: dict[str, Any]) -> list:
    """Types whose prompt is no question without its options on screen make no card."""
    return []


# -- reading forms: never trust their shape ---------------------------------------------


def form_values(form: Any, name: str) -> list[str]:
    """The strings submitted under `name`, whatever the form looks like."""
    if not isinstance(form, Mapping):
        return []
    values = form.get(name)
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        return []
    return [value[:MAX_RESPONSE_CHARS] for value in values if isinstance(value, str)]


def parse_index(value: str, count: int) -> int | None:
    """A display index 0..count-1 written as a plain decimal, else None."""
    value = value.strip()
    if not _INDEX.fullmatch(value):
        return None
    index = int(value)
    return index if index < count else None


def first_text(form: Any, name: str) -> str | None:
    """The first non-blank string submitted under `name`, stripped."""
    for value in form_values(form, name):
        if value.strip():
            return value.strip()
    return None


def shuffled_order(count: int, rng: Random) -> list[int]:
    """A random permutation of range(count): display position -> original index."""
    order = list(range(count))
    rng.shuffle(order)
    return order


def option_order(data: dict, rng: Random) -> list[int]:
    """The options' display order: shuffled, or as written when the item says "keep this
    order" (a list ending in "All of the above" must stay in its order)."""
    count = len(data["options"])
    return list(range(count)) if data.get("keep_order") is True else shuffled_order(count, rng)


# -- validating authored data: report problems, never raise -----------------------------


def check_prompt(prompt: Any) -> list[str]:
    if not isinstance(prompt, str) or not prompt.strip():
        return ["The question has no prompt"]
    return []


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def duplicates(texts: list[str]) -> list[str]:
    """Texts that equal an earlier one after `normalise`, in order, each once.

    Text without letters or digits ("=", "#") normalises to nothing; it is compared as
    written instead, or every such option would repeat the first.
    """
    seen: set[str] = set()
    repeated: list[str] = []
    for text in texts:
        norm = normalise(text) or " ".join(text.split())
        if norm in seen and text not in repeated:
            repeated.append(text)
        seen.add(norm)
    return repeated


def check_options(options: list[dict], minimum: int, kind: str) -> list[str]:
    """Problems shared by single and multi choice: too few, empty or repeated options."""
    problems = []
    if len(options) < minimum:
        problems.append(
            f"A {kind} item needs at least {minimum} options; this one has {len(options)}"
        )
    texts = [option.get("text") for option in options]
    if not all(is_text(text) for text in texts):
        problems.append("Every option needs text")
    for text in duplicates([text for text in texts if is_text(text)]):
        problems.append(f"The option '{text}' is listed twice")
    return problems


def list_of_dicts(data: Any, field: str) -> list[dict] | None:
    """data[field] when it is a list of dicts, else None."""
    if not isinstance(data, Mapping):
        return None
    value = data.get(field)
    if not isinstance(value, list) or not all(isinstance(entry, Mapping) for entry in value):
        return None
    return value


def format_number(value: float) -> str:
    """1822.0 -> "1822", 0.5 -> "0.5", no float noise."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.10g}"
