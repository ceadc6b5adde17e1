"""Text folding for comparing answers: case, spacing, punctuation, accents, romanisation.

A small local stand-in for quizzes.domain.text (written in parallel); it may be swapped later.
The fold is deliberately greedy: two strings that fold alike are treated as the same answer,
so a distractor that folds like a true answer is rejected rather than risked.
"""

from __future__ import annotations

import re
import unicodedata

_PUNCTUATION = re.compile(r"[^\w\s]|_")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an) ")

# Korean romanisations differ mostly in a word's first consonant and in a few vowels:
# Tae/Thae/Dae, Il-gyu/Il Kyu, Pak/Bak, Jo/Cho, Ri/Li, Song/Seong.
_INITIAL_FOLDS = (("ch", "j"), ("k", "g"), ("t", "d"), ("p", "b"), ("l", "r"))
_VOWEL_FOLDS = (("eo", "o"), ("oo", "u"), ("ee", "i"))


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation (hyphens, quotes) as spaces, single spaces,
    no leading article."""
    plain = text
    if not text.isascii():  # strip accents: Salmón -> Salmon
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    spaced = _PUNCTUATION.sub(" ", plain.casefold())
    collapsed = " ".join(spaced.split())
    return _LEADING_ARTICLE.sub("", collapsed)


def _fold_token(token: str) -> str:
    if token.startswith("th"):
        token = "t" + token[2:]
    for before, after in _INITIAL_FOLDS:
        if token.startswith(before):
            token = after + token[len(before) :]
            break
    for before, after in _VOWEL_FOLDS:
        token = token.replace(before, after)
    return token


def fold(text: str) -> str:
    """A comparison key: normalised, romanisation-folded, with spaces removed
    (so "Tae Yong-ho", "Thae Yong Ho" and "thae yongho" fold alike)."""
    tokens = normalise(text).split()
    folded = [_fold_token(token) for token in tokens]
    return "".join(folded)


def same_answer(first: str, second: str) -> bool:
    return fold(first) == fold(second)


def tokens(text: str) -> list[str]:
    """Normalised words, for checking whether an answer appears inside a prompt."""
    return normalise(text).split()


def contains_phrase(haystack: str, needle: str) -> bool:
    """True when the words of `needle` appear, in order and contiguous, in `haystack`."""
    hay = [_fold_token(token) for token in tokens(haystack)]
    words = [_fold_token(token) for token in tokens(needle)]
    if not words:
        return False
    width = len(words)
    return any(hay[i : i + width] == words for i in range(len(hay) - width + 1))
