"""Classes, the teacher's side: create, see the roster and join code, remove a student."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from models import User, db
from quizzes.auth.forms import EmptyForm
from quizzes.classes import services
from quizzes.domain.joincodes import format_join_code
from quizzes.teach.access import own_class_or_404
from quizzes.teach.blueprint import bp
from quizzes.teach.forms import ClassForm


def _render_classes(form: ClassForm):
    return render_template(
        "teach/classes.html",
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
    school_class = services.create_class(current_user, form.name.data)
    db.session.commit()
    flash(
        f"Created {school_class.name}. Students join with the code "
        f"{format_join_code(school_class.join_code)}.",
        "success",
    )
    return redirect(url_for("teach.class_detail", class_id=school_class.id))


@bp.get("/classes/<int:class_id>")
def class_detail(class_id: int):
    school_class = own_class_or_404(class_id)
    return render_template(
        "teach/class_detail.html",
        school_class=school_class,
        roster=services.roster(school_class),
        code=format_join_code(school_class.join_code),
        button=EmptyForm(),
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
    flash(f"Removed {student.username} from {school_class.name}.", "success")
    return redirect(url_for("teach.class_detail", class_id=class_id))


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
