"""Flashcard pages: decks, studying, settings, statistics and export. Thin: load, check, act."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from models import Card, Deck, db, utcnow
from quizzes import memory, once
from quizzes.auth.forms import EmptyForm
from quizzes.cards import decks, export, services, stats
from quizzes.cards.forms import (
    CardForm,
    DeckForm,
    RateForm,
    SettingsForm,
    format_steps,
    parse_steps,
)
from quizzes.domain import srs
from quizzes.ownership import owned_or_404
from quizzes.ratelimits import answer_saves

bp = Blueprint("cards", __name__, url_prefix="/cards")

PROGRESS = "cards_progress"
UNDO = "cards_undo"
MAX_DURATION_MS = 10 * 60 * 1000
STUDY_HEAD = 3  # queue entries the study page loads; it shows the first


def _now() -> datetime:
    return utcnow()


@bp.before_request
@login_required
def _logged_in():
    """Every flashcard page needs an account: memories are per learner."""


def _deck_or_404(ref: str) -> decks.StudyDeck:
    deck = decks.load_deck(ref, current_user.id)
    if deck is None:
        abort(404)
    return deck


def _own_deck_or_404(deck_id: int) -> Deck:
    return owned_or_404(Deck, deck_id, lambda deck: deck.owner_id)


def _own_card_or_404(card_id: int) -> Card:
    return owned_or_404(Card, card_id, lambda card: card.deck.owner_id)


# -- decks ----------------------------------------------------------------------------


@bp.get("/")
def index():
    context = services.load_context(current_user.id)
    now = _now()
    summaries = decks.deck_summaries(current_user.id, now, context.settings)
    return render_template(
        "cards/index.html",
        summaries=summaries,
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
    deck = _own_deck_or_404(deck_id)
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
    deck = _own_deck_or_404(deck_id)
    if EmptyForm().validate_on_submit():
        title = deck.title
        decks.delete_deck(deck)
        db.session.commit()
        flash(f"Deck “{title}” and its cards were deleted.", "success")
    return redirect(url_for("cards.index"))


@bp.get("/<ref>")
def deck(ref: str):
    study_deck = _deck_or_404(ref)
    context = services.load_context(current_user.id)
    now = _now()
    queue = services.build_queue(study_deck, current_user.id, now, context, with_plan=True, head=0)
    if study_deck.is_personal:
        cards = None  # listed a page at a time
        page = decks.card_page(study_deck.deck, request.args.get("page", 1, type=int))
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
        "tags": decks.tags_from_text(form.tags.data or ""),
        "reversed": bool(form.reversed.data) and form.kind.data != "cloze",
    }


@bp.route("/<ref>/cards/new", methods=["GET", "POST"])
def new_card(ref: str):
    study_deck = _deck_or_404(ref)
    if not study_deck.is_personal:
        abort(404)
    form = CardForm()
    if form.validate_on_submit():
        sent = once.claim(form.once.data)
        if sent.earlier:
            return once.already_sent(sent, fallback=url_for("cards.deck", ref=ref))
        decks.add_card(study_deck.deck, **_card_fields(form))
        target = sent.made(url_for("cards.new_card", ref=ref))
        db.session.commit()
        flash("Card added. Write the next one, or go back to the deck.", "success")
        return redirect(target)
    return render_template("cards/card_form.html", form=form, deck=study_deck, card=None)


@bp.route("/card/<int:card_id>/edit", methods=["GET", "POST"])
def edit_card(card_id: int):
    card = _own_card_or_404(card_id)
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
    study_deck = _deck_or_404(ref)
    return render_template("cards/card_form.html", form=form, deck=study_deck, card=card)


@bp.post("/card/<int:card_id>/delete")
def delete_card(card_id: int):
    card = _own_card_or_404(card_id)
    ref = decks.deck_ref(card.deck)
    if EmptyForm().validate_on_submit():
        decks.delete_card(card)
        db.session.commit()
        flash("Card deleted.", "success")
    return redirect(url_for("cards.deck", ref=ref))


# -- studying -------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """This session's study of a deck today. The bar shows `finished` of `total`: a card
    rated Again stays among those left rather than adding to the total, so the bar only
    moves back on undo."""

    reviews: int  # ratings given
    finished: int  # cards done for today (not due again before tomorrow)
    left: int  # cards still to study today

    @property
    def total(self) -> int:
        return self.finished + self.left


def _progress(ref: str, today, left: int) -> Progress:
    data = session.get(PROGRESS) or {}
    if data.get("ref") != ref or data.get("day") != str(today):
        data = {}
    return Progress(data.get("done", 0), data.get("finished", 0), left)


def _count_progress(ref: str, today, step: int, *, finished: bool) -> None:
    data = session.get(PROGRESS) or {}
    if data.get("ref") != ref or data.get("day") != str(today):
        data = {"ref": ref, "day": str(today), "done": 0}
    data["done"] = max(0, data["done"] + step)
    if finished:
        data["finished"] = max(0, data.get("finished", 0) + step)
    session[PROGRESS] = data


@bp.get("/<ref>/study")
def study(ref: str):
    study_deck = _deck_or_404(ref)
    context = services.load_context(current_user.id)
    settings = context.settings
    now = _now()
    today = srs.study_day(now, settings)
    # The first few entries: the next card is the first with a card to show. The backlog
    # plan is made on the deck page, not for every card.
    queue = services.build_queue(study_deck, current_user.id, now, context, head=STUDY_HEAD)
    card_id = request.args.get("card")
    if card_id:
        card = study_deck.find_card(card_id)
        if card is None:
            abort(404)
        shown = services.card_view(study_deck, current_user.id, card, now, settings)
    else:
        shown = services.next_card(study_deck, queue, now, settings)
    undo = session.get(UNDO) if (session.get(UNDO) or {}).get("ref") == ref else None
    left = queue.left_today
    if shown is None:
        # Finished for now: the outlook and, after a break, the plan (all reviews counted).
        queue = services.build_queue(
            study_deck, current_user.id, now, context, with_plan=True, head=0
        )
        return render_template(
            "cards/done.html",
            deck=study_deck,
            undo=undo,
            form=EmptyForm(),
            due_next=services.due_next(study_deck, current_user.id, now, settings),
            zone=settings.zone,
            today=today,
            queue=queue,
            plan_text=srs.describe_backlog_plan(queue.backlog, today),
            progress=_progress(ref, today, queue.left_today),
        )
    # The card shown is counted among those left already (after an undo too, its memory
    # is due again), unless it was asked for by name while nothing is due.
    left = max(left, 1)
    shown_at = request.args.get("t", "")
    if not shown_at.isdigit():
        shown_at = str(int(now.timestamp() * 1000))
    return _card_page(
        study_deck,
        shown,
        show_back=request.args.get("show") == "1",
        typed=context.typed and shown.card.typed is not None,
        progress=_progress(ref, today, left),
        queue=queue,
        shown_at=shown_at,
        undo=undo,
        typed_mode=context.typed,
    )


def _card_page(
    study_deck: decks.StudyDeck,
    shown: services.NextCard,
    *,
    show_back: bool,
    typed: bool,
    progress: Progress,
    queue: services.Queue,
    shown_at: str,
    undo: dict | None,
    typed_mode: bool,
    check: services.TypedCheck | None = None,
) -> str:
    """The study page showing one card, with its rating form (the same form whether the
    card came next in the queue or after a typed answer was checked)."""
    return render_template(
        "cards/study.html",
        deck=study_deck,
        shown=shown,
        show_back=show_back,
        seen=services.card_version(current_user.id, shown.card, shown.state),
        undo=undo,
        typed=typed,
        typed_mode=typed_mode,  # the learner's setting (this card may not take typing)
        typed_kind=shown.card.typed[0] if shown.card.typed else None,
        progress=progress,
        queue=queue,
        check=check,
        labels=services.RATING_LABELS,
        shown_at=shown_at,
        plan_text="",
    )


@bp.post("/<ref>/study/check")
@answer_saves
def check(ref: str):
    """Grade a typed answer and show the back with the proposed rating; changes nothing.
    An answer that cannot be read (a true/false card's "maybe") asks again instead."""
    study_deck = _deck_or_404(ref)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if not request.form.get("card"):
        abort(400)  # a form without its card cannot be checked
    card = study_deck.find_card(request.form["card"])
    if card is None:
        abort(404)
    context = services.load_context(current_user.id)
    now = _now()
    today = srs.study_day(now, context.settings)
    queue = services.build_queue(study_deck, current_user.id, now, context, head=0)
    shown = services.card_view(study_deck, current_user.id, card, now, context.settings)
    result = services.check_typed(card, request.form.to_dict(flat=False))
    shown_at = request.form.get("t", "")
    undo = session.get(UNDO) if (session.get(UNDO) or {}).get("ref") == ref else None
    return _card_page(
        study_deck,
        shown,
        show_back=result is None or not result.problem,
        typed=True,
        progress=_progress(ref, today, max(1, queue.left_today)),
        queue=queue,
        shown_at=shown_at,
        undo=undo,
        typed_mode=True,  # checking a typed answer: typed answers are on
        check=result,
    )


@bp.post("/<ref>/study/rate")
@answer_saves
def rate(ref: str):
    study_deck = _deck_or_404(ref)
    form = RateForm()
    if not form.validate_on_submit():
        flash("That rating could not be read. Please press one of the four buttons.", "error")
        return redirect(url_for("cards.study", ref=ref))
    card = study_deck.find_card(form.card.data)
    if card is None:
        abort(404)
    seen = int(form.seen.data) if form.seen.data else None
    if seen is not None and seen != services.card_version(current_user.id, card):
        return _not_counted(ref)  # the same form sent again: a reload, a second tab, a retry
    context = services.load_context(current_user.id)
    now = _now()
    duration = None
    if (form.shown_at.data or "").isdigit():
        elapsed = int(now.timestamp() * 1000) - int(form.shown_at.data)
        duration = min(max(elapsed, 0), MAX_DURATION_MS)
    try:
        rated = services.rate(
            current_user.id,
            card,
            form.rating.data,
            now,
            context.settings,
            duration_ms=duration,
            seen=seen,
        )
    except memory.ReviewedMeanwhile:
        db.session.rollback()  # the same press racing itself: the other request counted it
        return _not_counted(ref)
    db.session.commit()
    session[UNDO] = {
        "ref": ref,
        "logs": rated.log_ids,
        "card": card.id,
        "rating": services.RATING_LABELS[srs.Rating(form.rating.data)],
        "finished": rated.done_for_today,
    }
    today = srs.study_day(now, context.settings)
    _count_progress(ref, today, +1, finished=rated.done_for_today)
    return redirect(url_for("cards.study", ref=ref))


def _not_counted(ref: str):
    flash("This card was reviewed since the page was shown, so this press was not counted.", "info")
    return redirect(url_for("cards.study", ref=ref))


@bp.post("/<ref>/study/undo")
def undo(ref: str):
    _deck_or_404(ref)
    data = session.get(UNDO) or {}
    if not EmptyForm().validate_on_submit() or data.get("ref") != ref:
        flash("There is no rating to undo.", "info")
        return redirect(url_for("cards.study", ref=ref))
    if services.undo(current_user.id, data.get("logs", [])):
        db.session.commit()
        session.pop(UNDO, None)
        context = services.load_context(current_user.id)
        today = srs.study_day(_now(), context.settings)
        _count_progress(ref, today, -1, finished=bool(data.get("finished")))
        flash(f"Your “{data.get('rating', '')}” rating was undone: the card is back.", "info")
        return redirect(url_for("cards.study", ref=ref, card=data["card"]))
    session.pop(UNDO, None)
    flash("That rating can no longer be undone: the card was reviewed again since.", "warning")
    return redirect(url_for("cards.study", ref=ref))


@bp.post("/typed")
def typed_mode():
    """Turn typed answers on or off (kept with the study settings)."""
    if EmptyForm().validate_on_submit():
        typed = not services.load_context(current_user.id).typed
        services.save_typed(current_user.id, typed)
        db.session.commit()
        flash(
            "Typed answers are on: type, then check." if typed else "Typed answers are off.", "info"
        )
    ref = request.form.get("next_ref", "")
    return redirect(url_for("cards.study", ref=ref) if ref else url_for("cards.index"))


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
        if form.exam_date.data and form.exam_date.data < srs.study_day(_now(), current):
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
    return render_template("cards/settings.html", form=form)


@bp.get("/stats")
def statistics():
    context = services.load_context(current_user.id)
    page = stats.build(current_user.id, _now(), context.settings)
    return render_template("cards/stats.html", page=page)


@bp.get("/<ref>/export.apkg")
def export_apkg(ref: str):
    study_deck = _deck_or_404(ref)
    data = export.to_apkg(study_deck.title, study_deck.anki_id, study_deck.cards(), _now())
    return export.download(
        data, f"{export.filename(study_deck.title)}.apkg", "application/octet-stream"
    )


@bp.get("/<ref>/export.csv")
def export_csv(ref: str):
    study_deck = _deck_or_404(ref)
    data = export.to_csv(study_deck.cards()).encode("utf-8")
    return export.download(data, f"{export.filename(study_deck.title)}.csv", "text/csv")


@bp.app_template_filter("local_time")
def local_time(moment: datetime, zone) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


@bp.app_template_filter("weekday")
def weekday(day) -> str:
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[
        day.weekday()
    ] + f" {day.isoformat()}"
