"""The one media store: item images (question sets) and card images and sounds (decks).

`store.py` stores and finds files and decides who may see them; `routes.py` serves them
at /media/<sha256>.<ext>. Cleaning (what is accepted, re-encoding) is pure, in
quizzes/domain/media.py.
"""
