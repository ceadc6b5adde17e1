"""Anki packages made to tie up a worker (issue 15, finding 2) are refused with a message,
before the work: views, triggers, computed columns and unknown tables in the collection,
too many or too large notes, zip members packed like a bomb, too many members; SQLite is
stopped by its step cap or the deadline. Real Anki and genanki packages still import."""

from __future__ import annotations

import io
import sqlite3
import zipfile

import anki.collection  # noqa: F401  (before other anki modules, as anki requires)
import genanki
import pytest
import zstandard
from anki.collection import Collection, DeckIdLimit
from anki.import_export_pb2 import ExportAnkiPackageOptions

from quizzes.domain import limits
from quizzes.domain.interop.cards import read_card_file

MODELS = '{"1": {"type": 0, "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}]}}'
COL = (
    "CREATE TABLE col (id integer primary key, models text not null); "
    f"INSERT INTO col VALUES (1, '{MODELS}');"
)
NOTES = "CREATE TABLE notes (id integer primary key, mid integer, flds text, tags text);"
# The attacks: `notes` as a recursive query that never ends, and as 2,500 rows of
# 100 KB each made from a few hundred bytes.
ENDLESS_VIEW = (
    "CREATE VIEW notes AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
    "SELECT n AS id, 1 AS mid, 'a' || char(31) || 'b' AS flds, '' AS tags FROM r;"
)
HEAVY_VIEW = (
    "CREATE VIEW notes AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
    "WHERE n < 2500) SELECT n AS id, 1 AS mid, printf('%.*c', 100000, 'x') || char(31) || 'b' "
    "AS flds, '' AS tags FROM r;"
)


def collection(tmp_path, script: str) -> bytes:
    path = tmp_path / "collection.anki2"
    connection = sqlite3.connect(path)
    connection.executescript(script)
    connection.commit()
    connection.close()
    return path.read_bytes()


def package(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def errors_of(data: bytes, deadline: limits.Deadline | None = None) -> list[str]:
    result = read_card_file("deck.apkg", data, deadline)
    assert result.cards == [] or result.errors
    return [str(problem) for problem in result.errors]


def notes_script(rows: list[tuple[str, str]]) -> str:
    values = ", ".join(
        f"({n}, 1, '{front}' || char(31) || '{back}', '')"
        for n, (front, back) in enumerate(rows, 1)
    )
    return f"{COL} {NOTES} INSERT INTO notes VALUES {values};"


def test_a_plain_collection_made_here_imports(tmp_path):
    data = package({"collection.anki2": collection(tmp_path, notes_script([("Front", "Back")]))})
    result = read_card_file("deck.apkg", data)
    assert result.ok and [(c.front, c.back) for c in result.cards] == [("Front", "Back")]


@pytest.mark.parametrize(
    ("script", "message"),
    [
        (COL + ENDLESS_VIEW, "holds a view “notes”, which Anki collections never do"),
        (COL + HEAVY_VIEW, "holds a view “notes”, which Anki collections never do"),
        (
            COL + NOTES + "CREATE TRIGGER t AFTER INSERT ON notes BEGIN SELECT 1; END;",
            "holds a trigger “t”",
        ),
        (COL + NOTES + "CREATE TABLE payload (x);", "holds a table “payload”"),
        (
            COL + "CREATE TABLE notes (id integer primary key, mid integer, tags text, flds text "
            "GENERATED ALWAYS AS (printf('%.*c', 100000, 'x')) VIRTUAL); "
            "INSERT INTO notes (id, mid, tags) VALUES (1, 1, '');",
            "table “notes” computes its columns",
        ),
        (NOTES, "has no “col” table"),
        (COL + "CREATE VIRTUAL TABLE notes USING fts5(flds);", "holds a virtual table “notes”"),
    ],
    ids=[
        "endless-view",
        "heavy-view",
        "trigger",
        "unknown-table",
        "generated-column",
        "no-col",
        "virtual-table",
    ],
)
def test_a_collection_holding_what_anki_never_writes_is_refused(tmp_path, script, message):
    data = package({"collection.anki2": collection(tmp_path, script)})
    assert len(data) < 2000  # a tiny upload
    [error] = errors_of(data)
    assert message in error


def test_more_notes_than_one_import_takes_are_counted_in_sql_and_refused(tmp_path):
    data = package({"collection.anki2": collection(tmp_path, notes_script([("F", "B")] * 2500))})
    assert errors_of(data) == [
        "the file holds more than 2,000 notes; Quizdeck imports at most 2,000 cards at once. "
        "Split the deck and import the parts one by one"
    ]


def test_a_note_larger_than_any_card_is_refused_before_it_is_read(tmp_path):
    script = f"{COL} {NOTES} INSERT INTO notes VALUES (1, 1, printf('%.*c', 300000, 'x'), '');"
    [error] = errors_of(package({"collection.anki2": collection(tmp_path, script)}))
    assert error.startswith("A note of this collection holds 300,000 bytes; Quizdeck reads notes")


def test_sqlite_stops_at_its_step_cap(tmp_path, monkeypatch):
    data = package({"collection.anki2": collection(tmp_path, notes_script([("F", "B")] * 50))})
    assert read_card_file("deck.apkg", data).ok
    monkeypatch.setattr(limits, "SQLITE_STEPS_PER_CHECK", 10)
    monkeypatch.setattr(limits, "SQLITE_STEPS", 100)
    [error] = errors_of(data)
    assert error.startswith("Reading this Anki collection takes more work than Quizdeck spends")


def test_reading_stops_at_the_deadline(tmp_path):
    data = package({"collection.anki2": collection(tmp_path, notes_script([("F", "B")]))})
    passed = limits.Deadline(clock=lambda: 100.0, at=50.0)
    [error] = errors_of(data, passed)
    assert "takes more work than Quizdeck spends on one upload" in error
    ahead = limits.Deadline(clock=lambda: 0.0, at=50.0)
    assert read_card_file("deck.apkg", data, ahead).ok


def test_a_member_packed_like_a_bomb_is_refused_before_it_is_unpacked():
    zeros = package({"collection.anki2": b"\x00" * (5 * 1024 * 1024)})
    assert len(zeros) < 10_000  # 5 MB in a few KB: no Anki collection packs like that
    [error] = errors_of(zeros)
    assert error.startswith("This package is packed far tighter than any Anki export")


def test_a_zstd_collection_packed_like_a_bomb_stops_while_it_is_decompressed():
    bomb = zstandard.ZstdCompressor().compress(b"\x00" * (limits.COLLECTION_BYTES + 1))
    assert len(bomb) < 10_000
    data = package({"collection.anki21b": bomb, "collection.anki2": b"stub"})
    [error] = errors_of(data)
    assert error.startswith("This package is packed far tighter than any Anki export")


def test_a_package_of_too_many_files_is_refused(tmp_path):
    files = {"collection.anki2": collection(tmp_path, notes_script([("F", "B")]))}
    files |= {str(n): b"" for n in range(limits.ZIP_ENTRIES)}
    [error] = errors_of(package(files))
    assert error == (
        "This package holds 10,001 files; an Anki package Quizdeck reads holds at most "
        "10,000. Export the deck without its media."
    )


def test_real_packages_from_anki_and_genanki_pass_the_schema_check(tmp_path):
    col = Collection(str(tmp_path / "real.anki2"))
    try:
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "Pyongyang", "Capital"
        col.add_note(note, 1)
        for legacy in (False, True):
            path = tmp_path / f"real-{legacy}.apkg"
            col.export_anki_package(
                out_path=str(path),
                options=ExportAnkiPackageOptions(
                    with_scheduling=True, with_media=False, legacy=legacy
                ),
                limit=DeckIdLimit(1),
            )
            result = read_card_file("real.apkg", path.read_bytes())
            assert result.ok, result.errors
            assert [(c.front, c.back) for c in result.cards] == [("Pyongyang", "Capital")]
    finally:
        col.close()
    deck = genanki.Deck(1, "d")
    deck.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=["Seoul", "Capital"]))
    genanki.Package(deck).write_to_file(str(tmp_path / "g.apkg"))
    result = read_card_file("g.apkg", (tmp_path / "g.apkg").read_bytes())
    assert result.ok and [(c.front, c.back) for c in result.cards] == [("Seoul", "Capital")]


def test_a_schema_of_hundreds_of_entries_is_refused(tmp_path):
    indexes = " ".join(f"CREATE INDEX ix_{n} ON notes (mid);" for n in range(250))
    script = notes_script([("F", "B")]) + indexes
    [error] = errors_of(package({"collection.anki2": collection(tmp_path, script)}))
    assert error.startswith("This Anki collection's schema has 252 entries; Anki's has about 30")
