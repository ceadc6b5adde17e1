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


_PIECES = re.compile(r"(<[^>]*>)")
_MARKDOWN_SIGNS = re.compile(r"([\\`*_\[\]~|])")
_LINE_START_SIGN = re.compile(r"^( *)([#>+=-]|\d+[.)])", re.MULTILINE)
_HAS_BLOCKS = re.compile(r"<(?:p|ul|ol|li|table|blockquote|pre|h[1-6]|dl|hr)\b")


def field_markdown(value: str) -> str:
    """An Anki field as a card side, which is Markdown (with the allow-list's HTML): the
    field's formatting kept as HTML, its text escaped where Markdown would read it
    ("1950. A year" is no list, "a_b_c" no emphasis), and a <br> outside lists and
    tables written as the new line it is in a card side."""
    cleaned = field_html(value)
    if _HAS_BLOCKS.match(cleaned):
        return cleaned  # one HTML block (it has no blank line): Markdown passes it as it is
    blocks = _HAS_BLOCKS.search(cleaned) is not None
    pieces = []
    for piece in _PIECES.split(cleaned):
        if piece.startswith("<"):
            pieces.append("\n" if piece == "<br>" and not blocks else piece)
        else:
            pieces.append(_MARKDOWN_SIGNS.sub(r"\\\1", piece))
    text = "".join(pieces)
    text = "\n".join(line.lstrip(" ") for line in text.split("\n"))
    # "#", ">", "-", "+", "=" or "1." / "1)" at a line's start would make a heading, quote
    # or list: escaped.
    return _LINE_START_SIGN.sub(
        lambda m: (
            m.group(1) + "\\" + m.group(2)
            if m.group(2)[0] in "#>+=-"
            else m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1]
        ),
        text,
    )


_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_\[\]~|#>+=.)-])")


def plain_text(value: str) -> str:
    """A card side's words without markup: line breaks kept, tags gone, entities read
    (typed answers and the check for cards a deck has compare these)."""
    text = _BREAKS.sub("\n", value)
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
    return "\n".join(line.strip() for line in text.splitlines()).strip()
