"""Class join codes: short, read aloud or copied from a board without mix-ups."""

from __future__ import annotations

import re
from random import Random

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: pairs that look alike on a projector or in handwriting.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 6
_SEPARATORS = re.compile(r"[\s\-_.]+")


def generate_join_code(rng: Random, length: int = LENGTH) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def format_join_code(code: str) -> str:
    """ABCDEF -> ABC-DEF: two groups are easier to read out."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) >= 4 else code


def normalise_join_code(text: str) -> str | None:
    """What a student typed, as a stored code; None if it cannot be one.

    Case, spaces and dashes do not matter. Characters outside the alphabet are never
    guessed at: a wrong guess would put a student into a stranger's class.
    """
    code = _SEPARATORS.sub("", text or "").upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code
