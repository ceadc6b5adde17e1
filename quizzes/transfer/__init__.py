"""Question sets and flashcard decks to and from files: the set formats (sets.py: GIFT,
Aiken, CSV, JSON through quizzes.domain.interop, and Anki), a deck's CSV (decks.py), and the
one Anki writer with the one pair of note types (anki.py). The import and export pages stay
with their features (teach/transfer_views.py, cards/import_views.py, cards/routes.py)."""
