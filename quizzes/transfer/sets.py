"""Files in and out of question sets, shared by the web pages and `flask sets`.

No Flask and no database here: uploaded bytes in, an ImportResult out; items out, file
bytes in. The parsers and writers are quizzes.domain.interop; this module picks the
format, refuses what is not a question file, and adds the item types' own checks.
"""

from __future__ import annotations

import json
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

from quizzes.domain import limits
from quizzes.domain.interop import (
    ExportIssue,
    ImportIssue,
    ImportResult,
    common_cartridge,
    from_aiken,
    from_csv,
    from_gift,
    from_json,
    from_moodle_xml,
    qti,
    to_aiken,
    to_csv,
    to_gift,
    to_json,
    to_moodle_xml,
)
from quizzes.domain.interop.common_cartridge import to_common_cartridge
from quizzes.domain.interop.decoding import Undecodable, decode_upload, has_utf16_mark
from quizzes.domain.interop.moodle_files import stored_images
from quizzes.domain.interop.qti_package import to_qti_package, writable_items
from quizzes.domain.interop.quizlet import from_quizlet
from quizzes.domain.itemtypes import REGISTRY, format_support, validate_item
from quizzes.transfer.anki import MediaLoader, build_apkg

IMPORT_FORMATS: dict[str, Callable[[bytes], ImportResult]] = {
    "gift": from_gift,
    "aiken": from_aiken,
    "csv": from_csv,
    "json": from_json,
    "moodle": from_moodle_xml,
    "quizlet": from_quizlet,  # with its options: quizlet_reader
}
FORMAT_NAMES = {
    "gift": "GIFT",
    "aiken": "Aiken",
    "csv": "CSV",
    "json": "Quizdeck JSON",
    "quizlet": "Quizlet export",
    "apkg": "Anki deck",
    "moodle": "Moodle XML",
    "qti": "QTI 2.1 package",
    "cc": "Common Cartridge 1.3",
}
EXPORT_FORMATS = ("gift", "aiken", "csv", "apkg", "json", "moodle", "qti", "cc")
# The zipped LMS formats: writer, file extension. Each leaves out what it cannot carry.
_PACKAGES = {"qti": (to_qti_package, "zip"), "cc": (to_common_cartridge, "imscc")}
# One file at a time: far above a chapter's question bank, far below what ties up a worker.
MAX_IMPORT_ITEMS = limits.ITEMS_PER_IMPORT
_EXTENSIONS = {
    ".gift": "gift",
    ".aiken": "aiken",
    ".csv": "csv",
    ".json": "json",
    ".xml": "moodle",
}
FORMAT_SUFFIXES = frozenset(_EXTENSIONS)  # "week1.aiken.txt": a format named in the name
# Leading bytes of files teachers upload by mistake.
_BINARY_MAGIC = {
    b"PK\x03\x04": "a zip archive (a Word or Excel file, or an Anki .apkg, is one)",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"SQLite format 3": "a database file",
}


class UnusableFile(Exception):
    """A file that is not a question file of a known format; the message says what to do."""


def choose_format(filename: str, data: bytes, requested: str = "auto") -> str:
    """The import format: the one asked for, else from the extension, else from the text.

    Raises UnusableFile for binary data and for names whose extension says another type.
    """
    refuse_binary(data, filename)
    if requested in IMPORT_FORMATS:
        return requested
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if suffix not in ("", ".txt", ".text"):
        raise UnusableFile(
            f"“{filename}” is not a file Quizdeck can import. Use GIFT (.gift or .txt), "
            "Aiken (.txt), CSV (.csv), Moodle XML (.xml) or Quizdeck JSON (.json); save other "
            "files as one of these first."
        )
    return sniff_format(data)


def sniff_format(data: bytes) -> str:
    """GIFT, Aiken, CSV, Moodle XML or JSON, guessed from the text of a .txt file or pasted
    text."""
    try:
        text = decode_upload(data).text  # as the parser will read it (UTF-16, Windows-1252...)
    except Undecodable:
        text = data.decode("utf-8", "replace")  # the parser says why it cannot read it
    text = text.lstrip("\ufeff \t\r\n")
    if text.startswith("{") and '"quizdeck-set"' in text[:200]:
        return "json"
    if text.startswith("<?xml") or text.startswith("<quiz"):
        return "moodle"
    first_line = text.split("\n", 1)[0].lower()
    if "type" in first_line and "prompt" in first_line and ("," in first_line or ";" in first_line):
        return "csv"
    if "type" in first_line and "prompt" in first_line and "\t" in first_line:
        return "csv"  # Excel's "Unicode Text": tab-separated
    lines = [line.strip() for line in text.splitlines()]
    if any(line.startswith("ANSWER:") for line in lines) and "{" not in text:
        return "aiken"
    rows = [line for line in lines if line]
    if rows and "{" not in text and all(row.count("\t") == 1 for row in rows):
        return "quizlet"  # "term<tab>definition" rows; a GIFT question always has braces
    return "gift"


def refuse_binary(data: bytes, filename: str = "") -> None:
    name = f"“{filename}”" if filename else "This upload"
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise UnusableFile(
                f"{name} is {what}, not a text file of questions. Save the questions as "
                "plain text (GIFT or Aiken), CSV or Quizdeck JSON and upload that."
            )
    if b"\x00" in data[:8192] and not has_utf16_mark(data):
        raise UnusableFile(
            f"{name} holds binary data, not text. Save the questions as plain text (GIFT "
            "or Aiken), CSV or Quizdeck JSON and upload that."
        )


def quizlet_reader(options: dict[str, Any] | None) -> Callable[[bytes], ImportResult]:
    """from_quizlet with the teacher's choices: {"term_separator", "row_separator" (None:
    detect), "as_type"}. Wrong options are drawn from the file's own bytes, so the preview
    and the confirmed import make the same items."""
    options = options or {}

    def read(data: bytes) -> ImportResult:
        return from_quizlet(
            data,
            term_separator=options.get("term_separator"),
            row_separator=options.get("row_separator"),
            as_type=options.get("as_type", "short"),
            rng=random.Random(zlib.crc32(data)),
        )

    return read


def read_import(
    data: bytes,
    fmt: str,
    deadline: limits.Deadline | None = None,
    options: dict[str, Any] | None = None,
) -> ImportResult:
    """Parse the file, then hold every item to its type's own rules and the editor's limits
    (errors name the line). Reading stops at the first question past MAX_IMPORT_ITEMS, at
    limits.PROBLEMS_PER_FILE problems, or at the deadline. `options` are a Quizlet
    export's separators and item type (quizlet_reader)."""
    reader = quizlet_reader(options) if fmt == "quizlet" else IMPORT_FORMATS[fmt]
    try:
        with limits.reading(limits.Reading(deadline=deadline)):
            result = reader(data)
    except limits.ReadingStopped as stopped:
        # Refused before anything else: a preview of every row would be megabytes of HTML.
        result = stopped.result
        result.errors.append(ImportIssue(stopped.line, stopped.reason))
        return result
    for item, line in zip(result.items, result.item_lines, strict=True):
        for problem in validate_item(item):
            result.error(line, problem[0].lower() + problem[1:])
        for problem in limits.item_text_problems(item):
            result.error(line, problem)
    result.errors.sort(key=lambda issue: issue.line)
    return result


def answer_text(item: dict[str, Any]) -> str:
    """The right answer in words, as result pages show it."""
    itemtype = REGISTRY[item["type"]]
    view, key = itemtype.present(item["data"], random.Random(0))
    return itemtype.describe_key(view, key)


# -- export -------------------------------------------------------------------------------


@dataclass
class ExportFile:
    content: bytes
    extension: str
    mimetype: str
    issues: list[ExportIssue] = field(default_factory=list)

    @property
    def dropped(self) -> list[ExportIssue]:
        return [issue for issue in self.issues if issue.dropped]


def export_items(
    fmt: str,
    meta: dict[str, Any],
    items: list[dict[str, Any]],
    deck_id: int,
    now: datetime,
    load_media: MediaLoader | None = None,
) -> ExportFile:
    """The set as a file. `meta` holds title and description; `deck_id` identifies the Anki
    deck so that importing a later export updates it; `now` stamps Anki notes; `load_media`
    gives the stored files the items show (those the exporter may see) for the formats that
    carry them: Anki packages, the images of Moodle XML, QTI and Common Cartridge packages
    and Quizdeck JSON."""
    if fmt == "gift":
        text, issues = to_gift(items)
        return ExportFile(text.encode(), "gift", "text/plain", issues)
    if fmt == "aiken":
        text, issues = to_aiken(items)
        return ExportFile(text.encode(), "txt", "text/plain", issues)
    if fmt == "csv":
        return ExportFile(to_csv(items).encode(), "csv", "text/csv")
    if fmt == "json":
        names = stored_images(items)
        loaded = list(load_media(names)) if names and load_media is not None else []
        media = [(m.name, m.mime, m.data) for m in loaded if m.mime.startswith("image/")]
        return ExportFile(to_json(meta, items, media).encode(), "json", "application/json")
    if fmt == "moodle":
        text, issues = to_moodle_xml(items, _images(items, load_media))
        return ExportFile(text.encode(), "xml", "application/xml", issues)
    if fmt == "apkg":
        # A type that Anki cannot carry says why in its module; it is left out and reported.
        left_out = [
            ExportIssue(index, item["key"], format_support(item["type"], "apkg").reason, True)
            for index, item in enumerate(items)
            if not format_support(item["type"], "apkg").carried
        ]
        kept = [item for item in items if format_support(item["type"], "apkg").carried]
        content = build_apkg(meta.get("title", "Quizdeck"), deck_id, kept, now, load_media)
        return ExportFile(content, "apkg", "application/octet-stream", left_out)
    if fmt in _PACKAGES:
        writer, extension = _PACKAGES[fmt]
        content, issues = writer(meta, items, now, _images(items, load_media))
        return ExportFile(content, extension, "application/zip", issues)
    raise ValueError(f"unknown export format {fmt!r}")


def _images(items: list[dict[str, Any]], load_media: MediaLoader | None) -> dict[str, bytes]:
    """The stored images the items show that the exporter may see, by name."""
    names = stored_images(items)
    loaded = list(load_media(names)) if names and load_media is not None else []
    return {m.name: m.data for m in loaded if m.mime.startswith("image/")}


def export_limits(items: list[dict[str, Any]]) -> dict[str, str]:
    """Per format, a note on the items it would leave out (GIFT has no ordering item,
    Aiken holds single choice only, Moodle XML what its writer cannot spell exactly,
    Common Cartridge no matching)."""
    notes = {}
    writers: tuple[tuple[str, Callable[[list[dict[str, Any]]], tuple[Any, list]]], ...] = (
        ("gift", to_gift),
        ("aiken", to_aiken),
        ("moodle", to_moodle_xml),
        ("qti", lambda items: writable_items(items, "qti", qti.WRITTEN_TYPES)),
        ("cc", lambda items: writable_items(items, "cc", common_cartridge.WRITTEN_TYPES)),
    )
    for fmt, writer in writers:
        dropped = [issue for issue in writer(items)[1] if issue.dropped]
        if dropped:
            notes[fmt] = (
                f"{len(dropped)} of {len(items)} items cannot be written as "
                f"{FORMAT_NAMES[fmt]} and are left out (item {dropped[0].index + 1}: "
                f"{dropped[0].message})."
            )
    with_images = [index for index, item in enumerate(items) if _shows_media(item)]
    if with_images:
        for fmt in MEDIA_NOT_CARRIED:
            note = (
                f"{len(with_images)} of {len(items)} items show an image (item"
                f" {with_images[0] + 1} first): {MEDIA_NOT_CARRIED[fmt]}"
            )
            notes[fmt] = f"{notes[fmt]} {note}" if fmt in notes else note
    return notes


# The text formats hold text only: an image stays a reference to this site (/media/...),
# which the file's next home cannot load. JSON carries the files themselves.
_TAKE_ALONG = "export Quizdeck JSON to take the images along."
MEDIA_NOT_CARRIED = {
    "gift": "GIFT files hold text only (Moodle keeps a question's files beside it, in its XML"
    " as @@PLUGINFILE@@), so the image is written as a link to this site; " + _TAKE_ALONG,
    "aiken": "Aiken files hold text only, so the image is written as a link to this site; "
    + _TAKE_ALONG,
    "csv": "CSV holds text only, so the image is written as a link to this site; " + _TAKE_ALONG,
}


def _shows_media(item: dict[str, Any]) -> bool:
    return "/media/" in json.dumps(item, ensure_ascii=False)
