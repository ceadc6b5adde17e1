"""Quizdeck: the application package (domain code in quizzes.domain, one blueprint per feature)."""
