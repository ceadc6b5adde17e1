"""An assignment's own pages, the teacher's side: edit its dates, limits and review
options; release what it holds back; extensions and extra time per student."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, url_for

from models import Assignment, db
from models.attempts import FeedbackMode
from quizzes.classes import services, settings
from quizzes.classes.forms import AssignmentSettingsForm, ExtensionForm
from quizzes.classes.teacher_views import from_local, zone
from quizzes.domain.assignments import GradePolicy
from quizzes.domain.review import TIMING_LABELS, ReviewTiming
from quizzes.web import clock, display
from quizzes.web.forms import EmptyForm
from quizzes.web.ownership import own_assignment_or_404
from quizzes.web.teachers import bp


def _local(moment: datetime | None) -> datetime | None:
    """A stored UTC time as the naive local value a datetime-local field shows."""
    return None if moment is None else moment.astimezone(zone()).replace(tzinfo=None)


def _class_page(assignment: Assignment) -> str:
    return url_for("teach.class_detail", class_id=assignment.class_id, _anchor=f"a{assignment.id}")


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
def edit_assignment(assignment_id: int):
    assignment = own_assignment_or_404(assignment_id)
    form = AssignmentSettingsForm()
    if not form.is_submitted():
        form.opens_at.data = _local(assignment.opens_at)
        form.due_at.data = _local(assignment.due_at)
        form.attempt_limit.data = assignment.attempt_limit
        form.time_limit_minutes.data = assignment.time_limit_minutes
        form.draw_count.data = assignment.draw_count
        form.grade_method.data = assignment.grade_method.value
        form.feedback_mode.data = assignment.feedback_mode.value
        form.review_score.data = assignment.review_score.value
        form.review_answers.data = assignment.review_answers.value
        form.review_explanations.data = assignment.review_explanations.value
        form.review_feedback.data = assignment.review_feedback.value
    elif form.validate_on_submit():
        settings.update_assignment(
            assignment,
            settings.AssignmentSettings(
                opens_at=from_local(form.opens_at.data),
                due_at=from_local(form.due_at.data),
                attempt_limit=form.attempt_limit.data,
                time_limit_minutes=form.time_limit_minutes.data,
                feedback_mode=FeedbackMode(form.feedback_mode.data),
                review=form.review_options(),
                draw_count=form.draw_count.data,
                grade_method=GradePolicy(form.grade_method.data),
            ),
        )
        target = _class_page(assignment)
        title = assignment.question_set.title
        db.session.commit()
        flash(
            f"Saved “{title}”. Attempts already started keep their time limit; every "
            "attempt stays.",
            "success",
        )
        return redirect(target)
    return render_template(
        "classes/edit_assignment.html", assignment=assignment, form=form, zone=zone().key
    ), 200 if not form.errors else 422


@bp.post("/assignments/<int:assignment_id>/release")
def release_assignment(assignment_id: int):
    assignment = own_assignment_or_404(assignment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    settings.release(assignment, clock.now())
    target = _class_page(assignment)
    title = assignment.question_set.title
    db.session.commit()
    flash(
        f"Released “{title}”: what it kept until your release now shows to students who "
        "have submitted.",
        "success",
    )
    return redirect(target)


def _extension_form(assignment: Assignment) -> ExtensionForm:
    form = ExtensionForm()
    form.student_id.choices = [
        (e.student_id, e.student.username) for e in services.roster(assignment.school_class)
    ]
    return form


@bp.route("/assignments/<int:assignment_id>/extensions", methods=["GET", "POST"])
def assignment_extensions(assignment_id: int):
    """The assignment's page for exceptions: who has a later due date or extra time."""
    assignment = own_assignment_or_404(assignment_id)
    form = _extension_form(assignment)
    if form.validate_on_submit():
        try:
            extension = settings.give_extension(
                assignment,
                form.student_id.data,
                due_at=from_local(form.due_at.data),
                extra_minutes=form.extra_minutes.data,
                now=clock.now(),
            )
        except settings.ExtensionRefused as refused:
            db.session.rollback()
            form.student_id.errors = [str(refused)]
        else:
            name = extension.student.username
            db.session.commit()
            flash(f"Saved the extension for {name}.", "success")
            return redirect(url_for("teach.assignment_extensions", assignment_id=assignment_id))
    return render_template(
        "classes/extensions.html",
        assignment=assignment,
        form=form,
        remove_form=EmptyForm(),
        zone=zone().key,
        format_time=display.format_time,
    ), 200 if not form.errors else 422


@bp.post("/assignments/<int:assignment_id>/extensions/<int:student_id>/remove")
def remove_extension(assignment_id: int, student_id: int):
    assignment = own_assignment_or_404(assignment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if settings.remove_extension(assignment, student_id):
        db.session.commit()
        flash("Removed the extension: the class's due date and time limit apply again.", "success")
    else:  # removed already (a second click, another tab): nothing to do
        flash("That student has no extension here.", "info")
    return redirect(url_for("teach.assignment_extensions", assignment_id=assignment_id))


def waits_for_release(assignment: Assignment) -> bool:
    return assignment.released_at is None and ReviewTiming.RELEASED in (
        assignment.review_options.timings()
    )


def review_label(timing: ReviewTiming) -> str:
    """ "after the attempt is submitted": the form's label, inside a sentence."""
    label = TIMING_LABELS[timing]
    return label[0].lower() + label[1:]


bp.add_app_template_global(waits_for_release, "waits_for_release")
bp.add_app_template_global(review_label, "review_label")
