"""Reading a typed flashcard answer before the quiz graders see it. Pure.

A type whose quiz form is not a text box reads the typed text itself (truefalse's
`typed_form`: yes/no, t/f...), and a type whose text can be unreadable says what to type
(`TYPED_ASK`); this module shows what was typed beside how it was read.
"""

from __future__ import annotations


def echo(typed: str, read_as: str) -> str:
    """What was typed, and how it was read when that differs ("y (read as True)")."""
    if typed.strip().casefold() == read_as.casefold():
        return typed.strip()
    return f"{typed.strip()} (read as {read_as})"
