"""Uploaded bytes to text: the one decoding every text import uses (cards, question sets,
fact files), so the same file reads the same way wherever it is uploaded.

UTF-8 (with or without a byte-order mark) and UTF-16 with its mark are read as such; other
bytes go to charset-normalizer, limited to the encodings spreadsheets and editors here
still save in (Windows-1252 for Western European text, CP949 for Korean), so it does not
guess an exotic code page for a short file. The name of the encoding found is shown in
the import preview; a file none of them reads is refused with a message.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

import charset_normalizer

from quizzes.domain import limits

# Encodings tried when the bytes are not UTF-8, and how the preview names them.
_LEGACY = {"cp1252": "Windows-1252 (Western European)", "cp949": "CP949 (Korean)"}
_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class Undecodable(ValueError):
    """Bytes that are not text in any encoding read here; the message says what to do."""

    def __init__(self, data: bytes, position: int, encoding: str = "UTF-8") -> None:
        super().__init__(
            f"the file is not {encoding} text (byte 0x{data[position]:02x}), nor Windows-1252 "
            "or CP949: save it as UTF-8 text and upload it again"
        )
        self.line = data[:position].count(b"\n") + 1


@dataclass(frozen=True)
class DecodedText:
    text: str  # no byte-order mark; line ends as in the file
    encoding: str  # for people: "UTF-8", "Windows-1252 (Western European)"...


def has_utf16_mark(data: bytes) -> bool:
    """UTF-16 text holds NUL bytes: binary checks must let it through."""
    return data.startswith(_UTF16_MARKS)


def decode_upload(data: bytes) -> DecodedText:
    """The text of an uploaded file. Raises Undecodable, naming the first line it fails on
    when the file is almost UTF-8 and no other encoding reads it either."""
    if data.startswith(codecs.BOM_UTF8):
        return DecodedText(_strict(data[3:], "utf-8"), "UTF-8")
    if has_utf16_mark(data):
        return DecodedText(_strict(data, "utf-16").lstrip("\ufeff"), "UTF-16")
    try:
        return DecodedText(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as error:
        not_utf8 = Undecodable(data, error.start)
    best = charset_normalizer.from_bytes(data, cp_isolation=list(_LEGACY)).best()
    if best is None or best.encoding not in _LEGACY:
        raise not_utf8
    return DecodedText(str(best), _LEGACY[best.encoding])


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        name = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise Undecodable(data, min(error.start, len(data) - 1), name) from error


def decode_input(data: str | bytes, result: Any) -> str | None:
    """Turn uploaded bytes or text into text with "\\n" line ends and no BOM.

    Reports (as an error on `result`, an ImportResult) input that is too large or is not
    text (decode_upload) and returns None.
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > limits.UPLOAD_BYTES:
        result.error(
            1,
            f"the file has {size:,} bytes; files up to {limits.UPLOAD_BYTES // 1024 // 1024} MB "
            f"({limits.UPLOAD_BYTES:,} bytes) can be imported: split it",
        )
        return None
    if isinstance(data, bytes):
        try:
            decoded = decode_upload(data)
        except Undecodable as exc:
            result.error(exc.line, str(exc))
            return None
        text, result.encoding = decoded.text, decoded.encoding
    else:
        text = data
    if text.startswith("\ufeff"):
        text = text[1:]
    surrogate = re.search("[\ud800-\udfff]", text)
    if surrogate:
        result.error(text.count("\n", 0, surrogate.start()) + 1, "the text is not valid Unicode")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")
