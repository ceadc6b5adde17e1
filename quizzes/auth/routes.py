from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_url, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from models import Role, User, db, utcnow
from quizzes.auth import reset, signup
from quizzes.auth.forms import LoginForm, RegisterForm, ResetPasswordForm
from quizzes.extensions import limiter, login_manager
from quizzes.integers import whole_number_or_none
from quizzes.web import clock
from quizzes.web.forms import EmptyForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


# Built once: every signed-in request runs it, and session.get() builds its select anew.
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user a session names ("<id>:<token>", User.get_id), if its token is current."""
    user_id, _, token = session_id.partition(":")
    number = whole_number_or_none(user_id)
    if number is None or not token:
        return None
    user = db.session.scalar(_USER_BY_ID, {"user_id": number})
    if user is None:
        return None
    if not user.holds_session(token):
        g.session_ended = True  # signed out everywhere since this cookie was made
        return None
    return user


# Logging out and changing the password end every session of the account: a device still
# holding one is told why it has to log in again, not only that it has to.
SESSION_ENDED_MESSAGE = (
    "You were signed out on this device because your account was logged out or its "
    "password was changed on another device. Please log in again; if that was not you, "
    "change your password once you are in."
)


@login_manager.unauthorized_handler
def ask_to_log_in():
    """Flask-Login's own answer to a page that needs a login (a message, then the login
    page with ?next=), with the reason when the session was ended elsewhere."""
    ended = g.get("session_ended", False)
    if request.headers.get("X-Requested-With") == "fetch":
        # An autosave (quiz.js) cannot follow a redirect to a form: it says what happened.
        reason = "You were signed out on another device. " if ended else ""
        return jsonify(
            status="signed_out",
            message=f"{reason}Not saved: you are not logged in. Reload the page to log in "
            "again; the answers saved before are kept.",
        ), 401
    message = SESSION_ENDED_MESSAGE if ended else login_manager.login_message
    if request.method == "POST":
        # A form sent from a page left open: say plainly that it was not kept.
        message = f"{message} What you had just sent was not saved: enter it again once you are in."
    flash(
        message,
        "warning" if ended or request.method == "POST" else login_manager.login_message_category,
    )
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def _auth_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _login_address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _address_and_username() -> str:
    # A class often shares one school address: guessing is limited per account name there,
    # with a higher ceiling per address (LOGIN_ADDRESS_RATE_LIMIT) against spraying names.
    username = (request.form.get("username") or "").strip().lower()[:40]
    return f"{get_remote_address()}|{username}"


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: no scheme, no host, no protocol-relative '//' or backslashes."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _start_session(user: User, remember: bool) -> None:
    # A fresh session on login: nothing from before survives (no fixation).
    session.clear()
    if not user.session_token:
        # An account written without a token (by a raw insert, say) would sign in and be
        # signed out at once: an empty token never names a session.
        user.end_sessions()
        db.session.commit()
    login_user(user, remember=remember)


# How long after a sign-up the same form, sent again, signs in instead of saying the name
# is taken: a double click, or a press the first response had not yet answered.
SIGN_UP_AGAIN_WINDOW = timedelta(minutes=2)


def _signed_up_just_now(form: RegisterForm) -> User | None:
    """The account this very form made moments ago: same name, role and password."""
    if request.method != "POST" or form.password.data != form.confirm.data:
        return None
    name = (form.username.data or "").strip()
    user = db.session.scalar(select(User).where(db.func.lower(User.username) == name.lower()))
    if (
        user is None
        or user.role is not _role_asked_for(form)
        or user.created_at < utcnow() - SIGN_UP_AGAIN_WINDOW
        or not user.check_password(form.password.data or "")
    ):
        return None
    return user


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = User(
            username=form.username.data.strip(),
            display_name=form.display_name.data or "",
            timezone=form.signed_up_zone(),
            role=_role_asked_for(form),
        )
        user.set_password(form.password.data)
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:  # the same name, registered by a request at the same moment
            db.session.rollback()
            if again := _signed_up_just_now(form):
                return _welcome(again)
            form.username.errors.append(
                "That username was taken a moment ago. Please choose another, "
                "or log in if the account is yours."
            )
            return render_template("auth/register.html", form=form)
        return _welcome(user)
    if set(form.errors) == {"username"} and (again := _signed_up_just_now(form)):
        return _welcome(again)  # the form sent twice: it counts once
    return render_template("auth/register.html", form=form)


def _role_asked_for(form: RegisterForm) -> Role:
    """The role the form's choice gives under the operator's TEACHER_SIGNUP."""
    return signup.role_for_sign_up(Role(form.role.data), current_app.config["TEACHER_SIGNUP"])


def _welcome(user: User):
    _start_session(user, remember=False)
    flash(f"Welcome to Quizdeck, {user.shown_name}!", "success")
    if user.awaits_approval:
        flash(signup.WAITING_MESSAGE, "info")
    return redirect(url_for("main.home"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"], key_func=_address_and_username)
@limiter.limit(_login_address_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            select(User).where(db.func.lower(User.username) == form.username.data.strip().lower())
        )
        if user is None or not user.check_password(form.password.data):
            # One message for both halves: never tell which one was wrong.
            flash("Wrong username or password.", "error")
            return render_template("auth/login.html", form=form), 401
        _start_session(user, remember=form.remember.data)
        flash(f"Logged in as {user.username}.", "success")
        return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
# A code is 60 random bits, yet guessing is limited as a login is (per name and address).
@limiter.limit(_auth_limit, methods=["POST"], key_func=_address_and_username)
@limiter.limit(_login_address_limit, methods=["POST"])
def reset_password():
    if current_user.is_authenticated:
        return redirect(url_for("account.settings"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = reset.redeem(
            form.username.data.strip(), form.code.data, form.password.data, clock.now()
        )
        if user is None:
            form.code.errors.append(
                "That code does not work for this username: it may be mistyped, used "
                "already, replaced by a newer one or expired. Ask for a new code."
            )
            return render_template("auth/reset.html", form=form), 422
        db.session.commit()
        flash("Your password is set. Log in with it now.", "success")
        return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    return render_template("auth/reset.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        # Clear first: logout_user() leaves a note in the new session that makes Flask-Login
        # delete the "remember me" cookie; clearing after it would erase that note and the
        # cookie would sign the user straight back in.
        current_user.end_sessions()
        db.session.commit()
        session.clear()
        logout_user()
        flash("You have been logged out, here and on every other device.", "info")
    return redirect(url_for("main.home"))
