"""The account page: what is stored, download it all (JSON), change the time zone and the
password, delete the account."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from models import db
from quizzes import memory
from quizzes.account import services
from quizzes.account.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    DisplayNameForm,
    TimeZoneForm,
)
from quizzes.extensions import limiter
from quizzes.web import clock
from quizzes.web.ratelimits import user_or_address

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.before_request
@login_required
def _logged_in():
    """Every page here is about the signed-in account."""


def _render(
    form: DeleteAccountForm | None = None,
    status: int = 200,
    password_form: ChangePasswordForm | None = None,
    timezone_form: TimeZoneForm | None = None,
    name_form: DisplayNameForm | None = None,
):
    return render_template(
        "account/settings.html",
        form=form or DeleteAccountForm(formdata=None),
        password_form=password_form or ChangePasswordForm(formdata=None),
        timezone_form=timezone_form
        or TimeZoneForm(formdata=None, data={"timezone": current_user.timezone}),
        name_form=name_form
        or DisplayNameForm(formdata=None, data={"display_name": current_user.display_name}),
        summary=services.summary(current_user),
        day_start_hour=memory.load_settings(current_user.id).day_start_hour,
    ), status


@bp.get("/")
def settings():
    return _render()


@bp.get("/export.json")
def export():
    now = clock.now()
    data = services.export_data(current_user, now)
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={
            "Content-Disposition": (
                f'attachment; filename="{services.export_filename(current_user, now)}"'
            ),
            "Cache-Control": "no-store",
        },
    )


@bp.post("/name")
def change_display_name():
    form = DisplayNameForm()
    if not form.validate_on_submit():
        return _render(status=422, name_form=form)
    name = form.display_name.data or ""
    current_user.display_name = name
    db.session.commit()
    if name:
        flash(f"Your display name is now {name}.", "success")
    else:
        flash("Your display name is removed: others see your username.", "success")
    return redirect(url_for("account.settings"))


@bp.post("/timezone")
def change_timezone():
    form = TimeZoneForm()
    if not form.validate_on_submit():
        return _render(status=422, timezone_form=form)
    zone = form.timezone.data
    if services.change_timezone(current_user._get_current_object(), zone):
        db.session.commit()
        flash(
            f"Your time zone is now {zone}: times on every page and your flashcard study "
            "day follow it.",
            "success",
        )
    else:
        flash(f"Your time zone was already {zone}; nothing changed.", "info")
    return redirect(url_for("account.settings"))


def _password_tries() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


@bp.post("/password")
# The current password is checked here: as many tries as a login gets.
@limiter.limit(_password_tries, key_func=user_or_address, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _render(status=422, password_form=form)
    user = current_user._get_current_object()
    user.set_password(form.new.data)
    # Every other session and "remember me" cookie of the account ends; this one goes on.
    user.end_sessions()
    db.session.commit()
    # This device stays signed in, with a new "remember me" cookie if it had one.
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    session.clear()
    login_user(user, remember=remembered)
    flash(
        "Your password was changed. Other devices signed in to your account are signed out.",
        "success",
    )
    return redirect(url_for("account.settings"))


@bp.post("/delete")
# The password is checked here: as many tries as a login gets (AUTH_RATE_LIMIT).
@limiter.limit(
    lambda: current_app.config["AUTH_RATE_LIMIT"], key_func=user_or_address, methods=["POST"]
)
def delete():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _render(form, 422)
    username = current_user.username
    try:
        services.delete_account(current_user._get_current_object(), clock.now())
    except services.DeletionRefused as refusal:
        db.session.rollback()
        flash(f"{refusal} Nothing was deleted.", "error")
        return _render(DeleteAccountForm(formdata=None), 409)
    db.session.commit()
    # As on logout: clear first, then let Flask-Login drop the "remember me" cookie too.
    session.clear()
    logout_user()
    flash(f"Your account {username} and everything stored with it have been deleted.", "success")
    return redirect(url_for("main.home"))
