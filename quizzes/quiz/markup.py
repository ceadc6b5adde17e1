"""Citations for result pages; Markdown is rendered by quizzes.rendering (one renderer:
the editor's preview, the quiz and the bank show an item the same way)."""

from __future__ import annotations

from quizzes.domain.citations import cite
from quizzes.rendering import render_markdown

__all__ = ["citation", "render_markdown"]


def citation(source: object) -> tuple[str, str | None]:
    """A source as one line of text, and its link when it has a web address
    (quizzes.domain.citations.cite)."""
    shown = cite(source)
    return shown.text, shown.url
