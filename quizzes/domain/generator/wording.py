"""Wording a bank's items must never use, read from the bank's content file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from quizzes.domain.facts import BUILTIN_DATA_DIR

# The built-in bank's content beyond its facts (set titles, topic names, forbidden wording).
BUILTIN_CONTENT = BUILTIN_DATA_DIR.parent / "content.toml"

ForbiddenWording = tuple[tuple[re.Pattern[str], str], ...]


def read_content(path: Path = BUILTIN_CONTENT) -> dict:
    with path.open("rb") as file:
        return tomllib.load(file)


def forbidden_wording(content: dict) -> ForbiddenWording:
    """(pattern, reason) pairs from `[[forbidden_wording]]`, patterns matched ignoring case."""
    return tuple(
        (re.compile(rule["pattern"], re.IGNORECASE), str(rule["reason"]))
        for rule in content.get("forbidden_wording", [])
    )
