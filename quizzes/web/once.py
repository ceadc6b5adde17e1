"""Forms that create something count once.

A creation form carries a one-time token (OnceField, made when the form is shown). The
view claims it just before it creates anything, in the same transaction:

    if form.validate_on_submit():
        sent = once.claim(form.once.data)
        if sent.earlier:
            return once.already_sent(sent, fallback=url_for("teach.sets"))
        question_set = services.create_set(...)
        sent.made(url_for("teach.set_detail", set_id=question_set.id))
        db.session.commit()

The claim is an INSERT under a unique (user, token) key. Of two requests sending the same
form (a double click, a request retried after a lost response), the second waits for the
first to commit (SQLite's single writer, PostgreSQL's unique index), finds the token
taken, and is shown what the first one made. A form sent without a token (an older page,
a script) is not guarded. Showing the form again gives a new token: a second deliberate
submission creates a second thing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import flash, redirect
from flask_login import current_user
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from models import FormSubmission, db, utcnow

# A retry comes within minutes; older tokens only take room.
KEPT_FOR = timedelta(days=30)
MAX_TOKEN = 64  # form_submissions.token


class OnceField(HiddenField):
    """A creation form's one-time token (see the module's notes): a new one each time the
    form is shown; None when a submitted form has none, or one no page of ours made."""

    def __init__(self, **kwargs) -> None:
        super().__init__(default=lambda: secrets.token_urlsafe(16), **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        # Never the default: a token made now would guard nothing and fill the table. A
        # token too long to store is ignored rather than failing a field nobody can see.
        token = valuelist[0] if valuelist else None
        self.data = token if token and len(token) <= MAX_TOKEN else None


@dataclass
class Claim:
    row: FormSubmission | None
    earlier: bool = False
    earlier_url: str = ""

    def made(self, url: str) -> str:
        """Remember the page of what this submission made, for a repeat to be sent to;
        returns `url` (where this submission goes too)."""
        if self.row is not None:
            self.row.result_url = url
        return url


def claim(token: str | None) -> Claim:
    """Take this form's token for the current user (flushes). `earlier` is True when the
    same form was sent before: then nothing may be created, and the transaction has been
    rolled back."""
    if not token:
        return Claim(None)  # no token: not guarded
    user_id = current_user.id
    row = FormSubmission(user_id=user_id, token=token)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        url = db.session.scalar(
            select(FormSubmission.result_url).where(
                FormSubmission.user_id == user_id, FormSubmission.token == token
            )
        )
        return Claim(None, earlier=True, earlier_url=url or "")
    db.session.execute(
        delete(FormSubmission).where(
            FormSubmission.user_id == user_id, FormSubmission.created_at < utcnow() - KEPT_FOR
        )
    )
    return Claim(row)


def already_sent(sent: Claim, fallback: str):
    flash("That form was sent twice and counted once: here is what it made.", "info")
    return redirect(sent.earlier_url or fallback)
