"""One set of limits for everything that enters Quizdeck: sizes, counts, text lengths, time.

The editor forms, every import (cards, question sets, fact files) and the items generated
from facts read their limits here, so a text the editor refuses cannot come in through a
file instead. SECURITY.md ("Limits") lists them for operators. Pure: no Flask, no clock of
its own (a Deadline is given the clock to read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

# -- sizes (bytes) ------------------------------------------------------------------------
UPLOAD_BYTES = 2 * 1024 * 1024  # any request body (MAX_CONTENT_LENGTH); any text import
# An Anki package: its collection unpacked (however it is packed), far above any deck the
# upload size lets in as text, far below what would fill memory or a disk.
COLLECTION_BYTES = 64 * 1024 * 1024
ZIP_ENTRIES = 10_000  # members of an .apkg (media files are members; none is read)
# A zip member that unpacks to more than this must not be packed tighter than ZIP_RATIO:
# deflate reaches about 1000:1 only on data made to be a bomb.
ZIP_RATIO_FLOOR = 4 * 1024 * 1024
ZIP_RATIO = 200
NOTE_BYTES = 256 * 1024  # one Anki note's fields together, HTML and all
NOTES_BYTES = 32 * 1024 * 1024  # all notes of a collection together
TEXT_LINES = 100_000  # lines of a card text file (a 2,000-card file has ~2,000)
QUESTION_CHARS = 128 * 1024  # characters of one GIFT question with its answers and feedback

# -- counts -------------------------------------------------------------------------------
ITEMS_PER_IMPORT = 2000  # questions in one set import or one fact file's generated set
CARDS_PER_IMPORT = 2000  # cards (notes, lines) in one card import
FACTS_PER_FILE = 2000  # facts in one uploaded fact file (each makes at least one item)
NUMBER_DIGITS = 40  # digits of one number in a JSON set, a fact file or a study setting
PROBLEMS_PER_FILE = 100  # problems listed for one import; reading stops there

# -- text lengths (characters), the editor forms' own ------------------------------------
ITEM_TEXT = 5000  # a prompt, an explanation, the sources, a cloze text, a typed-in list
ITEM_SHORT = 1000  # one option, accepted answer, pair side, list entry or option feedback
TOPIC = 80  # item_topics.topic, a fact's topic
ITEM_KEY = 255  # items.key
TITLE = 200  # a set's or deck's title
CARD_SIDE = 4000  # a card's front or back
CARD_SOURCE = 500  # cards.source
CARD_TAG = 80

# -- time ---------------------------------------------------------------------------------
IMPORT_SECONDS = 10.0  # reading one upload, whatever its format (gunicorn kills at 30 s)
# SQLite virtual-machine steps while reading one Anki collection: a deterministic cap that
# holds even without a clock (reading 2,000 notes takes well under a million).
SQLITE_STEPS = 50_000_000
SQLITE_STEPS_PER_CHECK = 10_000


class TimeUp(Exception):
    """Reading an upload took longer than IMPORT_SECONDS."""


@dataclass(frozen=True)
class Deadline:
    """A moment on a given clock (seconds, e.g. time.monotonic) after which work stops."""

    clock: Callable[[], float]
    at: float

    @classmethod
    def after(cls, seconds: float, clock: Callable[[], float]) -> Deadline:
        return cls(clock, clock() + seconds)

    def passed(self) -> bool:
        return self.clock() >= self.at

    def check(self) -> None:
        if self.passed():
            raise TimeUp(TIME_UP_MESSAGE)


TIME_UP_MESSAGE = (
    f"reading the file took longer than {IMPORT_SECONDS:g} seconds, the most Quizdeck "
    "spends on one upload. Split it into smaller files"
)


# -- while a file is read -------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """The bounds of one import in progress: the set-format parsers check them each time
    they keep an item or note a problem (interop.common.ImportResult), so a file stops
    being read at the first item past the cap or the deadline, not after all of it."""

    deadline: Deadline | None = None
    max_items: int = ITEMS_PER_IMPORT
    max_problems: int = PROBLEMS_PER_FILE


_READING: ContextVar[Reading | None] = ContextVar("quizdeck_reading", default=None)


@contextmanager
def reading(bounds: Reading) -> Iterator[None]:
    token = _READING.set(bounds)
    try:
        yield
    finally:
        _READING.reset(token)


class ReadingStopped(Exception):
    """Raised out of a parser when its import must stop; carries what was read so far."""

    def __init__(self, result: Any, line: int, reason: str) -> None:
        super().__init__(reason)
        self.result, self.line, self.reason = result, line, reason


def stop_if_bounded(result: Any, line: int, items: int, problems: int) -> None:
    """Raise ReadingStopped (with `result`, read so far) when the import in progress must
    stop: the parsers' ImportResult calls this as it keeps each item or problem."""
    reason = reading_stop(items, problems)
    if reason is not None:
        raise ReadingStopped(result, line, reason)


def reading_stop(items: int, problems: int) -> str | None:
    """Why reading must stop now, or None: past the deadline, or past a cap (the first
    one over it is counted, so the message can say "more than")."""
    bounds = _READING.get()
    if bounds is None:
        return None
    if bounds.deadline is not None and bounds.deadline.passed():
        return TIME_UP_MESSAGE
    if items > bounds.max_items:
        return (
            f"the file holds {items:,} questions; Quizdeck imports at most "
            f"{bounds.max_items:,} at once, so it stopped reading at the first one too many. "
            "Split the file and import the parts one by one"
        )
    if problems >= bounds.max_problems:
        return f"reading stopped after {bounds.max_problems} problems: fix these first"
    return None


# -- item texts -----------------------------------------------------------------------------


def _data_texts(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, text) for every string inside an item's type-specific data."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _data_texts(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            yield from _data_texts(inner, f"{path}[{index + 1}]")


# Long texts inside an item's data, by path (a cloze's text): the rest are short, one per
# field (an option's "options[2].text").
_LONG_DATA_TEXTS = frozenset({"text"})


def item_text_problems(item: Mapping[str, Any]) -> list[str]:
    """Texts of an item dict (docs/ITEMS.md) longer than the editor allows, as messages."""
    problems = []
    for name, label in (("prompt", "question"), ("explanation", "explanation")):
        text = item.get(name)
        if isinstance(text, str) and len(text) > ITEM_TEXT:
            problems.append(
                f"the {label} has {len(text):,} characters; at most {ITEM_TEXT:,} "
                "(as in the editor)"
            )
    sources = item.get("sources") or []
    if isinstance(sources, list):
        total = sum(len(s) for s in sources if isinstance(s, str)) + max(len(sources) - 1, 0)
        if total > ITEM_TEXT:
            problems.append(f"the sources have {total:,} characters; at most {ITEM_TEXT:,}")
    for where, text in _data_texts(item.get("data")):
        field_name = where.rsplit(".", 1)[-1].split("[", 1)[0]
        limit = ITEM_TEXT if where in _LONG_DATA_TEXTS else ITEM_SHORT
        if len(text) > limit:
            problems.append(
                f"the {field_name or 'answer'} “{text[:30]}…” has {len(text):,} characters; "
                f"at most {limit:,} (as in the editor)"
            )
            break  # one is enough to say why; the rest follow once it is fixed
    topics = item.get("topics") or []
    for topic in topics if isinstance(topics, list) else []:
        if isinstance(topic, str) and len(topic) > TOPIC:
            problems.append(
                f"the topic tag “{topic[:30]}…” has {len(topic)} characters; "
                f"a tag has at most {TOPIC}"
            )
    key = item.get("key") or ""
    if isinstance(key, str) and len(key) > ITEM_KEY:
        problems.append(f"the item key has {len(key)} characters; at most {ITEM_KEY}")
    return problems


def too_many_digits(text: str) -> bool:
    """A number written with more digits than any setting or answer needs (int() of
    thousands of digits is slow, and Python refuses past 4,300)."""
    return sum(ch.isdigit() for ch in text) > NUMBER_DIGITS
