"""Reading a typed flashcard answer before the quiz graders see it. Pure.

A quiz asks for true or false with two radio buttons, whose values the truefalse item
type reads; a flashcard gets free text, so the natural ways of saying it are read here.
The quiz parser stays as strict as its form.
"""

from __future__ import annotations

import re

ASK_TRUE_OR_FALSE = "Type true or false (yes/no and t/f work too)."
ASK_NUMBER = "Type a number, such as 2014 or 3.5."

_WORDS = {
    **dict.fromkeys(("true", "t", "yes", "y"), True),
    **dict.fromkeys(("false", "f", "no", "n"), False),
}
# Punctuation and spaces around the word ("Yes!", "'false'", "(t)"), not inside it.
_AROUND = re.compile(r"^[\W_]+|[\W_]+$")


def read_true_false(text: str) -> bool | None:
    """True or False from true/false, t/f, yes/no or y/n in any case; None otherwise."""
    return _WORDS.get(_AROUND.sub("", text).casefold())


def echo(typed: str, read_as: str) -> str:
    """What was typed, and how it was read when that differs ("y (read as True)")."""
    if typed.strip().casefold() == read_as.casefold():
        return typed.strip()
    return f"{typed.strip()} (read as {read_as})"
