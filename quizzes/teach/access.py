"""Who may open a teacher page: teachers only, and only their own sets and classes.

Someone else's set or class answers 404, the same as one that does not exist, so ids
cannot be probed.
"""

from __future__ import annotations

from models import Assignment, QuestionSet, SchoolClass
from quizzes.web.ownership import owned_or_404


def own_set_or_404(set_id: int) -> QuestionSet:
    return owned_or_404(QuestionSet, set_id, lambda question_set: question_set.owner_id)


def own_class_or_404(class_id: int) -> SchoolClass:
    return owned_or_404(SchoolClass, class_id, lambda school_class: school_class.teacher_id)


def own_assignment_or_404(assignment_id: int) -> Assignment:
    """An assignment belongs to the teacher of its class."""
    return owned_or_404(
        Assignment, assignment_id, lambda assignment: assignment.school_class.teacher_id
    )
