"""Teacher sign-ups (TEACHER_SIGNUP, quizzes/auth/signup.py): an administrator approves or
declines the accounts waiting for approval, and makes invitation codes."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from models import Role, User, by_id, db
from quizzes.auth import signup
from quizzes.auth.forms import USERNAME_RULE
from quizzes.web.forms import EmptyForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    if not current_user.is_admin:
        abort(403)


class InvitationForm(FlaskForm):
    username = StringField(
        "Username of the new teacher", validators=[DataRequired(), Length(3, 40), USERNAME_RULE]
    )


def _waiting() -> list[User]:
    query = select(User).where(User.role == Role.PENDING_TEACHER).order_by(User.created_at)
    return list(db.session.scalars(query))


def _render(form: InvitationForm | None = None, code: str | None = None, status: int = 200):
    return render_template(
        "admin/teachers.html",
        waiting=_waiting(),
        form=EmptyForm(),
        invitation_form=form or InvitationForm(formdata=None),
        code=code,
        policy=current_app.config["TEACHER_SIGNUP"],
        days=current_app.config["TEACHER_INVITATION_DAYS"],
    ), status


@bp.get("/teachers")
def teachers():
    return _render()


def _waiting_or_404(user_id: int) -> User:
    user = by_id(User, user_id)
    if user is None or not user.awaits_approval:
        abort(404)
    return user


@bp.post("/teachers/<int:user_id>/approve")
def approve(user_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = _waiting_or_404(user_id)
    user.role = Role.TEACHER
    db.session.commit()
    flash(f"{user.username} is a teacher now.", "success")
    return redirect(url_for("admin.teachers"))


@bp.post("/teachers/<int:user_id>/decline")
def decline(user_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = _waiting_or_404(user_id)
    user.role = Role.STUDENT
    db.session.commit()
    flash(f"{user.username} keeps a learner's account; it is not a teacher's.", "info")
    return redirect(url_for("admin.teachers"))


@bp.post("/invitations")
def invite():
    form = InvitationForm()
    if not form.validate_on_submit():
        return _render(form, status=422)
    username = form.username.data.strip()
    code = signup.invitation_code(current_app.config["SECRET_KEY"], username)
    return _render(form, code=code)
