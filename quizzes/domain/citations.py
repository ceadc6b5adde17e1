"""Citations a reader can follow: how a stored source is shown and linked.

A stored source (Item.sources, a card's item) is a bank citation {"key", "publisher",
"title", "date", "ref", "url"?}, a teacher's free text {"text"}, or a plain string. Pages
show it as publisher, “title”, date, linked to its URL (`cite`); plain-text places write
the URL out (`citation_line` for flashcards and their exports, `editable_line` for the
editor's lines and set exports). Never the bare key, unless a source has nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Citation:
    text: str
    url: str | None = None  # an http(s) address, safe to link


def is_web_address(text: str) -> bool:
    """An http(s) address with a host: the only kind of link a page makes of a source."""
    if any(char.isspace() for char in text):
        return False
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def link_of(source: Mapping[str, Any]) -> str | None:
    """The source's URL, or its reference when that is a web address."""
    for name in ("url", "ref"):
        value = str(source.get(name) or "")
        if is_web_address(value):
            return value
    return None


def cite(source: object) -> Citation:
    """How a page shows a source: publisher, “title”, date, linked where there is a URL.

    Without a URL a reference that is not one ("cable 17") is written after the date.
    """
    if isinstance(source, str):  # a flashcard's SourceLine knows its link
        return Citation(str(source), getattr(source, "url", None))
    if not isinstance(source, Mapping):
        return Citation("")
    if text := source.get("text"):
        return Citation(str(text))
    parts = [str(source["publisher"])] if source.get("publisher") else []
    if source.get("title"):
        parts.append(f"“{source['title']}”")
    if source.get("date"):
        parts.append(str(source["date"]))
    url = link_of(source)
    ref = str(source.get("ref") or "")
    if url:
        return Citation(", ".join(parts) or url, url)
    if ref:
        parts.append(ref)
    return Citation(", ".join(parts) or str(source.get("key") or ""))


class SourceLine(str):
    """A flashcard's source as one line of text that also knows its link (`url`): pages
    link the line, exports write `with_url`."""

    url: str | None

    def __new__(cls, text: str, url: str | None = None) -> SourceLine:
        line = super().__new__(cls, text)
        line.url = url
        return line

    @property
    def with_url(self) -> str:
        return f"{self}, {self.url}" if self.url and self.url not in self else str(self)


def citation_line(source: Mapping[str, Any] | str) -> SourceLine:
    """A flashcard's source: "Publisher, Title (date)", then the reference when there is
    no URL to link."""
    if isinstance(source, str):
        return SourceLine(source)
    if source.get("text"):
        return SourceLine(str(source["text"]))
    parts = [str(source[name]) for name in ("publisher", "title") if source.get(name)]
    line = ", ".join(parts) or str(source.get("key", ""))
    if source.get("date"):
        line += f" ({source['date']})"
    url = link_of(source)
    if source.get("ref") and not url:
        line += f", {source['ref']}"
    return SourceLine(line, url)


def editable_line(source: Mapping[str, Any] | str) -> str:
    """A stored citation as the line a teacher edits and a set export writes: publisher,
    title, date, then the URL (or the reference when there is none)."""
    if isinstance(source, str):
        return source
    if "text" in source:
        return str(source["text"])
    url = link_of(source)
    parts = [source.get("publisher"), source.get("title"), source.get("date")]
    parts.append(url or source.get("ref"))
    label = ", ".join(str(part) for part in parts if part)
    return label or str(source.get("key", ""))
