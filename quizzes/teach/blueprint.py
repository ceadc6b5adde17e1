"""The `teach` blueprint: every page behind it is for teachers only."""

from flask import Blueprint, abort
from flask_login import current_user

from quizzes.extensions import login_manager

bp = Blueprint("teach", __name__, url_prefix="/teach")


@bp.before_request
def teachers_only():
    # One guard for the whole blueprint, so no page can forget it.
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_teacher:
        abort(403)
    return None
