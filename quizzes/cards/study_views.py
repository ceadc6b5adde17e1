"""Studying a deck: the card page, checking a typed answer, rating, undo, typed mode.

The routes join the cards blueprint (quizzes/cards/routes.py). A rating sent twice counts
once; the session keeps today's progress bar and the last rating to undo."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from models import db
from quizzes import memory
from quizzes.cards import decks, services
from quizzes.cards.forms import RateForm
from quizzes.cards.routes import bp, deck_or_404
from quizzes.domain import srs
from quizzes.integers import BIGINT_MAX, big_whole_number, whole_number_or_none
from quizzes.web import clock
from quizzes.web.forms import EmptyForm
from quizzes.web.ratelimits import answer_saves

PROGRESS = "cards_progress"
UNDO = "cards_undo"
MAX_DURATION_MS = 10 * 60 * 1000
STUDY_HEAD = 3  # queue entries the study page loads; it shows the first
AHEAD_HEAD = STUDY_HEAD + 2  # enough to find the card after the one on screen
NOT_READ = "That rating could not be read. Please press one of the four buttons."
NOT_COUNTED = "This card was reviewed since the page was shown, so this press was not counted."


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
    study_deck = deck_or_404(ref)
    context = services.load_context(current_user.id)
    settings = context.settings
    now = clock.now()
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
    shown_at = request.args.get("t", type=big_whole_number)
    if shown_at is None:
        shown_at = int(now.timestamp() * 1000)
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
    shown_at: int,
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
    study_deck = deck_or_404(ref)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if not request.form.get("card"):
        abort(400)  # a form without its card cannot be checked
    card = study_deck.find_card(request.form["card"])
    if card is None:
        abort(404)
    context = services.load_context(current_user.id)
    now = clock.now()
    today = srs.study_day(now, context.settings)
    queue = services.build_queue(study_deck, current_user.id, now, context, head=0)
    shown = services.card_view(study_deck, current_user.id, card, now, context.settings)
    result = services.check_typed(card, request.form.to_dict(flat=False))
    # When the card was first shown (the rating's duration counts from there), else now.
    shown_at = request.form.get("t", type=big_whole_number) or int(now.timestamp() * 1000)
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
    """Rate the card. A form post redirects to the next card; cards.js sends the same form
    in the background (Accept: application/json) and gets what to paint next (_rated)."""
    study_deck = deck_or_404(ref)
    in_page = request.accept_mimetypes.best == "application/json"
    form = RateForm()
    if not form.validate_on_submit():
        return _unreadable(ref, in_page)
    card = study_deck.find_card(form.card.data)
    if card is None:
        abort(404)
    seen = whole_number_or_none(form.seen.data, BIGINT_MAX) if form.seen.data else None
    if form.seen.data and seen is None:
        # A version no review has: not a form this page made, so not counted.
        return _unreadable(ref, in_page)
    if seen is not None and seen != services.card_version(current_user.id, card):
        # The same form sent again: a reload, a second tab, a retry after a lost answer.
        return _rated(study_deck, NOT_COUNTED) if in_page else _not_counted(ref)
    context = services.load_context(current_user.id)
    now = clock.now()
    duration = None
    if (shown_at := whole_number_or_none(form.shown_at.data, BIGINT_MAX)) is not None:
        elapsed = int(now.timestamp() * 1000) - shown_at
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
        return _rated(study_deck, NOT_COUNTED) if in_page else _not_counted(ref)
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
    return _rated(study_deck, "") if in_page else redirect(url_for("cards.study", ref=ref))


def _unreadable(ref: str, in_page: bool):
    if in_page:
        return jsonify(saved=False, message=NOT_READ), 400
    flash(NOT_READ, "error")
    return redirect(url_for("cards.study", ref=ref))


def _not_counted(ref: str):
    flash(NOT_COUNTED, "info")
    return redirect(url_for("cards.study", ref=ref))


# -- studying in the page (static/js/cards.js) ----------------------------------------


def _in_page_card(study_deck: decks.StudyDeck, shown: services.NextCard) -> dict:
    """A card as cards.js paints it: its key (card and version: a card rated meanwhile is
    another key) and the article with the answer hidden in it."""
    seen = services.card_version(current_user.id, shown.card, shown.state)
    html = render_template(
        "cards/_card.html",
        deck=study_deck,
        shown=shown,
        show_back=False,
        in_page=True,
        seen=seen,
        typed=False,
        check=None,
        labels=services.RATING_LABELS,
        shown_at=int(shown.now.timestamp() * 1000),
    )
    return {"key": f"{shown.card.id} {seen}", "html": html}


@bp.get("/<ref>/study/ahead")
def ahead(ref: str):
    """For cards.js on a study page: the card on screen (?card=; else the queue's next)
    with its answer, and the card that comes after it, so that Space and the next card
    need no request. Typed answers are checked by the server: nothing is painted ahead."""
    study_deck = deck_or_404(ref)
    context = services.load_context(current_user.id)
    if context.typed:
        return jsonify(in_page=False)
    now = clock.now()
    queue = services.build_queue(study_deck, current_user.id, now, context, head=AHEAD_HEAD)
    if "card" in request.args:
        card = study_deck.find_card(request.args["card"])
        if card is None:
            abort(404)
        shown = services.card_view(study_deck, current_user.id, card, now, context.settings)
    else:
        shown = services.next_card(study_deck, queue, now, context.settings)
        if shown is None:
            return jsonify(in_page=False)  # nothing left today: the finished page
    after = services.next_card(study_deck, queue, now, context.settings, after=shown.card)
    return jsonify(
        in_page=True,
        card=_in_page_card(study_deck, shown),
        after=_in_page_card(study_deck, after) if after else None,
    )


def _rated(study_deck: decks.StudyDeck, message: str):
    """What cards.js needs once a rating was sent: the card the server gives next (its
    article too when it is not the one painted ahead, form field `painted`), the card
    after that, the progress bar and the undo button. `saved` is False when the rating
    was not counted (sent before: a retry whose first answer was lost)."""
    context = services.load_context(current_user.id)
    now = clock.now()
    settings = context.settings
    queue = services.build_queue(study_deck, current_user.id, now, context, head=AHEAD_HEAD)
    shown = services.next_card(study_deck, queue, now, settings)
    payload: dict = {"saved": not message, "message": message, "next": None, "after": None}
    if shown is not None and not (context.typed and shown.card.typed is not None):
        painted = _in_page_card(study_deck, shown)
        payload["next"] = painted["key"]
        if request.form.get("painted") != painted["key"]:
            payload["next_html"] = painted["html"]
        after = services.next_card(study_deck, queue, now, settings, after=shown.card)
        payload["after"] = _in_page_card(study_deck, after) if after else None
    elif shown is not None:
        payload["reload"] = True  # a typed answer comes next: the server's form
    ref = study_deck.ref
    today = srs.study_day(now, settings)
    left = max(queue.left_today, 1) if shown is not None else queue.left_today
    undo = session.get(UNDO) if (session.get(UNDO) or {}).get("ref") == ref else None
    payload["head_html"] = render_template(
        "cards/_study_head.html", deck=study_deck, progress=_progress(ref, today, left)
    )
    payload["tools_html"] = render_template(
        "cards/_study_tools.html", deck=study_deck, undo=undo, typed_mode=context.typed
    )
    return jsonify(payload)


@bp.post("/<ref>/study/undo")
def undo(ref: str):
    deck_or_404(ref)
    data = session.get(UNDO) or {}
    if not EmptyForm().validate_on_submit() or data.get("ref") != ref:
        flash("There is no rating to undo.", "info")
        return redirect(url_for("cards.study", ref=ref))
    if services.undo(current_user.id, data.get("logs", [])):
        db.session.commit()
        session.pop(UNDO, None)
        context = services.load_context(current_user.id)
        today = srs.study_day(clock.now(), context.settings)
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
