"""Taking quizzes: start, one item per page, review, submit, result, history, the sample."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from models import Attempt, db, utcnow
from models.attempts import FeedbackMode, LatePolicy
from models.bank import QuestionSet
from quizzes.auth.forms import EmptyForm
from quizzes.extensions import login_manager
from quizzes.quiz import display, guest, services, timing
from quizzes.quiz.forms import AnswerForm, StartQuizForm
from quizzes.quiz.markup import citation, render_markdown
from quizzes.quiz.services import SaveOutcome

bp = Blueprint("quiz", __name__, url_prefix="/quiz")


def now() -> datetime:
    """The server clock; tests set app.config["QUIZDECK_NOW"] to a callable to move time."""
    clock = current_app.config.get("QUIZDECK_NOW") or utcnow
    return clock()


@bp.app_template_filter("quiz_markdown")
def quiz_markdown(text: str) -> Markup:
    return render_markdown(text)


@bp.app_template_filter("quiz_time")
def quiz_time(moment: datetime | None) -> str:
    return display.format_time(moment)


@bp.app_template_global("quiz_citation")
def quiz_citation(source: object) -> tuple[str, str | None]:
    return citation(source)


@bp.app_template_global("percent")
def percent(score: float | None) -> str:
    return display.percent(score)


@dataclass(frozen=True)
class QuizPage:
    """What the item and review pages show around the items themselves."""

    title: str
    total: int
    answered: frozenset[int]
    immediate: bool
    action_url: str  # where this page's answer form posts
    review_url: str
    sample: bool = False
    seconds_left: int | None = None
    deadline: datetime | None = None
    closes_at_deadline: bool = False
    resume_url: str = ""

    @property
    def answered_count(self) -> int:
        return len(self.answered)

    @property
    def countdown(self) -> str:
        return timing.format_duration(self.seconds_left or 0)


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _answer_form() -> dict[str, list[str]]:
    return request.form.to_dict(flat=False)


def _next_url(go: str | None, position: int, total: int, item_url, review_url: str) -> str:
    """Where the navigation button pressed with this save leads."""
    if go == "next":
        return item_url(position + 1) if position < total else review_url
    if go == "prev":
        return item_url(max(1, position - 1))
    if go == "review":
        return review_url
    if go and go.isdigit() and 1 <= int(go) <= total:
        return item_url(int(go))
    return item_url(position)


def _no_store(html: str):
    # Going back after submitting must show the page afresh, not a cached form.
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


# -- start ---------------------------------------------------------------------------------


def _start_form() -> StartQuizForm:
    user_id = current_user.id
    form = StartQuizForm()
    sets = [(s.id, s.title) for s in services.usable_sets(user_id)]
    form.set_source_choices(sets, services.usable_topics(user_id))
    if request.method == "GET":
        if (set_id := request.args.get("set", type=int)) is not None:
            form.source.data = f"set:{set_id}"
        elif topic := request.args.get("topic"):
            form.source.data = f"topic:{topic}"
    return form


@bp.route("/", methods=["GET", "POST"])
def start():
    if not current_user.is_authenticated:
        if request.method == "POST":
            return login_manager.unauthorized()
        return render_template("quiz/start.html", form=None, resumable=[], sample_form=EmptyForm())
    form = _start_form()
    if form.validate_on_submit():
        set_id, topic = form.parsed_source()
        if set_id is not None:
            question_set = db.session.get(QuestionSet, set_id)
            if not services.can_use_set(question_set, current_user.id):
                abort(404)
        settings = services.QuizSettings(
            size=form.size.data,
            item_types=tuple(form.item_types.data or ()),
            feedback_mode=FeedbackMode(form.feedback_mode.data),
            time_limit_seconds=(form.time_limit_minutes.data or 0) * 60 or None,
            late_policy=LatePolicy(form.late_policy.data),
        )
        try:
            attempt = services.assemble(
                current_user.id,
                settings=settings,
                now=now(),
                rng=random.Random(),
                set_id=set_id,
                topic=topic,
                start_token=form.start_token.data,
            )
        except services.NoItemsError:
            form.item_types.errors.append(
                "No questions of these types here. Tick other types, or none for all types."
            )
        else:
            db.session.commit()
            if len(attempt.items) < settings.size:
                flash(
                    f"Only {len(attempt.items)} questions match; the quiz has all of them.", "info"
                )
            return redirect(url_for("quiz.resume", attempt_id=attempt.id))
    resumable = services.in_progress(current_user.id)
    return render_template(
        "quiz/start.html", form=form, resumable=resumable, sample_form=None
    ), 200 if request.method == "GET" or not form.errors else 422


# -- an attempt ----------------------------------------------------------------------------


def _load(attempt_id: int) -> Attempt:
    """The signed-in student's own attempt; anyone else's is simply not there."""
    attempt = services.own_attempt(attempt_id, current_user.id)
    if attempt is None:
        abort(404)
    return attempt


def _closed_message(attempt: Attempt) -> None:
    flash(
        f"Time is up: the quiz closed at {quiz_time(attempt.deadline)}. "
        "The answers you had saved before then were graded.",
        "warning",
    )


def _quiz_page(attempt: Attempt, position: int, moment: datetime) -> QuizPage:
    answered = frozenset(item.position for item in attempt.items if item.answered)
    return QuizPage(
        title=attempt.title,
        total=len(attempt.items),
        answered=answered,
        immediate=attempt.is_immediate,
        action_url=url_for("quiz.item", attempt_id=attempt.id, position=position),
        review_url=url_for("quiz.review", attempt_id=attempt.id),
        seconds_left=timing.seconds_left(attempt.deadline, moment),
        deadline=attempt.deadline,
        closes_at_deadline=attempt.late_policy is LatePolicy.CLOSE,
        resume_url=url_for("quiz.resume", attempt_id=attempt.id),
    )


@bp.get("/attempts/<int:attempt_id>")
@login_required
def resume(attempt_id: int):
    attempt = _load(attempt_id)
    if services.close_if_expired(attempt, now()):
        db.session.commit()
        _closed_message(attempt)
    if attempt.is_submitted:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    return redirect(url_for("quiz.item", attempt_id=attempt.id, position=attempt.current_position))


@bp.route("/attempts/<int:attempt_id>/items/<int:position>", methods=["GET", "POST"])
@login_required
def item(attempt_id: int, position: int):
    attempt = _load(attempt_id)
    item = services.item_at(attempt, position)
    if item is None:
        abort(404)
    moment = now()
    if request.method == "POST":
        return _save(attempt, position, moment)
    still_open = services.visit(attempt, position, moment)
    db.session.commit()
    if not still_open:
        if attempt.late and attempt.late_policy is LatePolicy.CLOSE:
            _closed_message(attempt)
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    page = _quiz_page(attempt, position, moment)
    shown = services.shown_attempt_item(item)
    return _no_store(render_template("quiz/item.html", quiz=page, item=shown, form=AnswerForm()))


def _save(attempt: Attempt, position: int, moment: datetime):
    AnswerForm().validate_on_submit()  # CSRF is checked app-wide before the view runs
    answers = _answer_form()
    check = "check" in request.form and attempt.is_immediate
    if check:
        outcome = services.check_answer(attempt, position, answers, moment)
    else:
        outcome = services.save_answer(attempt, position, answers, moment)
    db.session.commit()
    message = _save_message(outcome, attempt, position)
    if _wants_json():
        answered = sorted(item.position for item in attempt.items if item.answered)
        return jsonify(status=outcome.value, message=message, answered=answered)
    if message:
        flash(message, "warning" if outcome in _REFUSED else "info")
    if outcome in (SaveOutcome.SUBMITTED, SaveOutcome.CLOSED):
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    go = None if check else request.form.get("go")
    return redirect(
        _next_url(
            go,
            position,
            len(attempt.items),
            lambda n: url_for("quiz.item", attempt_id=attempt.id, position=n),
            url_for("quiz.review", attempt_id=attempt.id),
        )
    )


_REFUSED = (
    SaveOutcome.LOCKED,
    SaveOutcome.SUBMITTED,
    SaveOutcome.CLOSED,
    SaveOutcome.NOTHING_TO_CHECK,
    SaveOutcome.INCOMPLETE,
)


def _save_message(outcome: SaveOutcome, attempt: Attempt, position: int) -> str:
    if outcome is SaveOutcome.SUBMITTED:
        when = quiz_time(attempt.submitted_at)
        return (
            f"This quiz was already submitted ({when}), so that answer was not saved. "
            "Your result is unchanged."
        )
    if outcome is SaveOutcome.CLOSED:
        return (
            f"Time is up: the quiz closed at {quiz_time(attempt.deadline)}, so that answer "
            "was not saved. The answers saved before then were graded."
        )
    if outcome is SaveOutcome.LOCKED:
        return "You already checked this question, so its answer can no longer change."
    if outcome is SaveOutcome.NOTHING_TO_CHECK:
        return "Choose or type a whole answer before checking it."
    return _incomplete_message(outcome, position)


def _incomplete_message(outcome: SaveOutcome, position: int) -> str:
    if outcome is SaveOutcome.INCOMPLETE:
        return (
            f"Question {position} is not saved yet: put a different item in every "
            "position, then it is saved."
        )
    return ""


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    attempt = _load(attempt_id)
    moment = now()
    if services.close_if_expired(attempt, moment):
        db.session.commit()
        _closed_message(attempt)
    if attempt.is_submitted:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    page = _quiz_page(attempt, attempt.current_position, moment)
    items = [services.shown_attempt_item(item) for item in attempt.items]
    return _no_store(
        render_template(
            "quiz/review.html",
            quiz=page,
            items=items,
            item_url=lambda n: url_for("quiz.item", attempt_id=attempt.id, position=n),
            submit_url=url_for("quiz.submit", attempt_id=attempt.id),
            form=EmptyForm(),
        )
    )


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    attempt = _load(attempt_id)
    EmptyForm().validate_on_submit()
    moment = now()
    if services.submit(attempt, moment):
        db.session.commit()
        if attempt.late and attempt.late_policy is LatePolicy.CLOSE:
            _closed_message(attempt)
        elif attempt.late:
            flash("Submitted after the time limit: the attempt is marked late.", "warning")
        else:
            flash("Your answers are submitted.", "success")
    else:
        db.session.rollback()
        flash(
            f"This quiz was already submitted ({quiz_time(attempt.submitted_at)}). "
            "Nothing changed; here is your result.",
            "info",
        )
    return redirect(url_for("quiz.result", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = _load(attempt_id)
    if services.close_if_expired(attempt, now()):
        db.session.commit()
        _closed_message(attempt)
    if not attempt.is_submitted:
        flash("This quiz is still in progress: submit it to see the result.", "info")
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    items = [services.shown_attempt_item(item) for item in attempt.items]
    return render_template(
        "quiz/result.html", attempt=attempt, items=items, sample=False, score=attempt.score or 0.0
    )


@bp.get("/history")
@login_required
def history():
    return render_template("quiz/history.html", attempts=services.history(current_user.id))


# -- the sample quiz for visitors ----------------------------------------------------------


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
        action_url=url_for("quiz.sample_item", position=position),
        review_url=url_for("quiz.sample_review"),
        sample=True,
    )


@bp.post("/sample")
def sample_start():
    EmptyForm().validate_on_submit()
    if current_user.is_authenticated:
        return redirect(url_for("quiz.start"))
    state = guest.start(random.Random())
    if state is None:
        flash("There is no sample quiz yet: the question bank is empty.", "warning")
        return redirect(url_for("quiz.start"))
    session[guest.SESSION_KEY] = state
    return redirect(url_for("quiz.sample_item", position=1))


@bp.route("/sample/items/<int:position>", methods=["GET", "POST"])
def sample_item(position: int):
    state, shown, restart = _sample_or_restart()
    if restart:
        return restart
    if not 1 <= position <= len(shown):
        abort(404)
    if state.get("submitted"):
        if request.method == "POST":
            flash("This sample quiz was already submitted; nothing changed.", "info")
        return redirect(url_for("quiz.sample_result"))
    snapshot = shown[position - 1]
    if request.method == "POST":
        AnswerForm().validate_on_submit()
        outcome = guest.save_answer(state, snapshot, position, _answer_form())
        session[guest.SESSION_KEY] = state
        message = _incomplete_message(outcome, position)
        if _wants_json():
            return jsonify(
                status=outcome.value,
                message=message,
                answered=sorted(int(p) for p in state["answers"]),
            )
        if message:
            flash(message, "warning")
        return redirect(
            _next_url(
                request.form.get("go"),
                position,
                len(shown),
                lambda n: url_for("quiz.sample_item", position=n),
                url_for("quiz.sample_review"),
            )
        )
    item = services.shown_item(position, snapshot, guest.response_at(state, position), None)
    page = _sample_page(state, len(shown), position)
    return _no_store(render_template("quiz/item.html", quiz=page, item=item, form=AnswerForm()))


@bp.get("/sample/review")
def sample_review():
    state, shown, restart = _sample_or_restart()
    if restart:
        return restart
    if state.get("submitted"):
        return redirect(url_for("quiz.sample_result"))
    items = [
        services.shown_item(n, snapshot, guest.response_at(state, n), None)
        for n, snapshot in enumerate(shown, start=1)
    ]
    return _no_store(
        render_template(
            "quiz/review.html",
            quiz=_sample_page(state, len(shown), 1),
            items=items,
            item_url=lambda n: url_for("quiz.sample_item", position=n),
            submit_url=url_for("quiz.sample_submit"),
            form=EmptyForm(),
        )
    )


@bp.post("/sample/submit")
def sample_submit():
    EmptyForm().validate_on_submit()
    state, _shown, restart = _sample_or_restart()
    if restart:
        return restart
    if not state.get("submitted"):
        state["submitted"] = True
        session[guest.SESSION_KEY] = state
    return redirect(url_for("quiz.sample_result"))


@bp.get("/sample/result")
def sample_result():
    state, shown, restart = _sample_or_restart()
    if restart:
        return restart
    if not state.get("submitted"):
        return redirect(url_for("quiz.sample_review"))
    items, score = guest.results(state, shown)
    return render_template(
        "quiz/result.html",
        attempt=None,
        items=items,
        sample=True,
        score=score,
        sample_form=EmptyForm(),
    )
