"""The teacher pages; importing the view modules registers their routes on `bp`."""

from quizzes.teach import class_views, set_views, transfer_views  # noqa: F401
from quizzes.teach.blueprint import bp

__all__ = ["bp"]
