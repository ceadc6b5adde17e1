"""The images and sounds of an Anki package: which files the notes show, read from the
package's media map and cleaned (quizzes.domain.media) with bounded work.

An .apkg names its media files in a member called `media`: legacy packages hold JSON
({"0": "cat.png", ...}: zip member "0" is the file cat.png); current ones (beside
collection.anki21b) hold zstd-compressed protobuf MediaEntries (entry i is zip member "i",
itself zstd-compressed). Only files a note shows (`<img src="cat.png">`, `[sound:x.mp3]`)
are read; every other file, and every file over a limit or refused by the media checks,
is named with its reason, never silently dropped. Pure: bytes in, cleaned files out.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from quizzes.domain import limits
from quizzes.domain.media import (
    MEDIA_BYTES,
    MEDIA_PER_IMPORT,
    MIME_TYPES,
    SOUND_TYPES,
    CleanMedia,
    MediaRefused,
    clean_media,
    clean_text_label,
    sniff,
)

# Whether a sha256 is a file the media store holds (cleaned when it was stored): such a file
# comes back byte for byte, not cleaned again (re-encoding a sound changes its bytes).
KnownMedia = Callable[[str], bool]

MAP_BYTES = 1024 * 1024  # the media map itself (Anki's is ~40 bytes per file)
_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = r"""\b{}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""
_SRC = re.compile(_ATTRIBUTE.format("src"), re.IGNORECASE)
_ALT = re.compile(_ATTRIBUTE.format("alt"), re.IGNORECASE)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")


class Shown(NamedTuple):
    """A file a note's field shows: where, Anki's name for it, and its alt text (a tuple:
    the import's token carries it as a list)."""

    side: str  # "front" or "back"
    filename: str
    label: str


@dataclass
class PackageMedia:
    files: dict[str, CleanMedia] = field(default_factory=dict)  # by Anki's file name
    problems: list[str] = field(default_factory=list)  # "cat.png: why it was left out"


def shown_in(side: str, value: str) -> list[Shown]:
    """The files a field shows, in order."""
    found: list[Shown] = []
    for tag in _IMAGE.findall(value):
        if (src := _attribute(_SRC, tag)) is not None:
            label = clean_text_label(_attribute(_ALT, tag) or "")
            found.append(Shown(side, html.unescape(src), label))
    for name in _SOUND.findall(value):
        found.append(Shown(side, name.strip(), ""))
    return found


def _attribute(pattern: re.Pattern[str], tag: str) -> str | None:
    match = pattern.search(tag)
    if match is None:
        return None
    return html.unescape(next(group for group in match.groups() if group is not None))


def read_media(
    archive: zipfile.ZipFile,
    modern: bool,
    wanted: Iterable[str],
    deadline: limits.Deadline | None = None,
    known: KnownMedia | None = None,
) -> PackageMedia:
    """The wanted files, cleaned (or as they are, when `known` says the store holds them
    already); each other file of the map, or wanted one not taken, in `problems` with the
    reason."""
    result = PackageMedia()
    wanted = list(dict.fromkeys(wanted))
    try:
        names = _media_map(archive, modern)
    except _BadMap as problem:
        if wanted:
            result.problems.append(str(problem))
        return result
    members = {info.filename: info for info in archive.infolist()}
    taken = 0
    for filename in wanted:
        member = names.get(filename)
        if member is None or member not in members:
            result.problems.append(f"{filename}: a note shows it, but the package lacks it")
            continue
        if taken >= MEDIA_PER_IMPORT:
            result.problems.append(
                f"{filename}: not imported, an import takes at most {MEDIA_PER_IMPORT} files"
            )
            continue
        if deadline is not None and deadline.passed():
            result.problems.append(f"{filename}: not imported, reading took too long")
            continue
        taken += 1
        try:
            data = _member_bytes(archive, members[member], modern)
            result.files[filename] = _already_clean(data, known) or clean_media(data)
        except MediaRefused as refused:
            result.problems.append(f"{filename}: {refused}")
    unused = [name for name in names if name not in set(wanted)]
    for filename in unused[: limits.PROBLEMS_PER_FILE]:
        result.problems.append(f"{filename}: no imported card shows it, so it was not imported")
    if len(unused) > limits.PROBLEMS_PER_FILE:
        more = len(unused) - limits.PROBLEMS_PER_FILE
        result.problems.append(f"{more:,} more files no imported card shows were not imported")
    return result


def _already_clean(data: bytes, known: KnownMedia | None) -> CleanMedia | None:
    """The file as it is, when the store holds these very bytes (they were cleaned)."""
    found = sniff(data)
    if known is None or found not in MIME_TYPES or not known(hashlib.sha256(data).hexdigest()):
        return None
    return CleanMedia(data, "sound" if found in SOUND_TYPES else "image", found)


class _BadMap(Exception):
    pass


def _media_map(archive: zipfile.ZipFile, modern: bool) -> dict[str, str]:
    """Anki's file name → the zip member holding it."""
    try:
        info = archive.getinfo("media")
    except KeyError:
        return {}
    damaged = _BadMap("The package's list of media files is damaged: no media imported")
    if info.file_size > MAP_BYTES:
        raise _BadMap("The package lists too many media files: no media imported")
    try:
        with archive.open(info) as member:
            raw = member.read(MAP_BYTES + 1)
        if modern:
            raw = _unzstd(raw, MAP_BYTES)
            return _media_entries(raw)
        if not raw.strip():
            return {}
        mapping = json.loads(raw)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, NotImplementedError) as error:
        raise damaged from error
    if not isinstance(mapping, dict) or len(mapping) > limits.ZIP_ENTRIES:
        raise damaged
    return {str(name): str(number) for number, name in mapping.items()}


def _media_entries(raw: bytes) -> dict[str, str]:
    """MediaEntries { repeated MediaEntry entries = 1 }, MediaEntry { string name = 1;
    uint32 size = 2; bytes sha1 = 3; optional uint32 legacy_zip_filename = 255 }."""
    found: dict[str, str] = {}
    for number, (tag, entry) in enumerate(_fields(raw)):
        if tag != 1 or not isinstance(entry, bytes) or number >= limits.ZIP_ENTRIES:
            raise ValueError("not a media list")
        name, member = "", str(number)
        for inner_tag, value in _fields(entry):
            if inner_tag == 1 and isinstance(value, bytes):
                name = value.decode("utf-8")
            elif inner_tag == 255 and isinstance(value, int):
                member = str(value)
        if name:
            found[name] = member
    return found


def _fields(data: bytes):
    """(field number, int or bytes) of a protobuf message; ValueError when damaged."""
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        tag, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(data, position)
        elif wire == 2:
            size, position = _varint(data, position)
            if position + size > len(data):
                raise ValueError("truncated")
            value, position = data[position : position + size], position + size
        else:
            raise ValueError("unexpected wire type")
        yield tag, value


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise ValueError("bad varint")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, modern: bool) -> bytes:
    """A media member's bytes, refused past MEDIA_BYTES or packed like a zip bomb, before
    and while unpacking (the size a zip claims is not trusted)."""
    too_big = MediaRefused(f"larger than {MEDIA_BYTES // (1024 * 1024)} MiB, not imported")
    bomb = MediaRefused("packed far tighter than any image or sound (a zip bomb?), not read")
    if info.file_size > limits.ZIP_RATIO_FLOOR and info.file_size > limits.ZIP_RATIO * max(
        info.compress_size, 1
    ):
        raise bomb
    if info.file_size > MEDIA_BYTES and not modern:
        raise too_big
    try:
        with archive.open(info) as member:
            data = member.read(MEDIA_BYTES + 1 if not modern else 2 * MEDIA_BYTES)
        if modern:
            data = _unzstd(data, MEDIA_BYTES)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, NotImplementedError) as error:
        raise MediaRefused("damaged in the package, not imported") from error
    if len(data) > MEDIA_BYTES:
        raise too_big
    return data


def _unzstd(data: bytes, cap: int) -> bytes:
    """zstd-decompressed, at most cap + 1 bytes (ValueError when damaged)."""
    import zstandard

    try:
        decompressor = zstandard.ZstdDecompressor(max_window_size=1 << 27)
        with decompressor.stream_reader(io.BytesIO(data)) as reader:
            return reader.read(cap + 1)
    except zstandard.ZstdError as error:
        raise ValueError("damaged zstd data") from error
