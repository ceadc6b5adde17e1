"""The set pages; importing the view modules registers their routes on the teachers' `bp`
(quizzes/web/teachers.py), which the class pages (quizzes/classes/teacher_views.py) join."""

from quizzes.teach import media_views, set_views, transfer_views  # noqa: F401
from quizzes.web.teachers import bp

__all__ = ["bp"]
