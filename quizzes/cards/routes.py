"""Flashcard pages: decks, cards, settings, statistics and export. Thin: load, check, act.

Studying (cards/study_views.py) and importing (cards/import_views.py) join this blueprint."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from models import Deck, db
from quizzes import memory
from quizzes.cards import decks, personal, services, stats, summaries
from quizzes.cards.forms import (
    CardForm,
    DeckForm,
    SettingsForm,
    format_steps,
    parse_steps,
)
from quizzes.domain import srs
from quizzes.domain.srs.optimise import MIN_REVIEWS
from quizzes.integers import whole_number
from quizzes.media import store
from quizzes.transfer import anki
from quizzes.transfer import decks as deck_transfer
from quizzes.web import clock, once
from quizzes.web.forms import EmptyForm
from quizzes.web.ownership import own_card_or_404, own_deck_or_404

bp = Blueprint("cards", __name__, url_prefix="/cards")


@bp.before_request
@login_required
def _logged_in():
    """Every flashcard page needs an account: memories are per learner."""


def deck_or_404(ref: str) -> decks.StudyDeck:
    deck = decks.load_deck(ref, current_user.id)
    if deck is None:
        abort(404)
    return deck


# -- decks ----------------------------------------------------------------------------


@bp.get("/")
def index():
    context = services.load_context(current_user.id)
    now = clock.now()
    done = services.done_today(current_user.id, now, context.settings)
    new_room = max(0, context.settings.new_per_day - done.new)
    listed = summaries.deck_summaries(current_user.id, now, context.settings, new_room)
    return render_template(
        "cards/index.html",
        summaries=listed,
        exam=context.exam,
        today=srs.study_day(now, context.settings),
        form=DeckForm(),
    )


@bp.route("/decks/new", methods=["GET", "POST"])
def new_deck():
    form = DeckForm()
    if form.validate_on_submit():
        sent = once.claim(form.once.data)
        if sent.earlier:
            return once.already_sent(sent, fallback=url_for("cards.index"))
        deck = Deck(
            owner_id=current_user.id,
            title=form.title.data.strip(),
            description=(form.description.data or "").strip(),
        )
        db.session.add(deck)
        db.session.flush()
        target = sent.made(url_for("cards.new_card", ref=decks.deck_ref(deck)))
        db.session.commit()
        flash(f"Deck “{deck.title}” created. Add its first card.", "success")
        return redirect(target)
    return render_template("cards/deck_form.html", form=form, deck=None)


@bp.route("/decks/<int:deck_id>/edit", methods=["GET", "POST"])
def edit_deck(deck_id: int):
    deck = own_deck_or_404(deck_id)
    form = DeckForm(obj=deck)
    if form.validate_on_submit():
        deck.title = form.title.data.strip()
        deck.description = (form.description.data or "").strip()
        db.session.commit()
        flash("Deck saved.", "success")
        return redirect(url_for("cards.deck", ref=decks.deck_ref(deck)))
    return render_template("cards/deck_form.html", form=form, deck=deck)


@bp.post("/decks/<int:deck_id>/delete")
def delete_deck(deck_id: int):
    deck = own_deck_or_404(deck_id)
    if EmptyForm().validate_on_submit():
        title = deck.title
        personal.delete_deck(deck)
        db.session.commit()
        flash(f"Deck “{title}” and its cards were deleted.", "success")
    return redirect(url_for("cards.index"))


@bp.get("/<ref>")
def deck(ref: str):
    study_deck = deck_or_404(ref)
    context = services.load_context(current_user.id)
    now = clock.now()
    queue = services.build_queue(study_deck, current_user.id, now, context, with_plan=True, head=0)
    if study_deck.is_personal:
        cards = None  # listed a page at a time
        page = personal.card_page(study_deck.deck, request.args.get("page", 1, type=whole_number))
    else:
        cards, page = study_deck.cards(), None  # a set or topic of the bank: a few dozen
    return render_template(
        "cards/deck.html",
        deck=study_deck,
        queue=queue,
        cards=cards,
        page=page,
        today=srs.study_day(now, context.settings),
        delete_form=EmptyForm(),
        plan_text=srs.describe_backlog_plan(queue.backlog, srs.study_day(now, context.settings)),
        # Only asked when it explains an empty queue: the limit, not the deck, stops them.
        new_waiting=study_deck.new_count(current_user.id) if queue.new_limit_reached else 0,
    )


# -- personal cards -------------------------------------------------------------------


def _card_fields(form: CardForm) -> dict:
    return {
        "kind": form.kind.data or "basic",
        "front": form.front.data.strip(),
        "back": (form.back.data or "").strip(),
        "source": (form.source.data or "").strip(),
        "tags": personal.tags_from_text(form.tags.data or ""),
        "reversed": bool(form.reversed.data) and form.kind.data != "cloze",
    }


@bp.route("/<ref>/cards/new", methods=["GET", "POST"])
def new_card(ref: str):
    study_deck = deck_or_404(ref)
    if not study_deck.is_personal:
        abort(404)
    form = CardForm()
    if form.validate_on_submit():
        sent = once.claim(form.once.data)
        if sent.earlier:
            return once.already_sent(sent, fallback=url_for("cards.deck", ref=ref))
        personal.add_card(study_deck.deck, **_card_fields(form))
        target = sent.made(url_for("cards.new_card", ref=ref))
        db.session.commit()
        flash("Card added. Write the next one, or go back to the deck.", "success")
        return redirect(target)
    return render_template("cards/card_form.html", form=form, deck=study_deck, card=None)


@bp.route("/card/<int:card_id>/edit", methods=["GET", "POST"])
def edit_card(card_id: int):
    card = own_card_or_404(card_id)
    ref = decks.deck_ref(card.deck)
    form = CardForm(obj=card)
    if request.method == "GET":
        form.tags.data = ", ".join(card.tags or [])
    if form.validate_on_submit():
        for name, value in _card_fields(form).items():
            setattr(card, name, value)
        db.session.commit()
        flash("Card saved.", "success")
        return redirect(url_for("cards.deck", ref=ref))
    study_deck = deck_or_404(ref)
    return render_template("cards/card_form.html", form=form, deck=study_deck, card=card)


@bp.post("/card/<int:card_id>/delete")
def delete_card(card_id: int):
    card = own_card_or_404(card_id)
    ref = decks.deck_ref(card.deck)
    if EmptyForm().validate_on_submit():
        personal.delete_card(card)
        db.session.commit()
        flash("Card deleted.", "success")
    return redirect(url_for("cards.deck", ref=ref))


# -- settings, statistics, export -----------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    context = services.load_context(current_user.id)
    current = context.settings
    form = SettingsForm(topics=decks.bank_topics())
    if request.method == "GET":
        form.desired_retention.data = current.desired_retention
        form.new_per_day.data = current.new_per_day
        form.reviews_per_day.data = current.reviews_per_day
        form.learning_steps.data = format_steps(current.learning_steps)
        form.relearning_steps.data = format_steps(current.relearning_steps)
        form.timezone.data = current.timezone
        form.day_start_hour.data = current.day_start_hour
        form.exam_date.data = context.exam.day if context.exam else None
        form.exam_topic.data = context.exam.topic if context.exam else ""
    if form.validate_on_submit():
        if form.exam_date.data and form.exam_date.data < srs.study_day(clock.now(), current):
            form.exam_date.errors = ["The exam date is already past."]
        else:
            chosen = replace(
                current,
                desired_retention=round(float(form.desired_retention.data), 4),
                new_per_day=form.new_per_day.data,
                reviews_per_day=form.reviews_per_day.data,
                learning_steps=tuple(parse_steps(form.learning_steps.data)),
                relearning_steps=tuple(parse_steps(form.relearning_steps.data)),
                timezone=form.timezone.data,
                day_start_hour=form.day_start_hour.data,
            )
            memory.save_settings(current_user.id, chosen)
            current_user.timezone = chosen.timezone
            exam = None
            if form.exam_date.data and form.exam_topic.data:
                exam = services.Exam(form.exam_date.data, form.exam_topic.data)
            services.save_exam(current_user.id, exam)
            db.session.commit()
            flash("Study settings saved.", "success")
            return redirect(url_for("cards.settings"))
    return render_template(
        "cards/settings.html",
        form=form,
        fitted=tuple(current.parameters) != tuple(srs.StudySettings().parameters),
        can_undo=bool(current.previous_parameters),
        min_reviews=MIN_REVIEWS,
    )


@bp.get("/stats")
def statistics():
    context = services.load_context(current_user.id)
    page = stats.build(current_user.id, clock.now(), context.settings)
    return render_template("cards/stats.html", page=page)


@bp.get("/<ref>/export.apkg")
def export_apkg(ref: str):
    study_deck = deck_or_404(ref)
    cards, now = study_deck.cards(), clock.now()
    data = anki.to_apkg(
        study_deck.title,
        study_deck.anki_id,
        cards,
        now,
        lambda names: store.media_for_export_to(current_user, names),
        store.shown_on_cards(card.id for card in cards),
    )
    return deck_transfer.download(
        data, f"{deck_transfer.filename(study_deck.title)}.apkg", "application/octet-stream"
    )


@bp.get("/<ref>/export.csv")
def export_csv(ref: str):
    study_deck = deck_or_404(ref)
    data = deck_transfer.to_csv(study_deck.cards()).encode("utf-8")
    return deck_transfer.download(
        data, f"{deck_transfer.filename(study_deck.title)}.csv", "text/csv"
    )


@bp.app_template_filter("local_time")
def local_time(moment: datetime, zone) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


@bp.app_template_filter("weekday")
def weekday(day) -> str:
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[
        day.weekday()
    ] + f" {day.isoformat()}"
