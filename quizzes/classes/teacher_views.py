"""Classes, the teacher's side: create, see the roster and join code, remove a student."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import (
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from models import Assignment, SchoolClass, SetStatus, User, db
from models.attempts import FeedbackMode
from quizzes.auth import reset
from quizzes.classes import assignments, marking_queue, reports, services
from quizzes.classes.forms import AssignmentForm, ClassForm
from quizzes.domain.assignments import GradePolicy
from quizzes.domain.assignments import gradebook_csv as domain_gradebook_csv
from quizzes.domain.joincodes import format_join_code
from quizzes.integers import whole_number
from quizzes.web import clock, display, once
from quizzes.web.display import export_filename
from quizzes.web.forms import EmptyForm
from quizzes.web.ownership import own_assignment_or_404, own_class_or_404, own_set_or_404
from quizzes.web.teachers import bp


def _render_classes(form: ClassForm):
    return render_template(
        "classes/classes.html",
        classes=services.teacher_classes(current_user),
        form=form,
        format_code=format_join_code,
    )


@bp.get("/classes")
def classes():
    return _render_classes(ClassForm())


@bp.post("/classes/new")
def create_class():
    form = ClassForm()
    if not form.validate_on_submit():
        return _render_classes(form)
    sent = once.claim(form.once.data)
    if sent.earlier:
        return once.already_sent(sent, fallback=url_for("teach.classes"))
    school_class = services.create_class(current_user, form.name.data)
    target = sent.made(url_for("teach.class_detail", class_id=school_class.id))
    db.session.commit()
    flash(
        f"Created {school_class.name}. Students join with the code "
        f"{format_join_code(school_class.join_code)}.",
        "success",
    )
    return redirect(target)


@bp.get("/classes/<int:class_id>")
def class_detail(class_id: int):
    school_class = own_class_or_404(class_id)
    return render_template(
        "classes/class_detail.html",
        school_class=school_class,
        roster=services.roster(school_class),
        code=format_join_code(school_class.join_code),
        assignment_rows=assignments.class_assignment_rows(school_class),
        can_assign=bool(assignments.assignable_sets(current_user)),
        needs_grading=marking_queue.counts(school_class),
    )


@bp.post("/classes/<int:class_id>/students/<int:student_id>/remove")
def remove_student(class_id: int, student_id: int):
    school_class = own_class_or_404(class_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    student = db.session.get(User, student_id)
    if student is None or not services.remove_student(school_class, student_id):
        abort(404)
    db.session.commit()
    flash(f"Removed {student.full_label} from {school_class.name}.", "success")
    return redirect(url_for("teach.class_detail", class_id=class_id))


def _class_member_or_404(school_class: SchoolClass, student_id: int) -> User:
    student = db.session.get(User, student_id)
    if student is None or not services.is_member(school_class, student_id):
        abort(404)
    return student


@bp.post("/classes/<int:class_id>/students/<int:student_id>/reset-code")
def give_reset_code(class_id: int, student_id: int):
    """A one-time code with which a student who forgot their password sets a new one."""
    school_class = own_class_or_404(class_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    student = _class_member_or_404(school_class, student_id)
    if not reset.may_give_code(current_user, student):
        abort(403)
    code = reset.give_code(
        student, current_user, clock.now(), current_app.config["RESET_CODE_HOURS"]
    )
    db.session.commit()
    # Shown once by the page this redirects to, then gone (only its hash is stored).
    session[reset.SHOWN_ONCE_KEY] = {"user_id": student.id, "code": code}
    return redirect(url_for("teach.show_reset_code", class_id=class_id, student_id=student_id))


@bp.get("/classes/<int:class_id>/students/<int:student_id>/reset-code")
def show_reset_code(class_id: int, student_id: int):
    school_class = own_class_or_404(class_id)
    student = _class_member_or_404(school_class, student_id)
    response = make_response(
        render_template(
            "classes/reset_code.html",
            school_class=school_class,
            student=student,
            code=reset.take_shown_code(session, student.id),
            hours=current_app.config["RESET_CODE_HOURS"],
            form=EmptyForm(),
        )
    )
    response.headers["Cache-Control"] = "no-store"  # the code is shown once
    return response


@bp.post("/classes/<int:class_id>/code")
def new_code(class_id: int):
    school_class = own_class_or_404(class_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    code = services.new_join_code(school_class)
    db.session.commit()
    flash(
        f"New join code: {format_join_code(code)}. The old code no longer works; "
        "students already in the class stay.",
        "success",
    )
    return redirect(url_for("teach.class_detail", class_id=class_id))


# -- assignments, gradebook, item analysis ---------------------------------------------------


def zone() -> ZoneInfo:
    try:
        return ZoneInfo(current_user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def from_local(moment: datetime | None) -> datetime | None:
    """A time typed in the teacher's zone (a naive datetime-local value), as UTC."""
    return None if moment is None else moment.replace(tzinfo=zone()).astimezone(UTC)


def _assignment_form(school_class: SchoolClass) -> AssignmentForm:
    form = AssignmentForm()
    form.set_id.choices = [(s.id, s.title) for s in assignments.assignable_sets(current_user)]
    if not form.is_submitted():
        local_now = clock.now().astimezone(zone()).replace(second=0, microsecond=0)
        form.opens_at.data = local_now.replace(tzinfo=None)
        if (wanted := request.args.get("set", type=whole_number)) is not None:
            form.set_id.data = wanted
    return form


@bp.route("/classes/<int:class_id>/assignments/new", methods=["GET", "POST"])
def new_assignment(class_id: int):
    school_class = own_class_or_404(class_id)
    form = _assignment_form(school_class)
    if not form.set_id.choices:
        # Reached by its address with nothing to assign: an empty list, then a 404.
        flash("To assign a set, first publish one of your sets.", "info")
        return redirect(url_for("teach.class_detail", class_id=class_id))
    earlier: list[Assignment] = []
    if form.validate_on_submit():
        question_set = own_set_or_404(form.set_id.data)
        earlier = [a for a in school_class.assignments if a.set_id == question_set.id]
        if question_set.status is not SetStatus.PUBLISHED:
            form.set_id.errors.append("Publish the set before assigning it.")
        elif (sent := once.claim(form.once.data)).earlier:
            return once.already_sent(
                sent, fallback=url_for("teach.class_detail", class_id=class_id)
            )
        elif earlier and not form.again.data:
            db.session.rollback()  # the claim too: the form comes back, to be sent again
            form.set_id.errors.append(_assigned_already(question_set.title, earlier))
        else:
            assignment = assignments.create_assignment(
                school_class,
                question_set,
                opens_at=from_local(form.opens_at.data),
                due_at=from_local(form.due_at.data),
                attempt_limit=form.attempt_limit.data,
                time_limit_minutes=form.time_limit_minutes.data,
                feedback_mode=FeedbackMode(form.feedback_mode.data),
                review=form.review_options(),
                draw_count=form.draw_count.data,
                grade_method=GradePolicy(form.grade_method.data),
            )
            target = sent.made(
                url_for("teach.class_detail", class_id=class_id, _anchor=f"a{assignment.id}")
            )
            db.session.commit()
            flash(f"Assigned “{question_set.title}” to {school_class.name}.", "success")
            return redirect(target)
    return render_template(
        "classes/assignment_form.html",
        school_class=school_class,
        form=form,
        zone=zone().key,
        ask_again=bool(earlier),
    )


def _assigned_already(title: str, earlier: list[Assignment]) -> str:
    when = "; ".join(
        f"opens {display.format_time(a.opens_at)}"
        + (f", due {display.format_time(a.due_at)}" if a.due_at else "")
        for a in earlier
    )
    return (
        f"“{title}” is already assigned to this class ({when}). To give it again, tick "
        "“Assign it again” below; otherwise choose another set."
    )


@bp.route("/assignments/<int:assignment_id>/delete", methods=["GET", "POST"])
def delete_assignment(assignment_id: int):
    """GET asks first, saying whose work it touches and how; POST removes."""
    assignment = own_assignment_or_404(assignment_id)
    form = EmptyForm()
    if request.method == "GET":
        return render_template(
            "classes/delete_assignment.html",
            assignment=assignment,
            impact=assignments.removal_impact(assignment),
            form=form,
        )
    if not form.validate_on_submit():
        abort(400)
    class_id = assignment.class_id
    title = assignment.question_set.title
    ended = assignments.remove_assignment(assignment, clock.now())
    db.session.commit()
    flash(f"Removed the assignment “{title}”. {_removal_outcome(ended)}", "success")
    return redirect(url_for("teach.class_detail", class_id=class_id))


def _removal_outcome(ended: int) -> str:
    if not ended:
        return "Students' attempts stay in their history."
    which = (
        "1 attempt in progress was submitted as it stood"
        if ended == 1
        else f"{ended} attempts in progress were submitted as they stood"
    )
    return (
        f"{which}, and graded. Every attempt stays in its student's history, marked as "
        "from a removed assignment."
    )


def _policy() -> GradePolicy | None:
    """The method the teacher asked to see; None: each assignment's own."""
    wanted = request.args.get("use", "")
    return GradePolicy(wanted) if wanted in {p.value for p in GradePolicy} else None


@bp.get("/classes/<int:class_id>/gradebook")
def gradebook(class_id: int):
    school_class = own_class_or_404(class_id)
    policy = _policy()
    book = reports.gradebook(school_class, policy)
    methods = {column.policy for column in book.columns}
    # The select shows the method in use: the page's, or the one every assignment shares.
    shown = policy or (methods.pop() if len(methods) == 1 else None)
    return render_template(
        "classes/gradebook.html",
        school_class=school_class,
        book=book,
        policy=policy.value if policy else "",
        selected=shown.value if shown else "",
    )


@bp.get("/classes/<int:class_id>/gradebook.csv")
def gradebook_csv(class_id: int):
    school_class = own_class_or_404(class_id)
    policy = _policy()
    text = domain_gradebook_csv(reports.gradebook(school_class, policy))
    named = policy.value if policy else "counted"
    filename = export_filename(f"{school_class.name} gradebook {named}", "csv")
    return Response(
        text.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/assignments/<int:assignment_id>/analysis")
def item_analysis(assignment_id: int):
    assignment = own_assignment_or_404(assignment_id)
    rows, students = reports.item_analysis(assignment)
    return render_template(
        "classes/item_analysis.html",
        assignment=assignment,
        rows=rows,
        students=students,
    )
