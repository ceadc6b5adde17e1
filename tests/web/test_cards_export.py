"""Export: an .apkg that Anki itself opens (imported with the `anki` package), and CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import anki.collection  # noqa: F401  (before anki.scheduler.v3, as anki requires)
import pytest
from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions
from sqlalchemy import select

from models import Card, User, db
from quizzes.cards.decks import anki_deck_id
from quizzes.transfer.anki import BASIC_MODEL_ID, CLOZE_MODEL_ID
from tests.web.cards_seed import seed_bank, seed_deck


@pytest.fixture
def learner(app, login_as):
    client = login_as("cy")
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.username == "cy"))
        set_id = seed_bank()
        deck_id = seed_deck(uid, cards=2, title="Geneva & me")
        cloze = Card(
            deck_id=deck_id,
            kind="cloze",
            front="The UPR met in {{2014}}.",
            back="Second cycle",
            source="UN",
            tags=["upr"],
            memory_key=None,
        )
        db.session.add(cloze)
        db.session.flush()
        cloze.memory_key = f"card:{cloze.id}"
        db.session.get(Card, 1).reversed = True
        db.session.commit()
    return client, set_id, deck_id


def import_into_anki(tmp_path, data: bytes, collection: Collection | None = None) -> Collection:
    package = tmp_path / "deck.apkg"
    package.write_bytes(data)
    col = collection or Collection(str(tmp_path / "collection.anki2"))
    col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
    )
    return col


def anki_cards(col: Collection) -> list[tuple[str, dict, list, str]]:
    rows = []
    for card_id in sorted(col.find_cards("")):
        card = col.get_card(card_id)
        note = card.note()
        rows.append(
            (
                note.note_type()["name"],
                dict(note.items()),
                sorted(note.tags),
                col.decks.name(card.did),
            )
        )
    return rows


def test_personal_deck_opens_in_anki_with_every_card_and_field(app, learner, tmp_path):
    client, _, deck_id = learner
    response = client.get(f"/cards/my-{deck_id}/export.apkg")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="Geneva-me.apkg"'
    col = import_into_anki(tmp_path, response.data)
    try:
        # A reversed card is one note of Anki's "Basic (and reversed card)" shape: two
        # cards of one note (issue 19; it was two Basic notes, front and back swapped).
        assert col.note_count() == 3
        assert anki_cards(col) == [
            (
                "Quizdeck Basic (and reversed card)",
                {"Front": "Front 1", "Back": "Back 1", "Extra": "", "Source": "My notes"},
                ["mine"],
                "Geneva & me",
            ),
            (
                "Quizdeck Basic (and reversed card)",
                {"Front": "Front 1", "Back": "Back 1", "Extra": "", "Source": "My notes"},
                ["mine"],
                "Geneva & me",
            ),
            (
                "Quizdeck Basic",
                {"Front": "Front 2", "Back": "Back 2", "Extra": "", "Source": "My notes"},
                ["mine"],
                "Geneva & me",
            ),
            (
                "Quizdeck Cloze",
                {
                    "Text": "The UPR met in {{c1::2014}}.",
                    "Back Extra": "Second cycle",
                    "Source": "UN",
                },
                ["upr"],
                "Geneva & me",
            ),
        ]
        models = {m["name"]: m for m in col.models.all()}
        assert models["Quizdeck Cloze"]["type"] == 1  # Anki's cloze note type
        assert models["Quizdeck Basic"]["type"] == 0
    finally:
        col.close()


def test_bank_deck_in_anki_keeps_answers_explanations_sources_and_topics(app, learner, tmp_path):
    client, set_id, _ = learner
    col = import_into_anki(tmp_path, client.get(f"/cards/set-{set_id}/export.apkg").data)
    try:
        cards = anki_cards(col)
        assert len(cards) == 7  # single, short, cloze, 2 matching pairs both ways
        single = next(c for c in cards if "Tae Yong-ho" in c[1].get("Front", ""))
        assert single[1] == {
            "Front": "Which post did Tae Yong-ho hold when he defected?",
            "Back": "Deputy ambassador in London",
            "Extra": "He was deputy ambassador in London.",
            "Source": "Korea Times, Cables (2024-11-05)",
        }
        assert single[2] == ["defections"] and single[3] == "UN human rights"
        cloze = next(c for c in cards if c[0] == "Quizdeck Cloze")
        assert cloze[1]["Text"] == "The commission of inquiry reported in {{c1::2014}}."
        pair = next(c for c in cards if c[1].get("Back") == "Counter-report")
        assert pair[1]["Front"] == (
            '<div class="context">Match each tactic to its aim</div>Discredit the COI'
        )
    finally:
        col.close()


def test_a_second_export_updates_the_same_notes_in_anki(app, learner, tmp_path, monkeypatch):
    client, _, deck_id = learner
    monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    col = import_into_anki(tmp_path, client.get(f"/cards/my-{deck_id}/export.apkg").data)
    try:
        with app.app_context():
            db.session.get(Card, 2).back = "Back 2, corrected"
            db.session.commit()
        next_day = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
        monkeypatch.setitem(app.config, "QUIZDECK_NOW", lambda: next_day)
        second = client.get(f"/cards/my-{deck_id}/export.apkg").data
        import_into_anki(tmp_path, second, col)
        cards = anki_cards(col)
        assert len(cards) == 4 and len(col.decks.all_names_and_ids()) == 2  # + Default
        assert any(c[1].get("Back") == "Back 2, corrected" for c in cards)
    finally:
        col.close()


def test_ids_are_fixed():
    assert anki_deck_id("my-12") == anki_deck_id("my-12") != anki_deck_id("my-13")
    assert 1_600_000_000_000 <= anki_deck_id("topic-upr") < 2_600_000_000_000
    assert (BASIC_MODEL_ID, CLOZE_MODEL_ID) == (1_738_405_201, 1_738_405_202)


def test_csv_export(app, learner):
    client, _, deck_id = learner
    with app.app_context():
        db.session.get(Card, 2).front = "=HYPERLINK(1)"
        db.session.commit()
    response = client.get(f"/cards/my-{deck_id}/export.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["id"] for r in rows] == ["card:1", "card:1:reversed", "card:2", "card:3"]
    assert rows[0] | {} == {
        "id": "card:1",
        "kind": "basic",
        "front": "Front 1",
        "back": "Back 1",
        "extra": "",
        "context": "",
        "sources": "My notes",
        "tags": "mine",
        "cloze": "",
    }
    assert rows[2]["front"] == "'=HYPERLINK(1)"  # not a formula in a spreadsheet
    assert rows[3]["cloze"] == "The UPR met in {{c1::2014}}." and rows[3]["kind"] == "cloze"


def test_a_set_and_a_deck_arrive_in_anki_with_one_pair_of_note_types(
    app, learner, login_as, tmp_path
):
    """Both exports go through one writer: one "Quizdeck Basic" and one "Quizdeck Cloze" in
    Anki, not a second pair beside the first (Anki renames a clash "Quizdeck Basic-1a2b3")."""
    from tests.web.teach_support import SAMPLE_ITEMS, make_set

    client, _, deck_id = learner
    teacher = login_as("teacher1", "teacher")
    set_id = make_set(app, "teacher1", items=[SAMPLE_ITEMS["single"], SAMPLE_ITEMS["cloze"]])
    col = import_into_anki(tmp_path, client.get(f"/cards/my-{deck_id}/export.apkg").data)
    try:
        deck_notes = col.note_count()
        set_export = teacher.get(f"/teach/sets/{set_id}/export/apkg")
        assert set_export.status_code == 200
        import_into_anki(tmp_path, set_export.data, col)
        assert col.note_count() == deck_notes + 2
        used = {col.get_note(note).note_type()["name"] for note in col.find_notes("")}
        # The deck's reversed card is a note of the third type (issue 19), none a clash copy.
        ours = ["Quizdeck Basic", "Quizdeck Basic (and reversed card)", "Quizdeck Cloze"]
        assert used == set(ours)
        assert (
            sorted(m["name"] for m in col.models.all() if m["name"].startswith("Quizdeck")) == ours
        )
    finally:
        col.close()
