"""GIFT syntax shared by the reader (gift_reader.py) and the writer (gift_writer.py):
escapes, markers, comment tokens, and the cutting of a file into question blocks."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# Escaped characters become Unicode noncharacters (reserved for internal use) while parsing,
# so the parser can look for control characters with plain string searches.
_ESCAPABLE = "\\~=#{}:n"
_PLACEHOLDER = {c: chr(0xFDD0 + i) for i, c in enumerate(_ESCAPABLE)}
_RESTORE = str.maketrans({p: ("\n" if c == "n" else c) for c, p in _PLACEHOLDER.items()})
_ESCAPE_SEQUENCE = re.compile(r"\\([\\~=#{}:n])")
_RESERVED = re.compile("[\ufdd0-\ufdd7]")

_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"%(\s*[-+]?[0-9.]*\s*)%")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_META_PREFIX = "// quizdeck:"
_META_KEYS = {"difficulty", "sources", "fact_ids", "prompt", "unit", "romanised", "essay"}
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CONTEXT_PREFIX = re.compile(r"^\$[a-z0-9]+\$/(top/)?|^top/")


def _encode(line: str) -> str:
    return _ESCAPE_SEQUENCE.sub(lambda m: _PLACEHOLDER[m.group(1)], line)


def _decode(text: str) -> str:
    return text.translate(_RESTORE)


def _formatted(text: str) -> str:
    """Moodle's parse_text_with_format: drop a leading [format] marker, decode, trim."""
    text = text.strip()
    marker = _FORMAT.match(text)
    if marker:
        text = text[marker.end() :]
    return _decode(text).strip()


@dataclass
class _Block:
    """One question's lines, comments set apart; `text` has escapes encoded."""

    content: list[tuple[int, str]]
    comments: list[tuple[int, str]]
    text: str = ""
    starts: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        parts, starts, offset = [], [], 0
        for _, line in self.content:
            encoded = _encode(line)
            starts.append(offset)
            parts.append(encoded)
            offset += len(encoded) + 1
        self.text = "\n".join(parts)
        self.starts = tuple(starts)

    @property
    def first_line(self) -> int:
        return self.content[0][0]

    def line_at(self, offset: int) -> int:
        return self.content[bisect.bisect_right(self.starts, offset) - 1][0]


def _blocks(text: str) -> list[_Block]:
    blocks, content, comments = [], [], []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            if content:
                blocks.append(_Block(content, comments))
            content, comments = [], []
        elif line.startswith("//"):
            comments.append((number, line))
        else:
            content.append((number, line))
    if content:
        blocks.append(_Block(content, comments))
    return blocks
