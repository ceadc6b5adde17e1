"""The HTML a page may show: one allow-list of formatting tags and attributes, used by the
Markdown renderer (quizzes/web/rendering.py) and by card imports, which keep an Anki
field's formatting (bold, italics, lists, line breaks) instead of flattening it. Pure."""

from __future__ import annotations

import html
import re

import nh3

BLOCK_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "blockquote",
        "pre",
        "code",
        "ul",
        "ol",
        "li",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "dl",
        "dt",
        "dd",
    }
)
INLINE_TAGS = frozenset(
    {
        "a",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "del",
        "ins",
        "sub",
        "sup",
        "code",
        "kbd",
        "mark",
        "small",
        "span",
        "abbr",
        "q",
        "br",
        "img",
    }
)
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# What an imported card side keeps: the formatting, without images (media are counted and
# left out until they are stored) nor <span> (Anki's spans only carry styles, which go).
FIELD_TAGS = (BLOCK_TAGS | INLINE_TAGS) - {"img", "span"}

_SOUND = re.compile(r"\[sound:[^\]]*\]")
# Anki's editor writes each line as a <div>: a line break here (div is not kept).
_DIV_EDGE = re.compile(r"(?:</?div\b[^>]*>\s*)+", re.IGNORECASE)
_TRAILING_BREAKS = re.compile(r"^(?:\s|<br>)+|(?:\s|<br>)+$")
_TAG = re.compile(r"<[^>]*>")
_BREAKS = re.compile(r"<br\s*/?>|</(?:p|li|tr|h[1-6]|dt|dd|blockquote|pre)>", re.IGNORECASE)


def field_html(value: str) -> str:
    """An Anki field as the HTML a card side keeps: the allow-list's formatting, links to
    web pages, entities as they were; scripts, styles, classes, images and sounds go.
    Raw line breaks become spaces (in HTML they are spaces; a card side's own newline
    would be a line break)."""
    text = _SOUND.sub("", value)
    text = _DIV_EDGE.sub("<br>", text).replace("\r", "").replace("\n", " ")
    cleaned = nh3.clean(
        text,
        tags=set(FIELD_TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items() if tag in FIELD_TAGS},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    cleaned = cleaned.replace("\xa0", " ").replace("&nbsp;", " ")
    return _TRAILING_BREAKS.sub("", cleaned)


def plain_text(value: str) -> str:
    """A card side's words without markup: line breaks kept, tags gone, entities read
    (typed answers and the check for cards a deck has compare these)."""
    text = _BREAKS.sub("\n", value)
    text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
    return "\n".join(line.strip() for line in text.splitlines()).strip()
