"""Images embedded in Moodle XML: a field's text names them `@@PLUGINFILE@@/name` and the
file travels beside it as `<file name="name" encoding="base64">`.

Reading (`carried_images`): an image is carried when the item keeps the text that shows it
(a prompt, an explanation, an option's feedback: the HTML and Markdown fields) and its file
is in the question and is an image the media store takes (quizzes/domain/media.py, the same
check as an upload). The item keeps `@@PLUGINFILE@@/name`; the import, when it writes the
set, stores the file and puts its /media/ address in place (quizzes/teach/services.py).
Writing (`embed_images`): a stored image a field shows (/media/<name>) is written the way
Moodle's own export does.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import quote, unquote
from xml.etree.ElementTree import Element, SubElement

from quizzes.domain.media import IMAGE_TYPES, MEDIA_NAME, MediaRefused, clean_image, sniff

PLUGINFILE = "@@PLUGINFILE@@/"
# A reference in HTML (src="...") or Markdown (![alt](...)): up to a quote, space or ")".
_REFERENCE = re.compile(re.escape(PLUGINFILE) + r"""([^"'\s)<>]+)""")
_STORED = re.compile(r"/media/(" + MEDIA_NAME.pattern + r")")
# The fields of a question whose text may show an image (Moodle keeps files beside each).
_FIELDS_WITH_IMAGES = (
    "questiontext",
    "generalfeedback",
    "feedback",
    "answer",
    "subquestion",
    "graderinfo",
)


# What a file is, by its name when its bytes do not say (missing, or of no known format).
_IMAGE_SUFFIXES = {"png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "tif", "tiff", "avif"}
_SOUND_SUFFIXES = {"mp3", "ogg", "oga", "opus", "wav", "m4a", "aac", "flac", "weba"}


def file_kind(name: str, data: bytes | None) -> str:
    """ "image", "sound" or "file": what a note calls a file a question names."""
    found = sniff(data) if data else None
    if found is not None:
        return "image" if found in IMAGE_TYPES else "sound"
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    if suffix in _IMAGE_SUFFIXES:
        return "image"
    return "sound" if suffix in _SOUND_SUFFIXES else "file"


def references(text: str) -> list[str]:
    """The file names a text shows as @@PLUGINFILE@@/name (URL-decoded), in order."""
    return [unquote(name) for name in _REFERENCE.findall(text)]


def point_references(text: str, addresses: Mapping[str, str]) -> str:
    """`text` showing each file named in `addresses` from its address there instead."""
    return _REFERENCE.sub(lambda m: addresses.get(unquote(m.group(1)), m.group(0)), text)


def strings_of(value: Any) -> Iterator[str]:
    """Every string inside an item (its texts, its data's texts)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from strings_of(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from strings_of(inner)


def replace_strings(value: Any, change: Callable[[str], str]) -> Any:
    """`value` with `change` applied to every string inside it."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, Mapping):
        return {key: replace_strings(inner, change) for key, inner in value.items()}
    if isinstance(value, list):
        return [replace_strings(inner, change) for inner in value]
    return value


def stored_images(items: list[dict[str, Any]]) -> list[str]:
    """Names of the stored files (/media/<name>) the items show, in order, each once."""
    found = (m.group(1) for item in items for t in strings_of(item) for m in _STORED.finditer(t))
    return list(dict.fromkeys(found))


def embedded_files(question: Element, warn: Callable[[str], None]) -> dict[str, bytes]:
    """The base64 `<file>` elements of a question, by name."""
    found: dict[str, bytes] = {}
    for element in question.iter("file"):
        name = element.get("name", "")
        if not name or element.get("encoding", "base64") != "base64":
            continue
        try:
            found[name] = base64.b64decode("".join((element.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            warn(f"the file '{name[:60]}' is not valid base64; it is left out")
    return found


def carried_images(
    question: Element, item: dict[str, Any], warn: Callable[[str], None]
) -> dict[str, bytes]:
    """The images of `question` the item keeps, by name; a note names each one it does not
    (with why), and the alt text shows in its place."""
    files = embedded_files(question, warn)
    shown = {name for text in strings_of(item) for name in references(text)}
    named = [name for text in question.itertext() for name in references(text)]
    carried: dict[str, bytes] = {}
    lost: dict[str, tuple[str, str]] = {}  # name -> (image, sound or file; why)
    for name in dict.fromkeys(named):
        kind = file_kind(name, files.get(name))
        if name not in shown:
            lost[name] = (kind, "this part of the question is read as plain text")
        elif name not in files:
            lost[name] = (kind, "the file is not in the Moodle file")
        elif kind != "image":
            lost[name] = (kind, "a question carries images only")
        else:
            try:
                clean_image(files[name])
            except MediaRefused as refused:
                lost[name] = (kind, str(refused).rstrip("."))
            else:
                carried[name] = files[name]
    old_image = question.find("image")
    if old_image is not None or question.find("image_base64") is not None:
        name = (old_image.text or "").strip() if old_image is not None else ""
        lost[name or "the question's image"] = ("image", "Moodle 1.9's <image> field is not read")
    for name, (kind, reason) in lost.items():
        instead = "its alt text shows instead" if kind == "image" else "the text around it stays"
        warn(f"the {kind} {name[:60]} is not carried ({reason}); {instead}")
    return carried


def embed_images(question: Element, images: Mapping[str, bytes]) -> None:
    """Write each stored image a field of `question` shows as Moodle does: the text names
    @@PLUGINFILE@@/<name>, a base64 `<file>` follows the `<text>`."""
    for field in question.iter():
        if field.tag not in _FIELDS_WITH_IMAGES:
            continue
        text = field.find("text")
        if text is None or not text.text:
            continue
        stored = (match.group(1) for match in _STORED.finditer(text.text))
        names = [name for name in dict.fromkeys(stored) if name in images]
        for name in names:
            text.text = text.text.replace(f"/media/{name}", PLUGINFILE + quote(name))
            file = SubElement(field, "file", name=name, path="/", encoding="base64")
            file.text = base64.b64encode(images[name]).decode("ascii")
