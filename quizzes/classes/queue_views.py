"""The grading queue, the teacher's side: the answers of an assignment that only a person
can mark, one at a time, with the rubric or a plain mark, a comment, and save-and-next."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import Assignment, AttemptItem, Item, MarkChange, MarkReason, User, db
from quizzes.classes import marking_queue
from quizzes.classes.assignments import class_titles
from quizzes.classes.grading import MAX_COMMENT_CHARS
from quizzes.domain.marking import max_points, points_text, score_text
from quizzes.web import clock
from quizzes.web.forms import EmptyForm
from quizzes.web.ownership import own_assignment_or_404
from quizzes.web.teachers import bp


def _anonymous() -> bool:
    return request.args.get("anonymous") == "1"


def _queue_url(assignment: Assignment, answer_id: int | None = None, **extra) -> str:
    anonymous = {"anonymous": "1"} if _anonymous() else {}
    if answer_id is None:
        return url_for("teach.grading_queue", assignment_id=assignment.id, **anonymous, **extra)
    return url_for(
        "teach.grade_answer",
        assignment_id=assignment.id,
        answer_id=answer_id,
        **anonymous,
        **extra,
    )


@bp.get("/assignments/<int:assignment_id>/grading")
def grading_queue(assignment_id: int):
    """The first answer waiting for a mark, or a page saying none is left."""
    assignment = own_assignment_or_404(assignment_id)
    queue = marking_queue.waiting(assignment, anonymous=_anonymous())
    if queue:
        return redirect(_queue_url(assignment, queue[0].answer_id))
    return render_template(
        "classes/queue_done.html",
        assignment=assignment,
        title=class_titles(assignment.school_class.assignments)[assignment.id],
        marked=marking_queue.marked_count(assignment),
    )


def _render(assignment: Assignment, answer: AttemptItem, form_values=None, error="", status=200):
    anonymous = _anonymous()
    queue = marking_queue.waiting(assignment, anonymous=anonymous)
    every = marking_queue.waiting(assignment, anonymous=anonymous, include_marked=True)
    place = next((n for n, one in enumerate(queue) if one.answer_id == answer.id), None)
    current = next((one for one in every if one.answer_id == answer.id), None)
    # Previous: the answer before, marked or not (to look again at the one just saved);
    # skip: the next one still waiting.
    previous = marking_queue.previous_before(every, current.order) if current else None
    following = marking_queue.next_after(queue, current.order) if current else None
    if following is not None and following.answer_id == answer.id:
        following = None
    last = db.session.scalars(
        db.select(MarkChange)
        .where(MarkChange.attempt_item_id == answer.id, MarkChange.reason == MarkReason.MANUAL)
        .order_by(MarkChange.changed_at.desc(), MarkChange.id.desc())
    ).first()
    item = db.session.scalar(db.select(Item).where(Item.key == answer.item_key))
    number = item.position + 1 if item is not None else None
    if form_values is None:
        form_values = {"comment": last.comment if last else ""}
        if last and last.levels:
            form_values |= {f"level-{n}": str(i) for n, i in enumerate(last.levels, start=1)}
        elif last and answer.score is not None:
            form_values["points"] = points_text(answer.score * max_points(answer.snapshot))
    student = None if anonymous else _student_name(answer)
    return (
        render_template(
            "classes/queue.html",
            assignment=assignment,
            title=class_titles(assignment.school_class.assignments)[assignment.id],
            answer=answer,
            number=number,
            student=student,
            anonymous_label=f"Answer {answer.id}",
            rubric=marking_queue.rubric_of(answer.snapshot),
            maximum=max_points(answer.snapshot),
            grader_info=answer.snapshot.get("key", {}).get("grader_info", ""),
            values=form_values,
            error=error,
            left=len(queue),
            place=place,
            previous=previous,
            following=following,
            last=last,
            anonymous=anonymous,
            queue_url=_queue_url,
            score_text=score_text,
            points_text=points_text,
            max_comment=MAX_COMMENT_CHARS,
            form=EmptyForm(),
        ),
        status,
    )


def _student_name(answer: AttemptItem) -> str:
    return db.session.get(User, answer.attempt.user_id).username


def _answer_or_404(assignment: Assignment, answer_id: int) -> AttemptItem:
    answer = marking_queue.answer_in(assignment, answer_id)
    if answer is None or not answer.attempt.is_submitted:
        abort(404)
    return answer  # any answer may be marked here; the queue lists those a person marks


@bp.route("/assignments/<int:assignment_id>/grading/<int:answer_id>", methods=["GET", "POST"])
def grade_answer(assignment_id: int, answer_id: int):
    assignment = own_assignment_or_404(assignment_id)
    answer = _answer_or_404(assignment, answer_id)
    if request.method == "GET":
        return _render(assignment, answer)
    if not EmptyForm().validate_on_submit():
        abort(400)
    values = {name: request.form.get(name, "") for name in request.form}
    comment = values.get("comment", "")
    if len(comment) > MAX_COMMENT_CHARS:
        return _render(
            assignment,
            answer,
            values,
            f"A comment is at most {MAX_COMMENT_CHARS:,} characters.",
            400,
        )
    read = marking_queue.read_mark(answer.snapshot, values)
    if read.error:
        return _render(assignment, answer, values, read.error, 400)
    order_before = next(
        (
            one.order
            for one in marking_queue.waiting(assignment, anonymous=_anonymous())
            if one.answer_id == answer.id
        ),
        None,
    )
    marking_queue.mark_from_queue(answer, read, comment, current_user.id, clock.now())
    db.session.commit()
    flash(
        f"Marked {score_text(read.score, max_points(answer.snapshot))}"
        + ("" if _anonymous() else f" for {_student_name(answer)}")
        + ".",
        "success",
    )
    following = marking_queue.next_after(
        marking_queue.waiting(assignment, anonymous=_anonymous()), order_before
    )
    if following is None:
        return redirect(_queue_url(assignment))
    return redirect(_queue_url(assignment, following.answer_id))
