"""The student side of classes: see the classes one is in, join one with a code, and take
the assignments given to them."""

import random

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from models import Assignment, db
from quizzes.classes import assignments, services
from quizzes.classes.forms import JoinClassForm
from quizzes.extensions import limiter
from quizzes.web import clock
from quizzes.web.forms import EmptyForm

bp = Blueprint("classes", __name__, url_prefix="/classes")


@bp.app_template_global("due_assignments")
def due_assignments() -> list[assignments.StudentAssignment]:
    """For the home page: what a signed-in student has to do now."""
    if not current_user.is_authenticated or current_user.is_teacher:
        return []
    return assignments.due_for_home(current_user, clock.now())


def _join_limit() -> str:
    return current_app.config["JOIN_RATE_LIMIT"]


def _join_address_limit() -> str:
    return current_app.config["JOIN_ADDRESS_RATE_LIMIT"]


def _joining_account() -> str:
    # Reached only signed in (the limit runs inside login_required).
    return f"user:{current_user.id}"


@bp.route("/", methods=["GET", "POST"])
@login_required
# Join codes are guessed like passwords: a budget per account, and a higher ceiling per
# address (a class behind one school address joins together) against many accounts.
@limiter.limit(_join_limit, methods=["POST"], key_func=_joining_account)
@limiter.limit(_join_address_limit, methods=["POST"])
def mine():
    if current_user.is_teacher:
        return redirect(url_for("teach.classes"))
    form = JoinClassForm()
    if form.validate_on_submit():
        try:
            school_class, added = services.join_class(current_user, form.code.data)
        except services.JoinError as error:
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            if added:
                flash(f"You joined {school_class.name}.", "success")
            else:
                flash(f"You are already in {school_class.name}.", "info")
            return redirect(url_for("classes.mine"))
    work = assignments.student_assignments(current_user, clock.now())
    by_class: dict[int, list[assignments.StudentAssignment]] = {}
    for entry in work:
        by_class.setdefault(entry.assignment.class_id, []).append(entry)
    return render_template(
        "classes/mine.html",
        form=form,
        classes=services.student_classes(current_user),
        by_class=by_class,
    )


@bp.post("/assignments/<int:assignment_id>/start")
@login_required
def start_assignment(assignment_id: int):
    assignment = db.session.get(Assignment, assignment_id)
    if (
        assignment is None
        or current_user.is_teacher
        or not assignments.is_enrolled(current_user.id, assignment.class_id)
    ):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = assignments.start(current_user, assignment, clock.now(), random.SystemRandom())
    except assignments.StartRefused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("classes.mine"))
    db.session.commit()
    return redirect(url_for("quiz.resume", attempt_id=attempt.id))
