"""Teacher sign-ups (TEACHER_SIGNUP, quizzes/auth/signup.py): an administrator approves or
declines the accounts waiting for approval, and makes invitation codes; and gives any
account a password reset code (quizzes/auth/reset.py)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from models import Role, User, by_id, db
from quizzes.auth import reset, signup
from quizzes.auth.forms import USERNAME_RULE
from quizzes.web import clock
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


class ResetCodeForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=40)])


def _waiting() -> list[User]:
    query = select(User).where(User.role == Role.PENDING_TEACHER).order_by(User.created_at)
    return list(db.session.scalars(query))


def _render(
    form: InvitationForm | None = None,
    code: str | None = None,
    status: int = 200,
    reset_form: ResetCodeForm | None = None,
    reset_for: User | None = None,
    reset_code: str | None = None,
):
    response = current_app.make_response(
        (
            render_template(
                "admin/teachers.html",
                waiting=_waiting(),
                form=EmptyForm(),
                invitation_form=form or InvitationForm(formdata=None),
                code=code,
                policy=current_app.config["TEACHER_SIGNUP"],
                days=current_app.config["TEACHER_INVITATION_DAYS"],
                reset_form=reset_form or ResetCodeForm(formdata=None),
                reset_for=reset_for,
                reset_code=reset_code,
                reset_hours=current_app.config["RESET_CODE_HOURS"],
            ),
            status,
        )
    )
    if code or reset_code:
        response.headers["Cache-Control"] = "no-store"  # codes are shown once
    return response


@bp.get("/teachers")
def teachers():
    shown = session.get(reset.SHOWN_ONCE_KEY)
    user = by_id(User, shown.get("user_id")) if isinstance(shown, dict) else None
    if user is None:
        return _render()
    return _render(reset_for=user, reset_code=reset.take_shown_code(session, user.id))


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


@bp.post("/reset-codes")
def give_reset_code():
    form = ResetCodeForm()
    if not form.validate_on_submit():
        return _render(reset_form=form, status=422)
    name = form.username.data.strip()
    user = db.session.scalar(select(User).where(db.func.lower(User.username) == name.lower()))
    if user is None:
        form.username.errors.append(f"No account is called {name!r}; nothing was made.")
        return _render(reset_form=form, status=422)
    if not reset.may_give_code(current_user, user):
        form.username.errors.append(
            "That is your own account: change your password on your account page."
        )
        return _render(reset_form=form, status=422)
    code = reset.give_code(user, current_user, clock.now(), current_app.config["RESET_CODE_HOURS"])
    db.session.commit()
    session[reset.SHOWN_ONCE_KEY] = {"user_id": user.id, "code": code}  # shown once, next
    return redirect(url_for("admin.teachers", _anchor="reset-heading"))
