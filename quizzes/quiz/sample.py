"""The sample quiz for visitors: no account, nothing stored (see quizzes.quiz.guest)."""

from __future__ import annotations

import random

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from quizzes.quiz import guest, presentation
from quizzes.quiz.pages import (
    QuizPage,
    answer_fields,
    incomplete_message,
    keep_or_forget_unfinished,
    next_url,
    no_store,
    take_unfinished,
    wants_json,
)
from quizzes.web import display
from quizzes.web.clock import now
from quizzes.web.forms import EmptyForm

bp = Blueprint("sample", __name__, url_prefix="/quiz/sample")


def _sample_state() -> dict | None:
    state = session.get(guest.SESSION_KEY)
    return state if guest.is_valid(state) else None


def _sample_or_restart():
    """The visitor's sample and its items, or a redirect to start a new one."""
    state = _sample_state()
    shown = guest.snapshots(state) if state else None
    if state is None or shown is None:
        session.pop(guest.SESSION_KEY, None)
        flash("Start the sample quiz first.", "info")
        return None, None, redirect(url_for("quiz.start"))
    return state, shown, None


def _sample_page(state: dict, total: int, position: int) -> QuizPage:
    answered = frozenset(int(p) for p in state["answers"])
    return QuizPage(
        title="Sample quiz",
        total=total,
        answered=answered,
        immediate=False,
        action_url=url_for("sample.item", position=position),
        review_url=url_for("sample.review"),
        sample=True,
    )


@bp.post("")
def start():
    if current_user.is_authenticated:
        return redirect(url_for("quiz.start"))
    state = guest.start(random.Random())
    if state is None:
        flash("There is no sample quiz yet: the question bank is empty.", "warning")
        return redirect(url_for("quiz.start"))
    session[guest.SESSION_KEY] = state
    return redirect(url_for("sample.item", position=1))


@bp.route("/items/<int:position>", methods=["GET", "POST"])
def item(position: int):
    state, shown, restart = _sample_or_restart()
    if restart:
        return restart
    if not 1 <= position <= len(shown):
        abort(404)
    if state.get("submitted"):
        if request.method == "POST":
            flash("This sample quiz was already submitted; nothing changed.", "info")
        return redirect(url_for("sample.result"))
    snapshot = shown[position - 1]
    if request.method == "POST":
        outcome = guest.save_answer(state, snapshot, position, answer_fields())
        session[guest.SESSION_KEY] = state
        message = incomplete_message(outcome, position, snapshot["type"])
        keep_or_forget_unfinished("sample", position, outcome, answer_fields())
        if wants_json():
            return jsonify(
                status=outcome.value,
                message=message,
                answered=sorted(int(p) for p in state["answers"]),
                saved_at=display.format_clock(now()),
            )
        if message:
            flash(message, "warning")
        return redirect(
            next_url(
                request.form.get("go"),
                position,
                len(shown),
                lambda n: url_for("sample.item", position=n),
                url_for("sample.review"),
            )
        )
    item = presentation.shown_item(position, snapshot, guest.response_at(state, position), None)
    if unfinished := take_unfinished("sample", position):
        item = presentation.with_unfinished(item, unfinished)
    page = _sample_page(state, len(shown), position)
    return no_store(render_template("quiz/item.html", quiz=page, item=item))


@bp.get("/review")
def review():
    state, shown, restart = _sample_or_restart()
    if restart:
        return restart
    if state.get("submitted"):
        return redirect(url_for("sample.result"))
    items = [
        presentation.shown_item(n, snapshot, guest.response_at(state, n), None)
        for n, snapshot in enumerate(shown, start=1)
    ]
    return no_store(
        render_template(
            "quiz/review.html",
            quiz=_sample_page(state, len(shown), 1),
            items=items,
            item_url=lambda n: url_for("sample.item", position=n),
            submit_url=url_for("sample.submit"),
            form=EmptyForm(),
        )
    )


@bp.post("/submit")
def submit():
    state, _shown, restart = _sample_or_restart()
    if restart:
        return restart
    if not state.get("submitted"):
        state["submitted"] = True
        session[guest.SESSION_KEY] = state
    return redirect(url_for("sample.result"))


@bp.get("/result")
def result():
    state, shown, restart = _sample_or_restart()
    if restart:
        return restart
    if not state.get("submitted"):
        return redirect(url_for("sample.review"))
    items, score = guest.results(state, shown)
    return render_template(
        "quiz/result.html",
        attempt=None,
        items=items,
        sample=True,
        score=score,
        sample_form=EmptyForm(),
    )
