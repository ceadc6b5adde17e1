"""Anki's media map read with bounded work (quizzes.domain.interop.anki_media): which files a
field shows, the current protobuf map (as the anki library writes it), a zstd bomb cut while
unpacking, damaged maps, and files the store holds kept byte for byte."""

from __future__ import annotations

import hashlib
import io
import zipfile

import anki.collection  # noqa: F401  (before other anki modules, as anki requires)
import zstandard
from anki.import_export_pb2 import MediaEntries

from quizzes.domain.interop.anki_media import Shown, read_media, shown_in
from quizzes.domain.media import clean_media
from tests.domain.media.test_media_cleaning import png_bytes


def test_a_field_shows_images_with_their_alt_text_and_sounds():
    field = (
        "<img src='a&amp;b.png' alt=\"A &lt;map&gt;\"> text <IMG SRC=plain.jpg>"
        "[sound:say it.mp3]<img alt='no source'>"
    )
    assert shown_in("back", field) == [
        Shown("back", "a&b.png", "A <map>"),
        Shown("back", "plain.jpg", ""),
        Shown("back", "say it.mp3", ""),
    ]


def modern_package(files: dict[str, bytes], media_map: bytes | None = None) -> zipfile.ZipFile:
    """A zip as current Anki writes beside collection.anki21b: a zstd protobuf map and
    zstd members named by their index."""
    compress = zstandard.ZstdCompressor().compress
    entries = MediaEntries(
        entries=[
            MediaEntries.MediaEntry(name=name, size=len(data), sha1=hashlib.sha1(data).digest())
            for name, data in files.items()
        ]
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("media", media_map or compress(entries.SerializeToString()))
        for number, data in enumerate(files.values()):
            archive.writestr(str(number), compress(data))
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def test_the_current_map_is_read_and_a_zstd_bomb_is_cut_at_the_limit():
    image = png_bytes()
    archive = modern_package({"map.png": image, "bomb.png": bytes(60 * 1024 * 1024)})
    # The bomb's zip member is a few kilobytes: only unpacking shows what it holds.
    assert archive.getinfo("1").file_size < 100_000
    media = read_media(archive, True, ["map.png", "bomb.png", "gone.mp3"])
    assert list(media.files) == ["map.png"]
    assert media.files["map.png"].sha256 == clean_media(image).sha256
    assert media.problems == [
        "bomb.png: larger than 2 MiB, not imported",
        "gone.mp3: a note shows it, but the package lacks it",
    ]


def test_a_damaged_map_is_one_problem_and_no_files():
    archive = modern_package({"map.png": png_bytes()}, media_map=b"not zstd at all")
    media = read_media(archive, True, ["map.png"])
    assert (media.files, media.problems) == (
        {},
        ["The package's list of media files is damaged: no media imported"],
    )
    assert read_media(archive, True, []).problems == []  # no card shows a file: no matter


def test_a_file_the_store_holds_is_kept_byte_for_byte():
    cleaned = clean_media(png_bytes())
    archive = modern_package({"x.png": cleaned.data})
    known = read_media(archive, True, ["x.png"], known=lambda sha: sha == cleaned.sha256)
    assert known.files["x.png"].data == cleaned.data
    assert known.files["x.png"].name == cleaned.name
    unknown = read_media(archive, True, ["x.png"], known=lambda sha: False)
    assert unknown.files["x.png"].sha256 == clean_media(cleaned.data).sha256


def test_at_most_fifty_files_are_read_and_the_rest_named():
    image = png_bytes((4, 4))
    names = [f"{number}.png" for number in range(52)]
    archive = modern_package(dict.fromkeys(names, image))
    media = read_media(archive, True, names)
    assert len(media.files) == 50
    assert media.problems == [
        "50.png: not imported, an import takes at most 50 files",
        "51.png: not imported, an import takes at most 50 files",
    ]
