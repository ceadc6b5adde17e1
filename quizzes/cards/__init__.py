"""Flashcards: decks, study sessions on the shared FSRS memory, statistics, Anki export."""
