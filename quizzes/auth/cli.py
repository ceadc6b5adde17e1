"""`flask users create NAME --role admin`: accounts made from the command line."""

import re

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from models import Role, User, db
from quizzes.auth import reset, signup
from quizzes.auth.forms import USERNAME_RULE
from quizzes.web import clock

users = AppGroup("users", help="Manage user accounts.")


@users.command("create")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role if r is not Role.PENDING_TEACHER]),
    default=Role.STUDENT.value,
    show_default=True,
)
@click.password_option(help="Asked for when not given.")
def create(username: str, role: str, password: str) -> None:
    """Create an account (asks for the password twice)."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise click.ClickException(f"The password needs at least {minimum} characters.")
    if not 3 <= len(username) <= 40 or not re.fullmatch(USERNAME_RULE.regex, username):
        raise click.ClickException(f"{USERNAME_RULE.message} A username has 3 to 40 characters.")
    if db.session.scalar(select(User.id).where(db.func.lower(User.username) == username.lower())):
        raise click.ClickException(f"A user called {username!r} already exists.")
    user = User(username=username, role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {role} {username!r}.")


def _user_named(username: str) -> User:
    user = db.session.scalar(select(User).where(db.func.lower(User.username) == username.lower()))
    if user is None:
        raise click.ClickException(f"No user is called {username!r}.")
    return user


@users.command("pending")
def pending() -> None:
    """List the accounts waiting to be approved as teachers (TEACHER_SIGNUP=approval)."""
    query = select(User).where(User.role == Role.PENDING_TEACHER).order_by(User.created_at)
    waiting = list(db.session.scalars(query))
    for user in waiting:
        click.echo(f"{user.username}\tsigned up {user.created_at:%Y-%m-%d %H:%M} UTC")
    if not waiting:
        click.echo("No account is waiting for approval.")


@users.command("approve")
@click.argument("username")
def approve(username: str) -> None:
    """Make an account that asked to be a teacher one."""
    user = _user_named(username)
    if not user.awaits_approval:
        raise click.ClickException(f"{user.username!r} is not waiting for approval.")
    user.role = Role.TEACHER
    db.session.commit()
    click.echo(f"{user.username!r} is a teacher now.")


@users.command("invite")
@click.argument("username")
def invite(username: str) -> None:
    """Print an invitation code that lets USERNAME sign up as a teacher
    (TEACHER_SIGNUP=invitation; valid for TEACHER_INVITATION_DAYS)."""
    if not 3 <= len(username) <= 40 or not re.fullmatch(USERNAME_RULE.regex, username):
        raise click.ClickException(f"{USERNAME_RULE.message} A username has 3 to 40 characters.")
    config = current_app.config
    click.echo(signup.invitation_code(config["SECRET_KEY"], username))
    click.echo(
        f"Valid for {config['TEACHER_INVITATION_DAYS']} days, for the username {username!r} only.",
        err=True,
    )


@users.command("reset")
@click.argument("username")
def reset_code(username: str) -> None:
    """Print a one-time code with which USERNAME sets a new password at /auth/reset
    (valid for RESET_CODE_HOURS; a newer code replaces it)."""
    user = _user_named(username)
    hours = current_app.config["RESET_CODE_HOURS"]
    code = reset.give_code(user, None, clock.now(), hours)
    db.session.commit()
    click.echo(code)
    click.echo(f"Works once, for {user.username!r}, for {hours} hours, at /auth/reset.", err=True)
