"""Quizdeck JSON carries the images its items show; reading cleans them like any upload."""

from __future__ import annotations

import base64
import io
import json

from PIL import Image

from quizzes.domain.interop.jsonformat import from_json, to_json
from quizzes.domain.media import clean_image
from tests.domain.media.test_media_cleaning import SECRET, decompression_bomb, png_bytes


def item_showing(name: str) -> dict:
    return {
        "key": "flag.1",
        "fact_ids": [],
        "type": "truefalse",
        "prompt": f"This flag is red.\n\n![A flag](/media/{name})",
        "data": {"answer": True},
        "explanation": "",
        "sources": [],
        "topics": [],
        "difficulty": 0.5,
    }


def test_a_png_round_trips_under_its_name():
    clean = clean_image(png_bytes())
    text = to_json(
        {"title": "Flags"}, [item_showing(clean.name)], [(clean.name, clean.mime, clean.data)]
    )
    result = from_json(text)
    assert result.ok, result.errors
    assert [m.name for m in result.media] == [clean.name]
    assert result.media[0].data == clean.data
    assert result.items[0]["prompt"].endswith(f"(/media/{clean.name})")


def test_a_file_that_cleans_to_other_bytes_is_renamed_in_the_items():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, "JPEG", comment=SECRET)
    original = out.getvalue()
    old_name = "f" * 64 + ".jpg"
    text = to_json({}, [item_showing(old_name)], [(old_name, "image/jpeg", original)])
    result = from_json(text)
    assert result.ok, result.errors
    [cleaned] = result.media
    assert SECRET not in cleaned.data
    assert result.items[0]["prompt"].endswith(f"(/media/{cleaned.name})")
    assert old_name not in json.dumps(result.items)


def test_bad_media_make_the_file_unusable_saying_which():
    good = clean_image(png_bytes())
    document = json.loads(to_json({}, [item_showing(good.name)]))
    document["media"] = [
        {"name": "../../etc/passwd", "base64": ""},
        {"name": good.name, "base64": "not base64!"},
        {"name": good.name, "base64": base64.b64encode(decompression_bomb()).decode()},
        {"name": good.name, "base64": base64.b64encode(b"plain text").decode()},
    ]
    result = from_json(json.dumps(document))
    messages = [error.message for error in result.errors]
    assert not result.ok and result.media == []
    assert messages[0].startswith("media file 1: its name is not")
    assert messages[1].endswith("not base64")
    assert "The image is too large" in messages[2]
    assert (
        "not a PNG, JPEG, GIF or WebP image" in messages[3] or "not one of the kinds" in messages[3]
    )
