"""Marking, the teacher's side: a student's attempt as the teacher reads it (opened from a
gradebook cell), a mark with a comment for one answer, the per-question CSV of an
assignment, and the regrade after an item's key or credit was edited, previewed first."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import Assignment, Attempt, Item, User, db
from quizzes.classes import grading
from quizzes.classes.assignments import class_titles
from quizzes.classes.grading_forms import MarkForm, RegradeForm
from quizzes.domain.assignments import GradePolicy
from quizzes.domain.marking import (
    points_text,
    question_marks_csv,
    read_points,
    score_text,
)
from quizzes.quiz import presentation
from quizzes.quiz.regrade import apply_item_regrade, plan_item_regrade
from quizzes.web import clock
from quizzes.web.display import export_filename
from quizzes.web.ownership import class_attempt_or_404, own_assignment_or_404, own_set_or_404
from quizzes.web.teachers import bp


def _mark_form(answer: grading.MarkedAnswer, position: int) -> MarkForm:
    form = MarkForm(prefix=f"q{position}", formdata=None)
    if answer.score is not None:
        form.points.data = points_text(answer.score * answer.max_points)
    form.comment.data = answer.comment
    return form


def _render_attempt(attempt: Attempt, failed: tuple[int, MarkForm] | None = None, status=200):
    assignment = db.session.get(Assignment, attempt.assignment_id)
    answers = grading.marked_answers(attempt)
    forms = {answer.shown.position: _mark_form(answer, answer.shown.position) for answer in answers}
    if failed is not None:
        forms[failed[0]] = failed[1]
    history = [change for answer in answers for change in answer.history]
    return (
        render_template(
            "classes/attempt.html",
            attempt=attempt,
            assignment=assignment,
            title=class_titles(assignment.school_class.assignments)[assignment.id],
            student=db.session.get(User, attempt.user_id),
            answers=answers,
            forms=forms,
            markers=grading.markers(history),
            late_notes=presentation.lateness(attempt, assignment.due_for(attempt.user_id)),
            score_text=score_text,
            points_text=points_text,
        ),
        status,
    )


@bp.get("/attempts/<int:attempt_id>")
def attempt_page(attempt_id: int):
    return _render_attempt(class_attempt_or_404(attempt_id))


@bp.post("/attempts/<int:attempt_id>/items/<int:position>/mark")
def mark_answer(attempt_id: int, position: int):
    attempt = class_attempt_or_404(attempt_id)
    item = next((one for one in attempt.items if one.position == position), None)
    if item is None:
        abort(404)
    form = MarkForm(prefix=f"q{position}")
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _render_attempt(attempt, (position, form), 400)
    if not attempt.is_submitted:
        flash("This attempt is still in progress: mark it once it is submitted.", "error")
        return redirect(url_for("teach.attempt_page", attempt_id=attempt.id))
    answer = next(a for a in grading.marked_answers(attempt) if a.shown.position == position)
    read = read_points(form.points.data, answer.max_points)
    if read.error:
        form.points.errors = [read.error]
        return _render_attempt(attempt, (position, form), 400)
    changed = grading.set_mark(
        attempt, position, read.score, form.comment.data or "", current_user.id, clock.now()
    )
    db.session.commit()
    if changed:
        flash(
            f"Question {position}: marked {score_text(read.score, answer.max_points)}. "
            f"The attempt's score is now {round((attempt.score or 0) * 100)}%.",
            "success",
        )
    else:
        flash(f"Question {position}: the mark and comment were already so.", "info")
    return redirect(url_for("teach.attempt_page", attempt_id=attempt.id, _anchor=f"q{position}"))


def _policy(assignment: Assignment) -> GradePolicy:
    """The gradebook's method for this assignment: the one the page asked for, else the
    assignment's own. The average is no one attempt: its marks are the best attempt's."""
    wanted = request.args.get("use", "")
    policy = GradePolicy(wanted) if wanted in {p.value for p in GradePolicy} else None
    policy = policy or assignment.grade_method
    return GradePolicy.BEST if policy is GradePolicy.AVERAGE else policy


@bp.get("/assignments/<int:assignment_id>/marks.csv")
def question_marks_csv_download(assignment_id: int):
    assignment = own_assignment_or_404(assignment_id)
    policy = _policy(assignment)
    columns, rows = grading.question_marks(assignment, policy)
    title = class_titles(assignment.school_class.assignments)[assignment.id]
    name = f"{assignment.school_class.name} {title} marks {policy.value}"
    filename = export_filename(name, "csv")
    return Response(
        question_marks_csv(columns, rows).encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# -- regrade after an edit ------------------------------------------------------------------


@bp.route("/sets/<int:set_id>/items/<int:item_id>/regrade", methods=["GET", "POST"])
def regrade_item(set_id: int, item_id: int):
    """GET shows whose marks would change and by how much; POST writes exactly that."""
    question_set = own_set_or_404(set_id)
    item = db.session.get(Item, item_id)
    if item is None or item.set_id != question_set.id:
        abort(404)
    regrade = plan_item_regrade(item)
    form = RegradeForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if form.plan.data != regrade.fingerprint:
            flash(
                "Answers or marks changed since the preview: nothing was written. Here is "
                "the regrade as it stands now.",
                "warning",
            )
        else:
            changed = apply_item_regrade(item, regrade, current_user.id, clock.now())
            db.session.commit()
            kept = len(regrade.plan.kept_by_hand)
            flash(
                f"Regraded item {item.position + 1}: {changed} "
                f"{'answer' if changed == 1 else 'answers'} changed"
                + (f"; {kept} marked by hand kept." if kept else ".")
                if changed
                else f"Item {item.position + 1}: no mark changed.",
                "success",
            )
            return redirect(url_for("teach.set_detail", set_id=set_id, _anchor=f"item-{item.id}"))
    form.plan.data = regrade.fingerprint
    return render_template(
        "classes/regrade.html",
        question_set=question_set,
        item=item,
        plan=regrade.plan,
        form=form,
        score_text=score_text,
        max_points=1,
    )
