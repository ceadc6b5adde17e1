"""Moodle XML, the pieces its reader (moodle_reader.py) and writer (moodle_writer.py) share:
safe parsing, text formats, fractions and the embedded answers of a cloze.

Parsing goes through defusedxml: a file that declares a DTD (the way to entity bombs and
external entities) is refused before any entity is read, and nothing is fetched from the
network. The tree is bounded as it is built: elements and depth (Moodle nests about six
levels), beyond what the upload size already bounds.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Protocol
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import defusedxml.ElementTree as safe_tree
from defusedxml import DefusedXmlException

from .common import number_text, parse_number, parse_percent

# A question file is shallow: <quiz><question><answer><feedback><text> plus a level or two.
MAX_DEPTH = 32
# Elements of one file: 2,000 questions of ~40 elements each, with room to spare.
MAX_ELEMENTS = 200_000
# `<!-- quizdeck: {...} -->` inside a question holds what Moodle has no place for.
META_PREFIX = "quizdeck:"


class XmlRefused(ValueError):
    """The file is not XML Quizdeck reads; `line` is where that was found."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _LinedTree(TreeBuilder):
    """A tree builder that keeps comments, the line each element starts on, and the bounds."""

    def __init__(self) -> None:
        super().__init__(insert_comments=True)
        self.lines: dict[Element, int] = {}
        self.parser: Any = None
        self.depth = 0
        self.count = 0

    def _line(self) -> int:
        return int(self.parser.parser.CurrentLineNumber)

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth += 1
        self.count += 1
        if self.depth > MAX_DEPTH:
            raise XmlRefused(self._line(), f"elements are nested more than {MAX_DEPTH} deep")
        if self.count > MAX_ELEMENTS:
            raise XmlRefused(self._line(), f"the file has more than {MAX_ELEMENTS:,} elements")
        element = super().start(tag, attrs)
        self.lines[element] = self._line()
        return element

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return super().end(tag)


def parse_xml(text: str) -> tuple[Element, dict[Element, int]]:
    """The root element and the line of each element. Raises XmlRefused with a message."""
    builder = _LinedTree()
    parser = safe_tree.DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(text)
        root = parser.close()
    except ParseError as error:
        line = error.position[0] if error.position else 1
        reason = str(error).split(":", 1)[0]
        raise XmlRefused(line, f"the file is not well-formed XML ({reason})") from None
    except DefusedXmlException:
        raise XmlRefused(
            builder._line() if parser.parser else 1,
            "the file declares a DTD or entities; Moodle never writes them and Quizdeck does "
            "not read them (they can make a small file expand without end or read other files)",
        ) from None
    return root, builder.lines


class QuestionBeingRead(Protocol):
    """What moodle_reader's question gives the readers of single types in their own
    modules (moodle_cloze.py, moodle_essay.py)."""

    element: Element
    failed: bool
    meta: dict[str, Any]

    def text(self, name: str, element: Element | None = None) -> str: ...

    def warn(self, message: str) -> None: ...

    def error(self, message: str) -> None: ...

    def leave_out(self, reason: str) -> None: ...


# -- text -------------------------------------------------------------------------------


def child_text(element: Element | None, name: str = "text") -> str:
    """The stripped text of `element`'s first `name` child ("" when there is none)."""
    if element is None:
        return ""
    child = element.find(name)
    return (child.text or "").strip() if child is not None else ""


def field_text(question: Element, name: str) -> tuple[str, str]:
    """(text, format) of a `<name format="..."><text>...</text></name>` field."""
    element = question.find(name)
    if element is None:
        return "", ""
    return child_text(element), element.get("format", "")


_BLOCK_END = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre"}


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "img":
            found = dict(attrs)
            self.images.append((found.get("src") or "").strip())
            alt = (found.get("alt") or "").strip()
            if alt:
                self.parts.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_END:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(" ".join(data.split("\n")))


def plain_text(text: str, text_format: str) -> str:
    """Text as students read it: HTML tags dropped (an image becomes its alt text), entities
    decoded, paragraphs kept as blank lines. Markdown and plain text are already plain (a
    "<" there is a character); Moodle's auto format is HTML when it holds tags."""
    if text_format in ("markdown", "plain_text") or (
        text_format != "html" and not re.search(r"<[a-zA-Z/!]", text)
    ):
        return text.strip()
    parser = _PlainText()
    parser.feed(text)
    parser.close()
    joined = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in joined.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def prompt_text(text: str, text_format: str) -> str:
    """A question text or feedback as Quizdeck Markdown. HTML stays HTML (the page renders
    and sanitises it); only its indentation goes, which Markdown would read as code."""
    if text_format == "html" and "<pre" not in text:
        return "\n".join(line.strip() for line in text.strip().splitlines())
    if text_format == "plain_text":
        return html.escape(text.strip(), quote=False)
    return text.strip()


def shown(text: str, limit: int = 60) -> str:
    """A piece of the file quoted in a message: long ones cut, so a message stays short."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- numbers ----------------------------------------------------------------------------


def read_fraction(value: str | None) -> float:
    """Moodle's fraction attribute ("100", "33.33333", "-50", "0.5" in old files) as 0..1.
    Raises ValueError."""
    return parse_percent((value or "0").strip().replace(",", "."))


def fraction_text(fraction: float) -> str:
    """A fraction as Moodle writes it: a percentage with up to 7 decimals (33.33333)."""
    text = f"{fraction * 100:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number_problem(text: str, error: ValueError) -> str:
    """Why `text` is not a number Quizdeck reads, quoting it short."""
    return f"'{shown(text)}' " + (
        "is too large" if "too large" in str(error) else "is not a number"
    )


def read_number(text: str) -> float:
    """A number as Moodle stores it ("3.14", "3,14" with a decimal comma). Raises ValueError."""
    text = text.strip()
    return parse_number(
        text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    )


# -- cloze (multianswer) embedded answers --------------------------------------------------

# The sub-question kinds Moodle reads in {weight:KIND:answers}.
SHORT_KINDS = {"SHORTANSWER", "SA", "MW"}
SHORT_CASE_KINDS = {"SHORTANSWER_C", "SAC", "MWC"}
NUMBER_KINDS = {"NUMERICAL", "NM"}
CHOICE_KINDS = {
    "MULTICHOICE",
    "MC",
    "MULTICHOICE_V",
    "MCV",
    "MULTICHOICE_H",
    "MCH",
    "MULTICHOICE_S",
    "MCS",
    "MULTICHOICE_VS",
    "MCVS",
    "MULTICHOICE_HS",
    "MCHS",
}
RESPONSE_KINDS = {
    "MULTIRESPONSE",
    "MR",
    "MULTIRESPONSE_H",
    "MRH",
    "MULTIRESPONSE_S",
    "MRS",
    "MULTIRESPONSE_HS",
    "MRHS",
}
_KINDS = SHORT_KINDS | SHORT_CASE_KINDS | NUMBER_KINDS | CHOICE_KINDS | RESPONSE_KINDS
EMBEDDED = re.compile(
    r"\{([0-9]*):(" + "|".join(sorted(_KINDS, key=len, reverse=True)) + r"):((?:\\.|[^\\}])*)\}"
)
_UNESCAPED_TILDE = re.compile(r"(?<!\\)~")
_UNESCAPED_HASH = re.compile(r"(?<!\\)#")
_ESCAPABLE = '}#~/"'


@dataclass(frozen=True)
class Alternative:
    text: str
    fraction: float
    feedback: str


def unescape(text: str) -> str:
    for ch in _ESCAPABLE:
        text = text.replace("\\" + ch, ch)
    return text


def escape(text: str) -> str:
    for ch in _ESCAPABLE:
        text = text.replace(ch, "\\" + ch)
    return text


def alternatives(body: str) -> list[Alternative]:
    """The answers of one embedded sub-question. Raises ValueError on a bad weight."""
    found = []
    for part in _UNESCAPED_TILDE.split(body):
        pieces = _UNESCAPED_HASH.split(part, 1)
        text, feedback = pieces[0], pieces[1] if len(pieces) > 1 else ""
        fraction = 0.0
        if text.startswith("="):
            text, fraction = text[1:], 1.0
        elif text.startswith("%"):
            end = text.find("%", 1)
            if end < 0:
                raise ValueError(f"the weight of '{text}' has no closing %")
            fraction = parse_percent(text[1:end].replace(",", "."))
            text = text[end + 1 :]
        found.append(Alternative(unescape(text).strip(), fraction, unescape(feedback).strip()))
    return found


def embedded_short(answers: list[str]) -> str:
    """A blank as Moodle writes a short-answer sub-question: every answer full marks."""
    return "{1:SHORTANSWER:" + "~".join("=" + escape(a) for a in answers) + "}"


def number_answer(value: float, tolerance: float) -> str:
    return number_text(value) + (f":{number_text(tolerance)}" if tolerance else "")
