"""Uploaded images and sounds come out as pixels and samples only, or are refused clearly."""

from __future__ import annotations

import io
import math
import struct
import wave
import zlib

import av
import pytest
from PIL import Image

from quizzes.domain import media
from quizzes.domain.media import MediaRefused, clean_image, clean_media, clean_sound

SECRET = b"GPS-SECRET-4711"


def png_bytes(size=(40, 30), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode != "P" else 1).save(out, "PNG", **save)
    return out.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def with_chunk_before_end(png: bytes, chunk: bytes) -> bytes:
    end = png.rindex(b"IEND") - 4
    return png[:end] + chunk + png[end:]


def test_png_with_exif_text_and_trailing_payload_comes_out_clean():
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()  # camera make
    dirty = with_chunk_before_end(
        png_bytes(exif=exif.tobytes()), png_chunk(b"tEXt", b"Comment\0" + SECRET)
    )
    dirty += b"<script>alert(1)</script>" + SECRET  # bytes after IEND
    assert dirty.count(SECRET) == 3

    clean = clean_media(dirty)

    assert SECRET not in clean.data
    assert b"eXIf" not in clean.data and b"tEXt" not in clean.data
    assert clean.data.endswith(b"IEND\xaeB`\x82")
    assert (clean.kind, clean.format, clean.mime) == ("image", "png", "image/png")
    assert (clean.width, clean.height) == (40, 30)
    assert Image.open(io.BytesIO(clean.data)).getpixel((5, 5)) == (255, 0, 0)
    assert clean.name == f"{clean.sha256}.png"


def test_jpeg_loses_exif_and_comment_and_keeps_its_orientation():
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()
    exif[0x0112] = 6  # shown turned 90° clockwise
    out = io.BytesIO()
    Image.new("RGB", (60, 20), "blue").save(out, "JPEG", exif=exif.tobytes(), comment=SECRET)
    dirty = out.getvalue() + SECRET

    clean = clean_image(dirty)

    assert SECRET not in clean.data and b"Exif" not in clean.data
    assert clean.format == "jpeg" and clean.name.endswith(".jpg")
    assert (clean.width, clean.height) == (20, 60)  # the pixels were turned instead


def test_animated_gif_keeps_its_frames_and_drops_its_comment():
    frames = [Image.new("RGB", (16, 16), (80 * i, 0, 0)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], comment=SECRET, duration=50)
    clean = clean_image(out.getvalue())
    assert SECRET not in clean.data
    assert Image.open(io.BytesIO(clean.data)).n_frames == 3


def test_webp_is_written_anew():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()
    Image.new("RGBA", (10, 10), (0, 255, 0, 128)).save(out, "WEBP", exif=exif.tobytes())
    clean = clean_image(out.getvalue())
    assert SECRET not in clean.data and clean.mime == "image/webp"


def test_duplicate_uploads_have_one_name():
    assert clean_image(png_bytes()).name == clean_image(png_bytes() + b"trailing").name


def decompression_bomb() -> bytes:
    """A PNG announcing 30,000 x 30,000 pixels in a few hundred bytes of zeros."""
    side = 30_000
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\0" * (side // 8 + 1) * 100)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", rows)
        + png_chunk(b"IEND", b"")
    )


def huge_gif() -> bytes:
    """A GIF whose screen and frame say 65,535 x 65,535 pixels."""
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF")
    data = bytearray(out.getvalue())
    data[6:10] = struct.pack("<HH", 65535, 65535)
    descriptor = data.index(b"\x2c")
    data[descriptor + 5 : descriptor + 9] = struct.pack("<HH", 65535, 65535)
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"hello, this is text\n", "not one of the kinds accepted"),
        (decompression_bomb(), "The image is too large"),
        (huge_gif(), "The image is too large"),
        (png_bytes()[:60], "could not be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "could not be read"),
        (b"GIF89a" + b"x" * (media.MEDIA_BYTES), "larger than 2 MiB"),
    ],
    ids=["empty", "text", "bomb", "huge-gif", "cut", "garbage-png", "too-big"],
)
def test_refused_with_a_clear_message(data, message):
    with pytest.raises(MediaRefused, match=message):
        clean_media(data)


def test_text_renamed_png_is_refused_as_an_image():
    with pytest.raises(MediaRefused, match="not a PNG, JPEG, GIF or WebP image"):
        clean_image(b"just some text, named picture.png")


def test_too_many_frames_refused():
    frames = [Image.new("RGB", (8, 8), (i % 256, i // 256, 9)) for i in range(media.MAX_FRAMES + 1)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(MediaRefused, match="too many frames"):
        clean_image(out.getvalue())


def test_images_only_where_sounds_are_not_taken():
    with pytest.raises(MediaRefused, match="PNG, JPEG, GIF or WebP images\\."):
        clean_media(wav_bytes(), allow_sound=False)


# -- sounds --------------------------------------------------------------------------------


def wav_bytes(seconds=0.5, rate=22050, extra_chunk=b"") -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        samples = (int(8000 * math.sin(i / 10)) for i in range(int(seconds * rate)))
        w.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    data = out.getvalue() + extra_chunk
    return data[:4] + struct.pack("<I", len(data) - 8) + data[8:]


def tagged_mp3() -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format="mp3") as target:
        target.metadata["title"] = SECRET.decode()
        stream = target.add_stream("libmp3lame", rate=44100, layout="mono")
        with av.open(io.BytesIO(wav_bytes(rate=44100))) as source:
            resampler = av.AudioResampler(format="fltp", layout="mono", rate=44100)
            for frame in source.decode(audio=0):
                for piece in resampler.resample(frame):
                    target.mux(stream.encode(piece))
        target.mux(stream.encode(None))
    return out.getvalue()


def test_wav_with_info_chunk_becomes_a_plain_mp3():
    info = b"INFOINAM" + struct.pack("<I", len(SECRET)) + SECRET
    dirty = wav_bytes(extra_chunk=b"LIST" + struct.pack("<I", len(info)) + info)
    clean = clean_media(dirty)
    assert SECRET not in clean.data
    assert (clean.kind, clean.mime) == ("sound", "audio/mpeg") and clean.name.endswith(".mp3")
    assert 0.4 < clean.seconds < 0.6
    assert not clean.data.startswith(b"ID3")


def test_mp3_loses_its_tags():
    dirty = tagged_mp3()
    assert SECRET in dirty
    clean = clean_sound(dirty + SECRET)
    assert SECRET not in clean.data and not clean.data.startswith(b"ID3")
    with av.open(io.BytesIO(clean.data)) as again:
        assert again.streams.audio[0].rate == 44100


def test_long_sound_refused(monkeypatch):
    monkeypatch.setattr(media, "MAX_SOUND_SECONDS", 1)
    with pytest.raises(MediaRefused, match="longer than"):
        clean_sound(wav_bytes(seconds=1.5))


@pytest.mark.parametrize(
    "data", [b"RIFF\0\0\0\0WAVEjunkjunk", b"OggS" + b"\0" * 50, b"ID3" + b"\0" * 40]
)
def test_damaged_sound_refused(data):
    with pytest.raises(MediaRefused, match="could not be read|holds no sound"):
        clean_media(data)


def test_outside_images_are_found_and_stored_ones_are_not():
    own = "/media/" + "a" * 64 + ".png"
    text = (
        f"![ours]({own}) ![theirs](https://example.com/x.png) <img src='//cdn.example/y.gif'>"
        f' <IMG SRC="{own}"> ![relative](pics/z.png) ![sneaky](/media/../secret.png)'
    )
    assert media.outside_images(text) == [
        "https://example.com/x.png",
        "pics/z.png",
        "/media/../secret.png",
        "//cdn.example/y.gif",
    ]
    assert media.outside_images(None) == []
