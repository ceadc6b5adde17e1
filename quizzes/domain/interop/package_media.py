"""Images in QTI 2.1 and Common Cartridge packages.

An item's text shows a stored image as Markdown `![alt](/media/<name>)`, or, after a Moodle
import, as an HTML `<img src="/media/<name>" alt="...">`. A package carries the file itself
under media/ and the item points at it: QTI 2.1 with an `<img>` element where QTI allows
inline content (`place_qti_images`), Common Cartridge with HTML in a `text/html` mattext
naming `$IMS-CC-FILEBASE$` (`place_cc_images`). Everywhere else (attributes, answer keys,
an image the package does not hold) the image's alt text is written instead, so no text
ever points at this site.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from quizzes.domain.media import MEDIA_NAME

from .common import ExportIssue
from .moodle_files import strings_of

MEDIA_FOLDER = "media/"
# QTI's img alt is a string256; the media store allows longer alt text.
QTI_ALT_LIMIT = 256
_NAME = MEDIA_NAME.pattern
_MARKDOWN = re.compile(
    r"!\[(?P<alt>[^\]\n]*)\]\(\s*<?/media/(?P<name>" + _NAME + r")>?(?:\s+\"[^\"\n]*\")?\s*\)"
)
_HTML = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_STORED_SRC = re.compile(r"/media/(" + _NAME + r")")
# QTI 2.1 elements whose content may hold an inline <img> among the text the writer puts there.
QTI_INLINE = frozenset({"prompt", "p", "simpleChoice", "simpleAssociableChoice", "modalFeedback"})
# Moodle's own CC exporter writes links this way: the token stands for the folder of the
# file that holds the link (assessment/), so "../" reaches the cartridge's media/ folder.
CC_FILEBASE = "$IMS-CC-FILEBASE$../"


@dataclass(frozen=True)
class Image:
    name: str  # the stored file's name, <sha256>.<ext>
    alt: str


def pieces(text: str) -> Iterator[str | Image]:
    """`text` as its plain runs and the stored images it shows, in order."""
    position = 0
    for start, end, image in _images_in(text):
        if start > position:
            yield text[position:start]
        yield image
        position = end
    if position < len(text):
        yield text[position:]


def alt_text(text: str) -> str:
    """`text` with each stored image it shows written as its alt text."""
    return "".join(p if isinstance(p, str) else p.alt for p in pieces(text))


def names_shown(text: str) -> list[str]:
    return [p.name for p in pieces(text) if isinstance(p, Image)]


def package_path(name: str) -> str:
    return MEDIA_FOLDER + name


def left_behind(index: int, item: dict[str, Any], carried: Collection[str]) -> list[ExportIssue]:
    """A note for each image the item shows that the package cannot hold (the exporter may
    not see it, or it is no longer stored): its alt text is written in its place."""
    shown = dict.fromkeys(name for text in strings_of(item) for name in names_shown(text))
    return [
        ExportIssue(
            index,
            item.get("key", ""),
            f"the image {name} is not in the package (not one you may export, or no longer "
            "stored); its alt text is written instead",
            False,
        )
        for name in shown
        if name not in carried
    ]


def _images_in(text: str) -> list[tuple[int, int, Image]]:
    """Where `text` shows a stored image (Markdown or an <img> tag), in order."""
    found = [
        (m.start(), m.end(), Image(m.group("name"), m.group("alt").strip()))
        for m in _MARKDOWN.finditer(text)
    ]
    for tag in _HTML.finditer(text):
        attributes = {k.lower(): v or w for k, v, w in _ATTRIBUTE.findall(tag.group(0))}
        stored = _STORED_SRC.fullmatch(html.unescape(attributes.get("src", "")))
        if stored:
            alt = html.unescape(attributes.get("alt", "")).strip()
            found.append((tag.start(), tag.end(), Image(stored.group(1), alt)))
    found.sort(key=lambda place: place[0])
    kept: list[tuple[int, int, Image]] = []
    for place in found:  # a Markdown image inside an <img> tag's alt belongs to the tag
        if not kept or place[0] >= kept[-1][1]:
            kept.append(place)
    return kept


# -- QTI 2.1 ---------------------------------------------------------------------------------


def place_qti_images(root: ET.Element, carried: Collection[str], src_prefix: str) -> list[str]:
    """Turn the images an item's texts show into QTI `<img>` elements (src `src_prefix` +
    media/<name>) where QTI allows them and the package carries the file; write alt text
    everywhere else. Returns the names placed, each once, in order."""
    placed: list[str] = []
    elements = list(root.iter())
    inline_children = {child for parent in elements if parent.tag in QTI_INLINE for child in parent}
    for element in elements:
        for key, value in element.attrib.items():
            element.set(key, alt_text(value))
        if element.tag in QTI_INLINE:  # its text and its children's tails
            _split_inline(element, carried, src_prefix, placed)
        elif element.text:
            element.text = alt_text(element.text)
        if element.tail and element not in inline_children:
            element.tail = alt_text(element.tail)
    return list(dict.fromkeys(placed))


def _split_inline(
    element: ET.Element, carried: Collection[str], src_prefix: str, placed: list[str]
) -> None:
    """Rewrite the text of `element` and the tails of its children with <img> elements."""
    runs: list[tuple[ET.Element | None, str]] = [(None, element.text or "")]
    runs += [(child, child.tail or "") for child in list(element)]
    for after, text in runs:
        parts = list(pieces(text))
        if not any(isinstance(p, Image) for p in parts):
            continue
        leading, images = _leading_text(parts, carried)
        if after is None:
            element.text = leading
            index = 0
        else:
            after.tail = leading
            index = list(element).index(after) + 1
        for image, tail in images:
            img = ET.Element(
                "img",
                {"src": src_prefix + package_path(image.name), "alt": image.alt[:QTI_ALT_LIMIT]},
            )
            img.tail = tail
            element.insert(index, img)
            index += 1
            placed.append(image.name)


def _leading_text(
    parts: list[str | Image], carried: Collection[str]
) -> tuple[str, list[tuple[Image, str]]]:
    """The text before the first carried image, then each carried image with the text after
    it (images the package does not hold are written as their alt text)."""
    leading = ""
    images: list[tuple[Image, str]] = []
    for part in parts:
        if isinstance(part, Image) and part.name in carried:
            images.append((part, ""))
        else:
            text = part.alt if isinstance(part, Image) else part
            if images:
                images[-1] = (images[-1][0], images[-1][1] + text)
            else:
                leading += text
    return leading, images


# -- Common Cartridge ------------------------------------------------------------------------


def place_cc_images(root: ET.Element, carried: Collection[str]) -> list[str]:
    """A mattext that shows a carried image becomes `text/html`: its text escaped, line
    breaks kept, each image an `<img>` naming `$IMS-CC-FILEBASE$`. Every other text and
    attribute gets alt text. Returns the names placed, each once, in order."""
    placed: list[str] = []
    for element in root.iter():
        for key, value in element.attrib.items():
            element.set(key, alt_text(value))
        if element.text:
            parts = list(pieces(element.text))
            shown = [p for p in parts if isinstance(p, Image) and p.name in carried]
            if element.tag == "mattext" and shown:
                element.text = "".join(_html_of(part, carried) for part in parts)
                element.set("texttype", "text/html")
                placed += [image.name for image in shown]
            else:
                element.text = alt_text(element.text)
        if element.tail:
            element.tail = alt_text(element.tail)
    return list(dict.fromkeys(placed))


def _html_of(part: str | Image, carried: Collection[str]) -> str:
    if isinstance(part, Image) and part.name in carried:
        src = html.escape(CC_FILEBASE + package_path(part.name))
        return f'<img src="{src}" alt="{html.escape(part.alt)}" />'
    text = part.alt if isinstance(part, Image) else part
    return html.escape(text).replace("\n", "<br />\n")
