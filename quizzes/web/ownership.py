"""Rows that belong to someone: the signed-in user's own, or a 404.

Someone else's row answers 404, the same as one that does not exist, so ids cannot be
probed. Each kind of row says who owns it with `owner_of`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort
from flask_login import current_user

from models import db

Row = TypeVar("Row")


def owned_or_404(model: type[Row], ident: int, owner_of: Callable[[Row], int]) -> Row:
    """The `model` row with this id when the signed-in user owns it; else 404."""
    row = db.session.get(model, ident)
    if row is None or owner_of(row) != current_user.id:
        abort(404)
    return row
