"""Authored prompts and explanations may use Markdown; raw HTML is shown as text."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable("image")


def render_markdown(text: str) -> Markup:
    # markdown-it escapes raw HTML and refuses javascript: links; nh3 is the second lock.
    return Markup(nh3.clean(_MARKDOWN.render(text or "")))


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
