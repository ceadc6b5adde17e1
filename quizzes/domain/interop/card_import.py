"""What reading a file of flashcards yields, whatever its format, and the checks every
card passes on the way in (quizzes.domain.limits): the shared half of the card readers in
anki_package.py and card_text.py.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import nh3

from quizzes.domain import limits
from quizzes.domain.flashcards import card_look, validate_personal

MAX_CARDS = limits.CARDS_PER_IMPORT
MAX_TEXT = limits.CARD_SIDE  # a card's front or back (the card form's limit)
MAX_SOURCE = limits.CARD_SOURCE
MAX_TAG = limits.CARD_TAG
# Problems listed for one file: enough to see what is wrong; reading stops there.
MAX_PROBLEMS = limits.PROBLEMS_PER_FILE

_MEDIA = re.compile(r"<img\b|<audio\b|<video\b|\[sound:[^\]]*\]", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Blocks next to each other (</div><div>) make one line break, not a blank line.
_BLOCK_EDGES = re.compile(r"(?:</?(?:div|p|li|tr|h[1-6])\b[^>]*>\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class ImportedCard:
    kind: str  # "basic" or "cloze"; a cloze front keeps its {{c1::...}} blanks
    front: str
    back: str
    source: str = ""
    tags: tuple[str, ...] = ()
    reversed: bool = False
    where: str = ""  # "line 4", "note 12": where the card came from, for the preview
    # The images and sounds its sides show (anki_media.Shown), stored at confirm; not part
    # of what makes two imported cards equal (their text is).
    media: tuple = field(default=(), compare=False)

    @property
    def look(self) -> tuple[str, str]:
        """What makes two cards the same card: front and back, formatting aside."""
        return card_look(self.kind, self.front, self.back)


@dataclass(frozen=True)
class Problem:
    where: str  # "line 4", "note 12", or "" for the file as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.where.capitalize()}: {self.message}" if self.where else self.message


@dataclass
class CardImport:
    format_name: str
    cards: list[ImportedCard] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    media_fields: int = 0  # fields that showed an image or played a sound
    # Anki packages: the cleaned files the cards show (by Anki's file name), and each file
    # left out with its reason.
    media: dict = field(default_factory=dict)
    media_problems: list[str] = field(default_factory=list)
    encoding: str = ""  # how a text file's bytes were read ("UTF-8"...), for the preview

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def full_of_problems(self) -> bool:
        """Enough problems listed: the reader stops rather than list thousands."""
        return len(self.errors) + len(self.skipped) >= MAX_PROBLEMS


def refused(format_name: str, message: str) -> CardImport:
    return CardImport(format_name, errors=[Problem("", message)])


# -- Anki fields --------------------------------------------------------------------------


def field_text(value: str) -> str:
    """An Anki field's HTML as plain text: <br> and block ends become line breaks, other
    markup goes, entities are unescaped, sound tags are dropped."""
    text = _SOUND.sub("", value)
    text = _LINE_BREAK.sub("\n", _BLOCK_EDGES.sub("\n", text))
    # nh3 with no allowed tags keeps only the text (script and style contents go too);
    # what it escapes is unescaped once, after.
    text = html.unescape(nh3.clean(text, tags=set()))
    text = text.replace("\xa0", " ")
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def shows_media(value: str) -> bool:
    return _MEDIA.search(value) is not None


def media_count(fields: Iterable[str]) -> int:
    return sum(1 for value in fields if shows_media(value))


# -- checks every card passes ------------------------------------------------------------------


def add_checked(card: ImportedCard, result: CardImport) -> bool:
    problems = validate_personal(card.kind, card.front, card.back)
    problems += too_long(card.front, card.back, card.source)
    for problem in problems:
        result.errors.append(Problem(card.where, problem[0].lower() + problem[1:].rstrip(".")))
    if problems:
        return False
    result.cards.append(card)
    return True


def anki_tag_text(tag: str) -> str:
    """An Anki tag as a Quizdeck tag: Anki cannot hold a space in a tag, so exports write
    it as "_" (quizzes.transfer.anki.anki_tag) and imports read "_" as a space."""
    return tag.replace("_", " ")


def tags_of(parts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip()[:MAX_TAG] for p in parts if p.strip()))


def too_long(front: str, back: str, source: str) -> list[str]:
    problems = [
        f"the {side} has {len(text):,} characters; a card side has at most {MAX_TEXT:,}"
        for side, text in (("front", front), ("back", back))
        if len(text) > MAX_TEXT
    ]
    if len(source) > MAX_SOURCE:
        problems.append(f"the source has {len(source):,} characters; at most {MAX_SOURCE}")
    return problems


def too_many(count: int, what: str, line: int | None = None) -> Problem:
    return Problem(
        f"line {line}" if line else "",
        f"the file holds more than {MAX_CARDS:,} {what}; Quizdeck imports at most "
        f"{MAX_CARDS:,} cards at once. Split the deck and import the parts one by one",
    )


def new_cards(
    imported: CardImport, existing: Iterable[tuple[str, str]]
) -> tuple[list[ImportedCard], list[ImportedCard]]:
    """(cards to add, cards left out) where a card is left out when the deck already has a
    card with the same front and back, or an earlier card of the file is the same."""
    seen = set(existing)
    kept, repeats = [], []
    for card in imported.cards:
        if card.look in seen:
            repeats.append(card)
        else:
            seen.add(card.look)
            kept.append(card)
    return kept, repeats
