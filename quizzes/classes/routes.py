"""The student side of classes: see the classes one is in, join one with a code."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from models import db
from quizzes.classes import services
from quizzes.classes.forms import JoinClassForm

bp = Blueprint("classes", __name__, url_prefix="/classes")


@bp.route("/", methods=["GET", "POST"])
@login_required
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
    return render_template(
        "classes/mine.html", form=form, classes=services.student_classes(current_user)
    )
