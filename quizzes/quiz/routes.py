"""Taking quizzes: start, one item per page, review, submit, result, history."""

from __future__ import annotations

import random
from datetime import datetime

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from models import Attempt, db
from models.attempts import FeedbackMode, LatePolicy
from models.bank import QuestionSet
from quizzes.extensions import login_manager
from quizzes.integers import whole_number
from quizzes.quiz import answers, presentation, services, timing
from quizzes.quiz.answers import SaveOutcome
from quizzes.quiz.forms import StartQuizForm
from quizzes.quiz.pages import (
    QuizPage,
    answer_fields,
    incomplete_message,
    keep_or_forget_unfinished,
    no_store,
    register_template_helpers,
    take_unfinished,
    target_position,
    wants_json,
    wants_part_ahead,
)
from quizzes.web import display
from quizzes.web.clock import now
from quizzes.web.forms import EmptyForm
from quizzes.web.ratelimits import answer_saves

bp = Blueprint("quiz", __name__, url_prefix="/quiz")
register_template_helpers(bp)
# Every POST here is checked by the app-wide CSRFProtect before the view runs; the pages
# render the token with csrf_token() (the item page) or EmptyForm.


# -- start ---------------------------------------------------------------------------------


def _start_form() -> StartQuizForm:
    user_id = current_user.id
    form = StartQuizForm()
    sets = [(s.id, s.title) for s in services.usable_sets(user_id)]
    form.set_source_choices(sets, services.usable_topics(user_id))
    if request.method == "GET":
        if (set_id := request.args.get("set", type=whole_number)) is not None:
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
            for message in _shortfalls(attempt, settings, set_id, topic):
                flash(message, "info")
            return redirect(url_for("quiz.resume", attempt_id=attempt.id))
    resumable = services.open_attempts(current_user.id, now())
    db.session.commit()  # attempts whose deadline closed them have just been graded
    return render_template(
        "quiz/start.html", form=form, resumable=resumable, sample_form=None
    ), 200 if request.method == "GET" or not form.errors else 422


def _shortfalls(
    attempt: Attempt, settings: services.QuizSettings, set_id: int | None, topic: str | None
) -> list[str]:
    """What the quiz could not do, exactly: ticked types the source has none of, questions
    short of the size asked for, ticked types the source has but the quiz could not show."""
    here = services.candidate_items(current_user.id, set_id=set_id, topic=topic)
    types_here = {item.type for item in here}
    ticked = settings.item_types
    messages = []
    if absent := [presentation.TYPE_LABELS[t] for t in ticked if t not in types_here]:
        messages.append(
            f"No {_either(absent)} questions here: the quiz has the other types you ticked."
        )
    matching = [item for item in here if not ticked or item.type in ticked]
    drawn = len(attempt.items)
    if drawn < settings.size:
        messages.append(
            f"This quiz has {drawn} questions: all that match, with each fact asked about once "
            "unless its questions cannot give each other's answers away (you asked for "
            f"{settings.size}; {len(matching)} questions here match)."
        )
    shown = {entry.snapshot["type"] for entry in attempt.items}
    left_out = sorted({item.type for item in matching} - shown)
    if left_out:
        names = _either([presentation.TYPE_LABELS[t] for t in left_out])
        why = (
            f"{drawn} questions leave no room for every type"
            if drawn < len({item.type for item in matching})
            else "each one here would give away another question's answer"
        )
        messages.append(f"No {names} questions: {why}.")
    return messages


def _either(labels: list[str]) -> str:
    """ "Multiple select or Match pairs"."""
    return f"{', '.join(labels[:-1])} or {labels[-1]}" if len(labels) > 1 else labels[0]


# -- an attempt ----------------------------------------------------------------------------


def _load(attempt_id: int) -> Attempt:
    """The signed-in student's own attempt; anyone else's is simply not there."""
    attempt = services.own_attempt(attempt_id, current_user.id)
    if attempt is None:
        abort(404)
    return attempt


def _closed_message(attempt: Attempt) -> None:
    flash(
        f"Time is up: the quiz closed at {display.format_time(attempt.deadline)}. "
        "The answers you had saved before then were graded.",
        "warning",
    )


def _close_if_expired(attempt: Attempt, moment: datetime):
    """A redirect to the result when the deadline has just closed the attempt, else None."""
    if not answers.close_if_expired(attempt, moment):
        return None
    db.session.commit()
    _closed_message(attempt)
    return redirect(url_for("quiz.result", attempt_id=attempt.id))


def _quiz_page(attempt: Attempt, position: int, moment: datetime) -> QuizPage:
    if "items" in attempt.__dict__:  # already loaded (the review page shows them all)
        answered = frozenset(item.position for item in attempt.items if item.answered)
        marks = {item.position: answers.item_mark(item) for item in attempt.items}
    else:
        answered, marks = answers.position_marks(attempt.id)
    marks = _marks_as_shown(attempt, marks, moment)
    return QuizPage(
        title=attempt.title,
        total=len(marks),
        answered=answered,
        marks=marks,
        immediate=attempt.is_immediate,
        action_url=url_for("quiz.item", attempt_id=attempt.id, position=position),
        review_url=url_for("quiz.review", attempt_id=attempt.id),
        seconds_left=timing.seconds_left(attempt.deadline, moment),
        deadline=attempt.deadline,
        closes_at_deadline=attempt.late_policy is LatePolicy.CLOSE,
        resume_url=url_for("quiz.resume", attempt_id=attempt.id),
        submit_url=url_for("quiz.submit", attempt_id=attempt.id),
        # After each answer the server grades it (immediate feedback): every move is a
        # page load there. Otherwise moves happen in the page (quiz_nav.js).
        in_page=not attempt.is_immediate,
        next_item_url=(
            url_for("quiz.item", attempt_id=attempt.id, position=position + 1)
            if position < len(marks)
            else ""
        ),
    )


@bp.get("/attempts/<int:attempt_id>")
@login_required
def resume(attempt_id: int):
    attempt = _load(attempt_id)
    if closed := _close_if_expired(attempt, now()):
        return closed
    if attempt.is_submitted:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    return redirect(url_for("quiz.item", attempt_id=attempt.id, position=attempt.current_position))


@bp.route("/attempts/<int:attempt_id>/discard", methods=["GET", "POST"])
@login_required
def discard(attempt_id: int):
    """Ask, then delete an open practice quiz (GET shows the question, POST does it)."""
    attempt = _load(attempt_id)
    if not services.can_discard(attempt):
        flash(
            "Only an open practice quiz can be discarded: an assignment's attempt and a "
            "submitted quiz are kept.",
            "warning",
        )
        return redirect(url_for("quiz.resume", attempt_id=attempt.id))
    form = EmptyForm()
    if form.validate_on_submit():
        title = attempt.title
        services.discard(attempt)
        db.session.commit()
        flash(f"The quiz “{title}” was discarded.", "success")
        return redirect(url_for("quiz.start"))
    answered = sum(1 for item in attempt.items if item.answered)
    return render_template("quiz/discard.html", attempt=attempt, answered=answered, form=form)


@bp.route("/attempts/<int:attempt_id>/items/<int:position>", methods=["GET", "POST"])
@login_required
@answer_saves
def item(attempt_id: int, position: int):
    found = answers.own_attempt_item(attempt_id, current_user.id, position)
    if found is None:
        abort(404)
    attempt, item = found.attempt, found.item
    moment = now()
    if request.method == "POST":
        return _save(found, attempt_id, position, moment)
    if closed := _close_if_expired(attempt, moment):
        return closed
    if attempt.is_submitted:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    ahead = wants_part_ahead()
    if not ahead and answers.visit(attempt, position, moment):
        db.session.commit()  # only then: a commit expires what was loaded, to be read again
    page = _quiz_page(attempt, position, moment)
    shown = presentation.shown_attempt_item(item, presentation.review_moment(attempt, moment))
    unfinished = None if ahead else take_unfinished(f"attempt:{attempt_id}", position)
    if unfinished:
        shown = presentation.with_unfinished(shown, unfinished)
    # unsaved: the page shows an answer the server has not saved (quiz.js must not treat
    # the answer on screen as saved).
    return no_store(
        render_template(
            "quiz/item.html",
            quiz=page,
            item=shown,
            unsaved=bool(unfinished),
            keep_flashes=ahead,
        )
    )


def _save(found: answers.ItemInAttempt, attempt_id: int, position: int, moment: datetime):
    attempt, item, total = found
    item_type = item.snapshot["type"]  # read before the commit expires the item
    fields = answer_fields()
    check = "check" in request.form and attempt.is_immediate
    if check:
        outcome = answers.check_answer(attempt, position, fields, moment, item)
    else:
        outcome = answers.save_answer(attempt, position, fields, moment, item)
    # Saved as typed, but not a number (a letter O for a zero): it would be marked wrong at
    # the end with no word before. Said now, while it can still be changed.
    not_a_number = outcome is SaveOutcome.SAVED and answers.unreadable(item.snapshot, item.response)
    # Saved as written, but the type asks for a change (an essay over its word limit).
    warning = (
        answers.save_warning(item.snapshot, item.response) if outcome is SaveOutcome.SAVED else None
    )
    # Where the navigation leads is read before the commit: a request that fails after it
    # would have kept the answer and shown an error (all or nothing).
    target = target_position(None if check else request.form.get("go"), position, total)
    going_to = (
        url_for("quiz.review", attempt_id=attempt_id)
        if target is None
        else url_for("quiz.item", attempt_id=attempt_id, position=target)
    )
    # quiz_nav.js moves in the page with this save: the item it shows next is the one
    # "Resume" brings the student back to, as a page load of it would have recorded.
    if wants_json() and target not in (None, position) and outcome in _MOVES_ON:
        answers.visit(attempt, target, moment)
    db.session.commit()
    # After the commit every loaded row is expired: the ids come from the URL and the item
    # count from before the commit (it never changes); the answered marks, for quiz.js,
    # from two small columns, not the whole attempt.
    message = _save_message(outcome, attempt, position, item_type)
    if not_a_number:
        message = (
            f"Question {position} is saved as typed, but it needs a number, such as 2014 or "
            "3.5: as it is, it will be marked wrong."
        )
    if warning:
        message = f"Question {position} is saved, but {warning}"
    keep_or_forget_unfinished(f"attempt:{attempt_id}", position, outcome, fields)
    leaving = outcome in (SaveOutcome.SUBMITTED, SaveOutcome.CLOSED)
    if wants_json():
        if leaving:  # quiz.js reloads into the result page: the message waits for it there
            flash(message, "warning")
        answered, marks = answers.position_marks(attempt_id)
        marks = _marks_as_shown(db.session.get(Attempt, attempt_id), marks, moment)
        said = {}
        # A save that moves on (quiz_nav.js) is told where to: the server decides.
        if "go" in request.form:
            said["go_to"] = going_to
        # Marks that say more than answered or not (checked, or not a number), when any.
        if not leaving and any(mark not in _PLAIN_MARKS for mark in marks.values()):
            said["marks"] = {str(n): mark.value for n, mark in marks.items()}
        return jsonify(
            status=outcome.value,
            message=message,
            answered=sorted(answered),
            **said,
            # In the learner's time zone and format, as every other time on the pages.
            saved_at=display.format_clock(moment),
        )
    if message:
        flash(message, "warning" if outcome in _REFUSED or not_a_number or warning else "info")
    if leaving:
        return redirect(url_for("quiz.result", attempt_id=attempt_id))
    if outcome is SaveOutcome.CHECKED:
        # Straight to the verdict: the browser scrolls there, quiz.js focuses it.
        return redirect(
            url_for("quiz.item", attempt_id=attempt_id, position=position) + "#feedback"
        )
    return redirect(going_to)


_MOVES_ON = (SaveOutcome.SAVED, SaveOutcome.CLEARED)
_PLAIN_MARKS = (answers.PositionMark.EMPTY, answers.PositionMark.ANSWERED)
_VERDICTS = (answers.PositionMark.RIGHT, answers.PositionMark.PARTLY, answers.PositionMark.WRONG)


def _marks_as_shown(
    attempt: Attempt, marks: dict[int, answers.PositionMark], moment: datetime
) -> dict[int, answers.PositionMark]:
    """The question list's marks: a checked item's right or wrong only when the review
    options show scores (an assignment edited to hold them while an attempt was open)."""
    if not any(mark in _VERDICTS for mark in marks.values()):
        return marks
    review_moment = presentation.review_moment(attempt, moment)
    if presentation.reveal(review_moment, graded=True).score:
        return marks
    return {n: answers.PositionMark.ANSWERED if m in _VERDICTS else m for n, m in marks.items()}


_REFUSED = (
    SaveOutcome.LOCKED,
    SaveOutcome.SUBMITTED,
    SaveOutcome.CLOSED,
    SaveOutcome.NOTHING_TO_CHECK,
    SaveOutcome.NOT_A_NUMBER,
    SaveOutcome.INCOMPLETE,
)


def _save_message(outcome: SaveOutcome, attempt: Attempt, position: int, item_type: str) -> str:
    if outcome is SaveOutcome.SUBMITTED:
        if attempt.submitted_by_removal:
            return (
                f"{presentation.removed_while_open(attempt)} The answers saved before then "
                "were graded; this last one was not saved."
            )
        when = display.format_time(attempt.submitted_at)
        return (
            f"This quiz was already submitted ({when}), so that answer was not saved. "
            "Your result is unchanged."
        )
    if outcome is SaveOutcome.CLOSED:
        return (
            f"Time is up: the quiz closed at {display.format_time(attempt.deadline)}, so "
            "that answer was not saved. The answers saved before then were graded."
        )
    if outcome is SaveOutcome.LOCKED:
        return "You already checked this question, so its answer can no longer change."
    if outcome is SaveOutcome.NOTHING_TO_CHECK:
        return "Choose or type a whole answer before checking it."
    if outcome is SaveOutcome.NOT_A_NUMBER:
        return (
            f"Question {position} needs a number, such as 2014 or 3.5: your answer is saved "
            "as typed but not checked. Change it, then check it."
        )
    return incomplete_message(outcome, position, item_type)


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    attempt = _load(attempt_id)
    moment = now()
    if closed := _close_if_expired(attempt, moment):
        return closed
    if attempt.is_submitted:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    page = _quiz_page(attempt, attempt.current_position, moment)
    review_moment = presentation.review_moment(attempt, moment)
    items = [presentation.shown_attempt_item(item, review_moment) for item in attempt.items]
    return no_store(
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
    moment = now()
    if answers.submit(attempt, moment):
        db.session.commit()
        if attempt.late and attempt.late_policy is LatePolicy.CLOSE:
            _closed_message(attempt)
        elif attempt.late:
            flash("Submitted after the time limit: the attempt is marked late.", "warning")
        else:
            flash("Your answers are submitted.", "success")
    else:
        db.session.rollback()
        if attempt.submitted_by_removal:
            flash(f"{presentation.removed_while_open(attempt)} Here is your result.", "warning")
        else:
            flash(
                f"This quiz was already submitted ({display.format_time(attempt.submitted_at)})."
                " Nothing changed; here is your result.",
                "info",
            )
    return redirect(url_for("quiz.result", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = _load(attempt_id)
    moment = now()
    if answers.close_if_expired(attempt, moment):
        db.session.commit()
        _closed_message(attempt)
    if not attempt.is_submitted:
        flash("This quiz is still in progress: submit it to see the result.", "info")
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    review_moment = presentation.review_moment(attempt, moment)
    items = [presentation.shown_attempt_item(item, review_moment) for item in attempt.items]
    late = presentation.lateness(attempt, services.due_date_of(attempt))
    score_shown = presentation.score_shown(attempt, review_moment)
    return no_store(
        render_template(
            "quiz/result.html",
            attempt=attempt,
            items=items,
            sample=False,
            score=attempt.score or 0.0 if score_shown else None,
            # Marked so far and "awaiting grading" tell of the score: they wait with it.
            marking=answers.marking(attempt.items) if score_shown else None,
            late_notes=late,
            held_notes=presentation.held_notes(review_moment),
            comments=presentation.teacher_comments(attempt, review_moment),
        )
    )


@bp.get("/history")
@login_required
def history():
    page = services.history(current_user.id, request.args.get("page", 1, type=whole_number))
    moment = now()
    scores_shown = {
        attempt.id: presentation.score_shown(attempt, presentation.review_moment(attempt, moment))
        for attempt, _questions, _due_at in page.rows
    }
    return render_template("quiz/history.html", page=page, scores_shown=scores_shown)
