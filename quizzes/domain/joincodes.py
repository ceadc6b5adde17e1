"""Class join codes: short, read aloud or copied from a board without mix-ups."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from random import Random

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: pairs that look alike on a projector or in handwriting.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
# Every other letter and digit. Both halves of each look-alike pair are left out, so none
# of them stands for one code character rather than another: a typed O could be a misread
# D or Q. They are refused with a message that names them, never guessed at (a wrong guess
# would put a student into a stranger's class).
NEVER_USED = "01258BILOSZ"
LENGTH = 6
_SEPARATORS = frozenset(" _.")


def generate_join_code(rng: Random, length: int = LENGTH) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def format_join_code(code: str) -> str:
    """ABCDEF -> ABC-DEF: two groups are easier to read out."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) >= 4 else code


@dataclass(frozen=True)
class TypedCode:
    """What a student typed, read as a join code."""

    code: str  # upper case, without separators: what is looked up
    never_used: str  # look-alike letters and digits that no code contains, as typed, once each
    other: str  # any other character that no code contains (#, /, é …), once each
    korean: bool  # Hangul: typed with the keyboard set to Korean

    @property
    def readable(self) -> bool:
        """Only code characters, of the right number: worth looking up."""
        return not (self.never_used or self.other or self.korean) and len(self.code) == LENGTH


def _is_separator(char: str) -> bool:
    # Spaces of every kind, and every dash: slides and documents turn "-" into an en dash.
    return char.isspace() or char in _SEPARATORS or unicodedata.category(char) == "Pd"


def _is_hangul(char: str) -> bool:
    return unicodedata.name(char, "").startswith("HANGUL")


def read_join_code(text: str) -> TypedCode:
    """Case, spaces and dashes do not matter, nor full-width forms (a CJK keyboard's
    Ｋ for K): NFKC folds them into plain letters and digits."""
    folded = unicodedata.normalize("NFKC", text or "").upper()
    code = "".join(char for char in folded if not _is_separator(char))
    return TypedCode(
        code=code,
        never_used="".join(dict.fromkeys(c for c in code if c in NEVER_USED)),
        other="".join(
            dict.fromkeys(
                c for c in code if c not in ALPHABET and c not in NEVER_USED and not _is_hangul(c)
            )
        ),
        korean=any(_is_hangul(c) for c in code),
    )


def normalise_join_code(text: str) -> str | None:
    """What a student typed, as a stored code; None if it cannot be one."""
    typed = read_join_code(text)
    return typed.code if typed.readable else None
