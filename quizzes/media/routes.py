"""Serving stored media: /media/<sha256>.<ext>, to those who may see it (else 404)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, Response, abort, current_app, request
from flask_login import current_user

from models import MediaFile
from quizzes.media import store
from quizzes.media.forms import CardMediaForm

bp = Blueprint("media", __name__)

# The name is the content's hash, so a file never changes under its address: a browser
# keeps it for a year. "private": access depends on who asks, so no shared cache keeps it.
CACHE = "private, max-age=31536000, immutable"
# Checks a feature adds for browsers store.may_see does not know (no account): each is given
# the file and answers for the browser asking (its signed session).
GUEST_CHECKS = "quizdeck.media_guest_checks"


@bp.get("/media/<name>")
def serve(name: str) -> Response:
    media = store.by_name(name)
    if media is None or not (store.may_see(current_user, media) or _guest_may_see(media)):
        abort(404)
    etag = f'"{media.sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = Response(status=304)
    else:
        response = Response(media.data, mimetype=media.mime)
        response.headers["Content-Disposition"] = f'inline; filename="{media.name}"'
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = CACHE
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _guest_may_see(media: MediaFile) -> bool:
    return any(check(media) for check in current_app.extensions.get(GUEST_CHECKS, ()))


def allow_guests(app: Flask, check: Callable[[MediaFile], bool]) -> None:
    """Let `check` open files to browsers without an account (a live round's guests)."""
    app.extensions.setdefault(GUEST_CHECKS, []).append(check)


def register(app) -> None:
    # {% set media = card_sides(shown.card.id) %}: a personal card's images and sounds.
    app.jinja_env.globals["card_sides"] = store.card_sides
    # The card editor's upload form, blank (the cards views pass a filled one after an error).
    app.jinja_env.globals["card_media_form"] = lambda: CardMediaForm(formdata=None)
