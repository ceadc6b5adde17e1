"""Guest nicknames: short, readable, unique in the session, and not abusive.

The filter folds what people use to slip a word past a list (case, accents, full-width
letters, digits and symbols for letters, repeated letters, separators) and then looks for
blocked words inside the folded name. It will not catch everything; the teacher can
rename or remove a player on the projector page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_LENGTH = 20
# Folded forms (see _fold). Kept short and plain on purpose: a classroom filter.
BLOCKED = (
    "fuck",
    "shit",
    "cunt",
    "bitch",
    "dick",
    "cock",
    "pussy",
    "whore",
    "slut",
    "nigger",
    "nigga",
    "faggot",
    "fag",
    "retard",
    "rape",
    "nazi",
    "hitler",
    "penis",
    "vagina",
    "porn",
    "sex",
    "anal",
    "twat",
    "wank",
    "bastard",
    "asshole",
    "kill",
    "die",
)
# Blocked words found inside ordinary names ("Dickens", "Skill", "Sexton", "Dieter"):
# these match only as a whole word of the name.
WHOLE_WORD_ONLY = frozenset({"dick", "fag", "anal", "die", "kill", "sex", "cock"})
_LOOKALIKES = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "!": "i",
        "|": "i",
        "3": "e",
        "4": "a",
        "@": "a",
        "5": "s",
        "$": "s",
        "7": "t",
        "+": "t",
        "8": "b",
        "9": "g",
        "€": "e",
    }
)


class NicknameRefused(ValueError):
    """The name cannot be used; the message says why, for the person who typed it."""


def clean(raw: str) -> str:
    """The name as it will be shown: NFKC (full-width letters become plain), control and
    invisible characters removed, spaces collapsed."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


def _fold(text: str) -> str:
    """Lower case, no accents, look-alike symbols as letters."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_LOOKALIKES)


def _squeezed(text: str) -> str:
    """Letters only, runs of one letter made one ('fuuuck' -> 'fuck')."""
    letters = re.sub(r"[^a-z]", "", text)
    return re.sub(r"(.)\1+", r"\1", letters)


def is_abusive(name: str) -> bool:
    folded = _fold(name)
    squeezed = _squeezed(folded)
    words = {_squeezed(word) for word in re.split(r"[^a-z]+", folded) if word}
    for word in BLOCKED:
        target = re.sub(r"(.)\1+", r"\1", word)
        if word in WHOLE_WORD_ONLY:
            if target in words or squeezed == target:
                return True
        elif target in squeezed:
            return True
    return False


def check(raw: str, taken: Iterable[str]) -> str:
    """The cleaned nickname, or NicknameRefused saying what to change."""
    name = clean(raw)
    if not name:
        raise NicknameRefused("Type a nickname.")
    if len(name) > MAX_LENGTH:
        raise NicknameRefused(f"Use at most {MAX_LENGTH} characters.")
    if not any(ch.isalnum() for ch in name):
        raise NicknameRefused("Use at least one letter or digit.")
    if is_abusive(name):
        raise NicknameRefused("Choose another nickname: this one is not allowed in class.")
    if name.casefold() in {other.casefold() for other in taken}:
        raise NicknameRefused(f"Someone here is already called {name}. Add a letter or digit.")
    return name
