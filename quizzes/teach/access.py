"""Who may open a teacher page: teachers only, and only their own sets and classes.

Someone else's set or class answers 404, the same as one that does not exist, so ids
cannot be probed.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from models import QuestionSet, SchoolClass, db


def own_set_or_404(set_id: int) -> QuestionSet:
    question_set = db.session.get(QuestionSet, set_id)
    if question_set is None or question_set.owner_id != current_user.id:
        abort(404)
    return question_set


def own_class_or_404(class_id: int) -> SchoolClass:
    school_class = db.session.get(SchoolClass, class_id)
    if school_class is None or school_class.teacher_id != current_user.id:
        abort(404)
    return school_class
