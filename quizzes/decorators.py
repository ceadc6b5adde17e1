"""Role checks for views; object-level checks live in each feature's loaders."""

from functools import wraps

from flask import abort, current_app
from flask_login import current_user


def teacher_required(view):
    """Anonymous users go to the login page; students get 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_teacher:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """Anonymous users go to the login page; everyone but admins gets 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
