"""Uploaded images and sounds: what is accepted, and how it is cleaned before it is stored.

Nothing an uploader sent is stored as sent. An image is decoded with Pillow and written
anew from its pixels (PNG, JPEG, GIF or WebP, the format it came in), so metadata (EXIF,
text chunks, comments, colour profiles) and bytes after the image's end are gone. A sound
is decoded with PyAV (FFmpeg's decoders) and encoded anew as MP3 without tags, the one
format every browser and Anki play. Every limit is checked before the work it bounds:
bytes, then the pixels a header announces, then frames and samples while decoding.

Pure: takes bytes, returns bytes or raises MediaRefused with a message for the uploader.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

MEDIA_BYTES = 2 * 1024 * 1024  # one uploaded file (the request limit is the same)
MAX_SIDE = 8000  # pixels, width or height
MAX_PIXELS = 16_000_000  # width x height of one frame (a 4000x4000 photo)
MAX_FRAMES = 200  # of an animated GIF or WebP
# All frames together: what decoding and encoding one upload may cost (about 2.5 s here for
# the slowest format, WebP, at 16 million pixels).
MAX_TOTAL_PIXELS = 24_000_000
MEDIA_PER_IMPORT = 50  # files carried by one imported question set (JSON)
MAX_SOUND_SECONDS = 300  # five minutes of sound
SOUND_BITRATE = 128_000
MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
ALT_TEXT = 300  # characters of an image's alt text or a sound's label

IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
SOUND_TYPES = {"mp3": "audio/mpeg"}
MIME_TYPES = {**IMAGE_TYPES, **SOUND_TYPES}
EXTENSIONS = {"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp", "mp3": "mp3"}
ACCEPTED = "PNG, JPEG, GIF or WebP images; MP3, OGG, WAV or M4A sounds"

# A stored file's name: its sha256 and the extension of its cleaned format.
MEDIA_NAME = re.compile(r"(?P<sha256>[0-9a-f]{64})\.(?P<ext>png|jpg|gif|webp|mp3)")


class MediaRefused(ValueError):
    """The upload is not stored; the message says why, in the uploader's words."""


@dataclass(frozen=True)
class CleanMedia:
    data: bytes
    kind: str  # "image" or "sound"
    format: str  # a key of MIME_TYPES
    width: int = 0
    height: int = 0
    seconds: float = 0.0

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def mime(self) -> str:
        return MIME_TYPES[self.format]

    @property
    def name(self) -> str:
        return media_name(self.sha256, self.format)


def media_name(sha256: str, format: str) -> str:
    return f"{sha256}.{EXTENSIONS[format]}"


def sniff(data: bytes) -> str | None:
    """The format the first bytes announce (never the file name's), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data.startswith(b"OggS"):
        return "ogg"
    if data[4:8] == b"ftyp":
        return "m4a"
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def clean_media(data: bytes, *, allow_sound: bool = True) -> CleanMedia:
    """The upload cleaned, whatever it is; MediaRefused when it is not one we take."""
    if not data:
        raise MediaRefused("The file is empty.")
    if len(data) > MEDIA_BYTES:
        raise MediaRefused(f"The file is larger than {MEDIA_BYTES // (1024 * 1024)} MiB.")
    found = sniff(data)
    if found in IMAGE_TYPES:
        return clean_image(data)
    if found is not None and allow_sound:
        return clean_sound(data)
    wanted = ACCEPTED if allow_sound else "PNG, JPEG, GIF or WebP images"
    raise MediaRefused(f"This file is not one of the kinds accepted here: {wanted}.")


# -- images -------------------------------------------------------------------------------


def clean_image(data: bytes) -> CleanMedia:
    from PIL import Image, ImageSequence

    format = sniff(data)
    if not data or format not in IMAGE_TYPES:
        raise MediaRefused("This file is not a PNG, JPEG, GIF or WebP image.")
    if len(data) > MEDIA_BYTES:
        raise MediaRefused(f"The file is larger than {MEDIA_BYTES // (1024 * 1024)} MiB.")
    unreadable = MediaRefused(f"This {format.upper()} image could not be read (damaged or cut).")
    try:
        with warnings.catch_warnings():
            # Our limits come first; Pillow's own bomb warning must never pass silently.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(data), formats=[format.upper()])
            width, height = source.size
            _check_dimensions(width, height)
            frames = []
            budget = MAX_TOTAL_PIXELS
            for frame in ImageSequence.Iterator(source):
                budget -= width * height
                if len(frames) >= MAX_FRAMES or budget < 0:
                    raise MediaRefused(
                        f"The animation has too many frames: at most {MAX_FRAMES}, and at most"
                        f" {MAX_TOTAL_PIXELS:,} pixels in all frames together."
                    )
                frames.append((_pixels_only(frame), frame.info.get("duration")))
    except MediaRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaRefused(
            f"The image is too large: at most {MAX_PIXELS:,} pixels (width × height)."
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
        raise unreadable from None
    if format == "jpeg":
        # The orientation lives in EXIF, which is dropped: turn the pixels instead.
        turn = _ORIENTATION.get(source.getexif().get(0x0112, 1))
        if turn is not None:
            frames[0] = (frames[0][0].transpose(turn), None)
    return _encode(format, frames)


# EXIF orientation -> the turn that shows the pixels upright (Image.Transpose values).
_ORIENTATION = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}


def _check_dimensions(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise MediaRefused("The image has no pixels.")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise MediaRefused(
            f"The image is too large: {width:,} × {height:,} pixels; at most {MAX_SIDE:,} on"
            f" a side and {MAX_PIXELS:,} in all."
        )


def _pixels_only(frame):
    """A copy of the frame's pixels (decoded now) with no metadata but its transparency."""
    frame.load()
    copy = frame.copy()
    kept = {"transparency": frame.info["transparency"]} if "transparency" in frame.info else {}
    copy.info = kept
    return copy


def _encode(format: str, frames: list) -> CleanMedia:
    first = frames[0][0]
    out = io.BytesIO()
    try:
        if format == "png":
            image = (
                first
                if first.mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16")
                else (first.convert("RGBA"))
            )
            image.save(out, "PNG", **_transparency(image))
        elif format == "jpeg":
            image = first if first.mode in ("L", "RGB") else first.convert("RGB")
            image.save(out, "JPEG", quality=90)
        elif format == "gif":
            images = [f for f, _ in frames]
            durations = [d or 100 for _, d in frames]
            options = {"save_all": True, "append_images": images[1:], "loop": 0}
            if len(images) > 1:
                options["duration"] = durations
            images[0].save(out, "GIF", **options, **_transparency(images[0]))
        else:  # webp
            images = [f if f.mode in ("RGB", "RGBA") else f.convert("RGBA") for f, _ in frames]
            options = {"save_all": len(images) > 1, "append_images": images[1:], "quality": 90}
            if len(images) > 1:
                options["duration"] = [d or 100 for _, d in frames]
            images[0].save(out, "WEBP", **options)
    except (OSError, ValueError) as error:
        raise MediaRefused(f"This {format.upper()} image could not be written anew.") from error
    return CleanMedia(out.getvalue(), "image", format, first.width, first.height)


def _transparency(image) -> dict:
    value = image.info.get("transparency")
    return {} if value is None else {"transparency": value}


# -- sounds -------------------------------------------------------------------------------

_SOUND_CONTAINERS = {"mp3": "mp3", "ogg": "ogg", "wav": "wav", "m4a": "mov,mp4,m4a,3gp,3g2,mj2"}


def clean_sound(data: bytes) -> CleanMedia:
    """Decoded and encoded anew as MP3 (no tags, no cover art, nothing after the audio)."""
    import av

    format = sniff(data)
    if not data or format not in _SOUND_CONTAINERS:
        raise MediaRefused("This file is not an MP3, OGG, WAV or M4A sound.")
    if len(data) > MEDIA_BYTES:
        raise MediaRefused(f"The file is larger than {MEDIA_BYTES // (1024 * 1024)} MiB.")
    out = io.BytesIO()
    try:
        with av.open(io.BytesIO(data), format=_SOUND_CONTAINERS[format]) as source:
            if not source.streams.audio:
                raise MediaRefused("This file holds no sound.")
            stream = source.streams.audio[0]
            rate = stream.rate if stream.rate in MP3_RATES else 44100
            layout = "mono" if stream.channels == 1 else "stereo"
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
            with av.open(out, "w", format="mp3", options={"id3v2_version": "0"}) as target:
                target.metadata.clear()
                encoded = target.add_stream("libmp3lame", rate=rate, layout=layout)
                encoded.bit_rate = SOUND_BITRATE
                samples = 0
                for frame in _decoded(source, stream, av.InvalidDataError):
                    samples += frame.samples
                    if samples > MAX_SOUND_SECONDS * max(frame.sample_rate, 1):
                        raise MediaRefused(
                            f"The sound is longer than {MAX_SOUND_SECONDS // 60} minutes."
                        )
                    for piece in resampler.resample(frame):
                        target.mux(encoded.encode(piece))
                for piece in resampler.resample(None):
                    target.mux(encoded.encode(piece))
                target.mux(encoded.encode(None))
                seconds = samples / max(stream.rate or rate, 1)
    except MediaRefused:
        raise
    except (av.FFmpegError, ValueError, OSError, IndexError):
        raise MediaRefused(
            f"This {format.upper()} sound could not be read (damaged or cut)."
        ) from None
    if samples == 0:
        raise MediaRefused("This file holds no sound.")
    return CleanMedia(out.getvalue(), "sound", "mp3", seconds=round(seconds, 2))


def _decoded(source, stream, invalid: type[Exception]):
    """The stream's frames; bytes that stop decoding after some sound (a payload or junk
    after the audio) end the sound there instead of refusing the file."""
    decoded_some = False
    for packet in source.demux(stream):
        try:
            frames = packet.decode()
        except invalid:
            if decoded_some:
                return
            raise
        for frame in frames:
            decoded_some = True
            yield frame


def clean_text_label(text: str | None) -> str:
    """An alt text or sound label: one line, trimmed."""
    return " ".join((text or "").split())[:ALT_TEXT]


_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*)")
_HTML_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_STORED_SOURCE = re.compile(r"/media/" + MEDIA_NAME.pattern)


def outside_images(text: str | None) -> list[str]:
    """Image sources in Markdown or HTML that are not files of this site's media store:
    the page's content security policy and the sanitiser would never show them."""
    sources = _MARKDOWN_IMAGE.findall(text or "") + _HTML_IMAGE.findall(text or "")
    return [src for src in sources if _STORED_SOURCE.fullmatch(src) is None]
