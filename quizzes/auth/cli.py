"""`flask users create NAME --role admin`: accounts made from the command line."""

import re

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from models import Role, User, db
from quizzes.auth.forms import USERNAME_RULE

users = AppGroup("users", help="Manage user accounts.")


@users.command("create")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
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
