"""Citations for result pages; Markdown is rendered by quizzes.web.rendering (one renderer:
the editor's preview, the quiz and the bank show an item the same way)."""

from __future__ import annotations

from quizzes.web.rendering import render_markdown

__all__ = ["citation", "render_markdown"]


def citation(source: object) -> tuple[str, str | None]:
    """A source as one line of text, and its link when its reference is a web address.

    Item.sources holds {"key", "publisher", "title", "date", "ref"} or {"text"} dicts.
    """
    if isinstance(source, str):
        return source, None
    if not isinstance(source, dict):
        return "", None
    if text := source.get("text"):
        return str(text), None
    parts = [str(source[name]) for name in ("publisher", "title", "date") if source.get(name)]
    if source.get("title"):
        parts[parts.index(str(source["title"]))] = f"“{source['title']}”"
    ref = str(source.get("ref") or "")
    if ref.startswith(("https://", "http://")):
        return ", ".join(parts) or ref, ref
    if ref:
        parts.append(ref)
    return ", ".join(parts) or str(source.get("key") or ""), None
