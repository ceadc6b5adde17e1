"""Importing cards into a learner's own deck: upload, preview, confirm.

Nothing is written until the learner confirms. Between preview and confirm the cards read
from the file travel back in the confirm form as a signed, compressed, expiring token
(keyed by SECRET_KEY, bound to the learner and the deck), as the question-set import
does: the server keeps no upload, and confirming adds exactly the cards previewed.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import PurePath

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from models import Deck, db
from quizzes.cards import decks, personal
from quizzes.cards.forms import CardImportForm, ConfirmCardImportForm, DiscardCardImportForm
from quizzes.cards.routes import bp
from quizzes.domain import limits
from quizzes.domain.interop.cards import CardImport, ImportedCard, new_cards, read_card_file
from quizzes.domain.text import counted
from quizzes.media import store
from quizzes.web import clock, once, previews
from quizzes.web.errors import render_error
from quizzes.web.ownership import own_deck_or_404
from quizzes.web.ratelimits import imports

PREVIEW_ROWS = 20  # the first cards shown; the count says how many in all


PREVIEW_SALT = "quizdeck-card-import"
# Files that previews kept and nobody confirmed, deleted per preview or discard at most: the
# rest wait for the next one (or `flask media prune`).
PRUNE_BATCH = 50


def _prune_expired_previews(now: datetime) -> None:
    """Files kept by previews that can no longer be confirmed (older than a token lives)."""
    store.prune_unused(kept_before=now - timedelta(seconds=previews.MAX_AGE), limit=PRUNE_BATCH)


def _size_limit() -> str:
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit // 1024} KB"


def _render_upload(deck: Deck, form: CardImportForm, problems: list[str] = (), status=200):
    return render_template(
        "cards/import.html",
        deck=deck,
        ref=decks.deck_ref(deck),
        form=form,
        problems=list(problems),
        max_bytes=current_app.config["MAX_CONTENT_LENGTH"],
        size_limit=_size_limit(),
    ), status


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    deck_id = (request.view_args or {}).get("deck_id")
    if request.endpoint != "cards.import_preview" or deck_id is None:
        return render_error(413)
    return _render_upload(
        own_deck_or_404(deck_id),
        CardImportForm(formdata=None),
        [
            f"The file is larger than {_size_limit()}, the most Quizdeck accepts at once. "
            "Export the deck without its media (images and sounds), or split it. "
            "Nothing was saved."
        ],
        413,
    )


@bp.get("/decks/<int:deck_id>/import")
def import_start(deck_id: int):
    return _render_upload(own_deck_or_404(deck_id), CardImportForm())


@bp.post("/decks/<int:deck_id>/import")
@imports
def import_preview(deck_id: int):
    deck = own_deck_or_404(deck_id)
    form = CardImportForm()
    if not form.validate_on_submit():
        return _render_upload(deck, form)
    upload = form.file.data
    data = upload.read() if upload else b""
    filename = PurePath(upload.filename or "").name if upload else ""
    if not data.strip():
        return _render_upload(deck, form, ["Choose a file to import: it was missing or empty."])
    result = read_card_file(
        filename,
        data,
        limits.Deadline.after(limits.IMPORT_SECONDS, time.monotonic),
        known_media=store.holds,
    )
    if not result.ok:
        problems = [f"{problem}." for problem in result.errors]
        return _render_upload(deck, form, [*problems, "Nothing was saved."])
    kept, repeats = new_cards(result, personal.card_looks(deck))
    token, stored = None, {}
    if kept:
        now = clock.now()
        _prune_expired_previews(now)
        stored, new = personal.keep_imported_media(result.media, kept, now)
        db.session.commit()
        token = previews.sign(
            PREVIEW_SALT,
            {
                "user": current_user.id,
                "deck": deck.id,
                "cards": [_token_card(card) for card in kept],
                "media": stored,
                "new_media": new,  # what a discard deletes
                "kept_at": now.isoformat(),
            },
        )
    return render_template(
        "cards/import_preview.html",
        deck=deck,
        ref=decks.deck_ref(deck),
        filename=filename,
        result=result,
        kept=kept,
        shown=kept[:PREVIEW_ROWS],
        repeats=repeats,
        media_count=len(stored),
        confirm=ConfirmCardImportForm(formdata=None, token=token),
        discard=DiscardCardImportForm(formdata=None, token=token, prefix="discard"),
        token=token,
    )


@bp.post("/decks/<int:deck_id>/import/confirm")
@imports
def import_confirm(deck_id: int):
    deck = own_deck_or_404(deck_id)
    form = ConfirmCardImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        payload = previews.read(PREVIEW_SALT, form.token.data, user=current_user.id, deck=deck.id)
    except previews.PreviewExpired:
        _prune_expired_previews(clock.now())
        db.session.commit()
        flash(previews.EXPIRED_MESSAGE, "error")
        return redirect(url_for("cards.import_start", deck_id=deck.id))
    deck_url = url_for("cards.deck", ref=decks.deck_ref(deck))
    sent = once.claim(form.once.data)
    if sent.earlier:
        return once.already_sent(sent, fallback=deck_url)
    # Cards added since the preview (another tab) are not added twice.
    previewed = CardImport("preview", cards=[_card(fields) for fields in payload["cards"]])
    kept, _ = new_cards(previewed, personal.card_looks(deck))
    added = personal.add_cards(deck, [_stored(card) for card in kept])
    shown = personal.show_imported_media(current_user, deck, kept, added, payload.get("media", {}))
    url = sent.made(deck_url)
    db.session.commit()
    with_media = f", with {counted(shown, 'image or sound', 'images and sounds')}" if shown else ""
    flash(f"Imported {counted(len(added), 'card')} into “{deck.title}”{with_media}.", "success")
    return redirect(url)


@bp.post("/decks/<int:deck_id>/import/discard")
def import_discard(deck_id: int):
    """Drop a preview: the files it added to the store are deleted unless something came to
    use them or a later preview kept them again (for its own confirm). Files that were
    stored before it are left to the pruning of expired previews."""
    deck = own_deck_or_404(deck_id)
    form = DiscardCardImportForm(prefix="discard")  # beside the confirm form on one page
    if not form.validate_on_submit():
        abort(400)
    try:
        payload = previews.read(PREVIEW_SALT, form.token.data, user=current_user.id, deck=deck.id)
    except previews.PreviewExpired:
        _prune_expired_previews(clock.now())
    else:
        kept_at = _kept_at(payload)
        if kept_at is not None:
            store.prune_unused(
                list(payload.get("new_media", []))[:PRUNE_BATCH],
                kept_before=kept_at + timedelta(microseconds=1),
            )
    db.session.commit()
    flash("Import cancelled: nothing was added.", "info")
    return redirect(url_for("cards.import_start", deck_id=deck.id))


def _kept_at(payload: dict) -> datetime | None:
    try:
        return datetime.fromisoformat(payload.get("kept_at") or "")
    except (TypeError, ValueError):
        return None  # a token signed before previews said when they kept their files


def _stored(card: ImportedCard) -> dict:
    """A card's columns (what the token carries, and what is written)."""
    return personal.imported_columns(card)


def _token_card(card: ImportedCard) -> dict:
    """What the token carries of a card: its columns and the files its sides show."""
    return {
        **_stored(card),
        "media": [list(shown) for shown in card.media],
    }


def _card(fields: dict) -> ImportedCard:
    return ImportedCard(
        kind=fields["kind"],
        front=fields["front"],
        back=fields["back"],
        source=fields["source"],
        tags=tuple(fields["tags"]),
        reversed=bool(fields["reversed"]),
        media=tuple(tuple(shown) for shown in fields.get("media", ())),
    )
