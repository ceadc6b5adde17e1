"""The teachers' area: one blueprint, `teach` (URL /teach), for every teacher page. The set
pages (quizzes/teach) and the class pages (quizzes/classes/teacher_views.py) register on it,
so their URLs and endpoint names stay `teach.*`; its guard admits teachers only."""

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
