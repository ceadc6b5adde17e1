"""Images and sounds on a personal card: added on the card's edit page, one side each."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from models import CardMedia, db
from quizzes.cards import decks
from quizzes.cards.forms import CardForm
from quizzes.cards.routes import bp, deck_or_404
from quizzes.media import store
from quizzes.media.forms import CardMediaForm
from quizzes.web.forms import EmptyForm
from quizzes.web.ownership import own_card_or_404
from quizzes.web.ratelimits import imports


@bp.post("/card/<int:card_id>/media")
@imports
def add_card_media(card_id: int):
    card = own_card_or_404(card_id)
    form = CardMediaForm()
    if form.validate_on_submit():
        filename, data = form.upload()
        try:
            media = store.store_media(
                current_user, filename, data, deck=card.deck, label=form.label.data
            )
        except store.MediaRefused as refused:
            db.session.rollback()
            form.file.errors = [str(refused)]
        else:
            store.attach_to_card(card, media, form.side.data, form.label.data)
            db.session.commit()
            what = "Image" if media.kind == "image" else "Sound"
            flash(f"{what} added to the card's {form.side.data}.", "success")
            return redirect(url_for("cards.edit_card", card_id=card.id, _anchor="card-media"))
    deck = deck_or_404(decks.deck_ref(card.deck))
    card_form = CardForm(obj=card, formdata=None)
    card_form.tags.data = ", ".join(card.tags or [])
    return render_template(
        "cards/card_form.html", form=card_form, deck=deck, card=card, media_form=form
    ), 422


@bp.post("/card/<int:card_id>/media/<int:shown_id>/delete")
def remove_card_media(card_id: int, shown_id: int):
    card = own_card_or_404(card_id)
    shown = db.session.get(CardMedia, shown_id)
    if shown is None or shown.card_id != card.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        db.session.delete(shown)
        db.session.commit()
        flash("Removed from the card.", "success")
    return redirect(url_for("cards.edit_card", card_id=card.id, _anchor="card-media"))
