"""What an import's preview hands to its confirm: the data read from the file, in a signed,
expiring token (keyed by SECRET_KEY), so the server keeps no upload and confirming adds
exactly what was previewed. The question-set import and the card import both use it.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

MAX_AGE = 3 * 3600  # seconds a preview stays confirmable; the message says "3 hours"
EXPIRED_MESSAGE = "That preview is more than 3 hours old. Upload the file again."


class PreviewExpired(Exception):
    """A token older than MAX_AGE: the learner or teacher uploads the file again."""


def sign(salt: str, payload: dict[str, Any]) -> str:
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt).dumps(payload)


def read(salt: str, token: str | None, **bound: Any) -> dict[str, Any]:
    """The payload of a token this server signed for the same `bound` values (the user,
    the deck...). Raises PreviewExpired; a forged, altered or foreign token is a 400."""
    serializer = URLSafeTimedSerializer(current_app.secret_key, salt=salt)
    try:
        payload = serializer.loads(token or "", max_age=MAX_AGE)
    except SignatureExpired:
        raise PreviewExpired from None
    except BadSignature:
        abort(400)
    if not isinstance(payload, dict) or any(payload.get(k) != v for k, v in bound.items()):
        abort(400)
    return payload
