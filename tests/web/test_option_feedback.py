"""The feedback a teacher writes per option ("Feedback if option N is chosen", GIFT's
`~answer#feedback`) is shown with the result of the option chosen, and in the teacher's
preview; never before the item may reveal its key (issue 18)."""

from __future__ import annotations

from sqlalchemy import select

from models import Item, db
from quizzes.domain.itemtypes import chosen_feedback
from tests.fixtures_items import snapshots, start_quiz

SINGLE_WHY = "He was number two at the embassy."
MULTI_WHY = "It rejected most of them."


def _position(app, attempt_id: int, item_type: str) -> tuple[int, dict]:
    shown = snapshots(app, attempt_id)
    return next((i, s) for i, s in enumerate(shown, 1) if s["type"] == item_type)


def _option_index(snapshot: dict, text: str) -> str:
    return str(snapshot["view"]["options"].index(text))


def test_domain_gives_the_feedback_of_each_chosen_option():
    view = {"options": ["A", "B", "C"]}
    assert chosen_feedback("single", view, {"why": ["", "Because B.", ""]}, 1) == (
        ("B", "Because B."),
    )
    assert chosen_feedback("single", view, {"why": ["", "Because B.", ""]}, 0) == ()
    assert chosen_feedback("multi", view, {"why": ["a!", "", "c!"]}, [0, 1, 2]) == (
        ("A", "a!"),
        ("C", "c!"),
    )
    # Odd responses and types without options give nothing, never an error.
    assert chosen_feedback("single", view, {"why": ["x"]}, 7) == ()
    assert chosen_feedback("multi", view, {"why": []}, "junk") == ()
    assert chosen_feedback("short", {}, {}, "Geneva") == ()


def test_result_shows_the_feedback_of_the_chosen_option_only_after_checking(app, bank, login_as):
    student = login_as("student1")
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    position, snapshot = _position(app, attempt_id, "single")
    url = f"/quiz/attempts/{attempt_id}/items/{position}"
    right = _option_index(snapshot, "Deputy ambassador in London")
    student.post(url, data={"answer": [right]})  # saved, not checked
    assert SINGLE_WHY not in student.get(url).data.decode()
    student.post(url, data={"answer": [right], "check": "1"})
    page = student.get(url).data.decode()
    assert "On your choice" in page and SINGLE_WHY in page


def test_end_of_quiz_result_lists_feedback_of_ticked_options(app, bank, login_as):
    student = login_as("student1")
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="end")
    position, snapshot = _position(app, attempt_id, "multi")
    ticked = [
        _option_index(snapshot, "Lobbying friendly states"),
        _option_index(snapshot, "Accepting every recommendation"),
    ]
    student.post(f"/quiz/attempts/{attempt_id}/items/{position}", data={"answer": ticked})
    assert MULTI_WHY not in student.get(f"/quiz/attempts/{attempt_id}/review").data.decode()
    student.post(f"/quiz/attempts/{attempt_id}/submit")
    result = student.get(f"/quiz/attempts/{attempt_id}/result").data.decode()
    assert "Accepting every recommendation</span>: <p>It rejected most of them.</p>" in result


def test_teacher_preview_shows_the_feedback_of_the_tried_option(app, login_as):
    from tests.web.teach_support import SAMPLE_ITEMS, make_set

    teacher = login_as("teacher1", "teacher")
    set_id = make_set(app, "teacher1", items=[SAMPLE_ITEMS["single"]])
    with app.app_context():
        item_id = db.session.scalar(select(Item.id).where(Item.set_id == set_id))
    url = f"/teach/sets/{set_id}/items/{item_id}/preview"
    seed = 12345
    from random import Random

    from quizzes.domain.itemtypes import REGISTRY

    view, _ = REGISTRY["single"].present(SAMPLE_ITEMS["single"]["data"], Random(seed))
    chosen = view["options"].index("Deputy ambassador in London")
    page = teacher.post(url, data={"seed": str(seed), "answer": [str(chosen)]}).data.decode()
    assert "On your choice" in page and "Yes, 2016." in page
    wrong = view["options"].index("Ambassador in Rome")
    page = teacher.post(url, data={"seed": str(seed), "answer": [str(wrong)]}).data.decode()
    assert "Yes, 2016." not in page  # that option has no feedback of its own
