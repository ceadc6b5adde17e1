"""models.by_id: session.get() with a statement built once per model."""

from models import Deck, StudyPreferences, by_id, db


def test_by_id_finds_the_row_get_finds_and_none_for_a_missing_key(app, create_user):
    uid = create_user("owner")
    with app.app_context():
        deck = Deck(owner_id=uid, title="Verbs", description="")
        db.session.add(deck)
        db.session.add(StudyPreferences(user_id=uid, settings={}))  # keyed by user_id
        db.session.commit()
        deck_id = deck.id
        db.session.remove()

        found = by_id(Deck, deck_id)
        assert found is db.session.get(Deck, deck_id)  # the same object of the session
        assert (found.title, found.owner_id) == ("Verbs", uid)
        assert by_id(StudyPreferences, uid).user_id == uid
        assert by_id(Deck, deck_id + 1) is None
        assert by_id(StudyPreferences, uid + 1) is None
