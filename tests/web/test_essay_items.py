"""Essay items over HTTP: writing one in the editor, answering it in a quiz."""

from __future__ import annotations

import re

import pytest

from models import SetStatus
from tests.fixtures_items import start_quiz
from tests.web.teach_support import error_for, make_set, set_items, text_of


@pytest.fixture
def teacher(login_as):
    return login_as("teacher1", "teacher")


@pytest.fixture
def set_id(app, teacher):
    return make_set(app, "teacher1")


def post_essay(client, set_id, fields):
    data = {"prompt": "Why did the armistice not end the war?", "difficulty": "0.5"}
    data |= {"action": "save", "max_points": "1"} | fields  # as the new form is filled
    return client.post(f"/teach/sets/{set_id}/items/new/essay", data=data)


def test_an_essay_with_a_rubric_is_saved_as_typed(app, teacher, set_id):
    response = post_essay(
        teacher,
        set_id,
        {
            "word_limit": "200",
            "template": "Cause:\nEffect:",
            "grader_info": "Expect 1953.",
            "criteria-0-criterion": "Evidence",
            "criteria-0-levels": "None = 0; Some = 1; Well chosen = 2,5",
            "criteria-1-criterion": "Clarity",
            "criteria-1-levels": "Muddled = 0; Clear = 1",
        },
    )
    assert response.status_code == 302, text_of(response.data.decode())[:2000]
    [item] = set_items(app, set_id)
    assert item["type"] == "essay"
    assert item["data"] == {
        "word_limit": 200,
        "template": "Cause:\nEffect:",
        "grader_info": "Expect 1953.",
        "rubric": [
            {
                "criterion": "Evidence",
                "levels": [
                    {"text": "None", "points": 0},
                    {"text": "Some", "points": 1},
                    {"text": "Well chosen", "points": 2.5},
                ],
            },
            {
                "criterion": "Clarity",
                "levels": [{"text": "Muddled", "points": 0}, {"text": "Clear", "points": 1}],
            },
        ],
    }
    # The edit page shows the rubric again, one line of levels per criterion.
    [item_id] = [item_id for item_id in _ids(app, set_id)]
    page = teacher.get(f"/teach/sets/{set_id}/items/{item_id}").get_data(as_text=True)
    assert 'value="None = 0; Some = 1; Well chosen = 2.5"' in page


def _ids(app, set_id):
    from tests.web.teach_support import item_ids

    return item_ids(app, set_id)


def test_without_a_rubric_it_is_marked_out_of_max_points(app, teacher, set_id):
    response = post_essay(teacher, set_id, {"max_points": "10"})
    assert response.status_code == 302
    [item] = set_items(app, set_id)
    assert item["data"] == {"max_points": 10.0}


@pytest.mark.parametrize(
    ("fields", "element", "message"),
    [
        (
            {"criteria-0-criterion": "Evidence", "criteria-0-levels": "good"},
            "criteria-0-levels",
            "Write each level as description = points: 'good' is not.",
        ),
        (
            {"criteria-0-criterion": "Evidence", "criteria-0-levels": "Good = 1"},
            "criteria-0-levels",
            "Give at least two levels.",
        ),
        (
            {"criteria-0-levels": "Bad = 0; Good = 1"},
            "criteria-0-criterion",
            "Name this criterion, or remove it.",
        ),
        ({"word_limit": "0"}, "word_limit", "The word limit is a whole number from 1 to 3000."),
        ({"word_limit": "lots"}, "word_limit", "Not a valid integer value."),
        ({"max_points": ""}, "max_points", "Give the max points, or write a rubric."),
        (
            {"word_limit": "2", "template": "Cause: Effect: More:"},
            "template",
            "The response template is longer than the word limit.",
        ),
    ],
)
def test_mistakes_get_a_message_on_their_field_and_save_nothing(
    app, teacher, set_id, fields, element, message
):
    response = post_essay(teacher, set_id, fields)
    assert response.status_code == 200
    assert message in error_for(response.get_data(as_text=True), element)
    assert set_items(app, set_id) == []


def test_the_new_essay_page_offers_the_rubric_list_and_its_buttons(teacher, set_id):
    page = teacher.get(f"/teach/sets/{set_id}/items/new/essay").get_data(as_text=True)
    assert 'id="criteria-group"' in page and "Add criterion" in page
    added = teacher.post(
        f"/teach/sets/{set_id}/items/new/essay",
        data={"prompt": "Why?", "difficulty": "0.5", "action": "add:criteria"},
    ).get_data(as_text=True)
    assert 'id="criteria-0-criterion"' in added and 'for="criteria-0-levels"' in added


def published_essay_set(app, data=None):
    item = {
        "type": "essay",
        "prompt": "Why did the armistice not end the war?",
        "data": data if data is not None else {"word_limit": 5, "template": "Because"},
        "explanation": "No peace treaty was signed.",
        "sources": [],
        "topics": ["war"],
        "difficulty": 0.5,
    }
    return make_set(app, "teacher1", items=[item], status=SetStatus.PUBLISHED)


# -- answering an essay in a quiz ------------------------------------------------------------

FETCH = {"X-Requested-With": "fetch"}


def essay_and_true_false(app, essay_data):
    essay_item = {
        "type": "essay",
        "prompt": "Why did the armistice not end the war?",
        "data": essay_data,
        "explanation": "No peace treaty was signed.",
        "sources": [],
        "topics": ["war"],
        "difficulty": 0.5,
    }
    statement = {
        "type": "truefalse",
        "prompt": "The armistice was signed in 1953.",
        "data": {"answer": True},
        "explanation": "",
        "sources": [],
        "topics": ["war"],
        "difficulty": 0.5,
    }
    return make_set(app, None, items=[essay_item, statement], status=SetStatus.PUBLISHED)


def attempt_items(app, attempt_id):
    from models import Attempt, db

    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return attempt.score, [(i.snapshot["type"], i.response, i.score) for i in attempt.items]


def essay_position(app, attempt_id):
    return next(
        n for n, (kind, *_) in enumerate(attempt_items(app, attempt_id)[1], 1) if kind == "essay"
    )


@pytest.fixture
def essay_quiz(app, teacher, login_as):
    """A student's attempt on a set of an essay (limit 8 words, a template) and a statement."""
    set_id = essay_and_true_false(app, {"word_limit": 8, "template": "Because", "max_points": 4})
    student = login_as("student1")
    attempt_id = start_quiz(student, f"set:{set_id}", size=2)
    return student, attempt_id, essay_position(app, attempt_id)


def test_the_essay_box_starts_with_the_template_and_shows_the_limit(essay_quiz):
    student, attempt_id, position = essay_quiz
    page = student.get(f"/quiz/attempts/{attempt_id}/items/{position}").get_data(as_text=True)
    assert re.search(r'<textarea id="q\d+-answer" name="answer"[^>]*data-word-limit="8"', page)
    assert ">Because</textarea>" in page
    assert "1 words of at most 8." in text_of(page)


def test_an_essay_autosaves_and_comes_back_after_the_tab_is_closed(app, essay_quiz, login_as):
    student, attempt_id, position = essay_quiz
    url = f"/quiz/attempts/{attempt_id}/items/{position}"
    written = "Because no peace treaty\nwas ever signed."
    saved = student.post(url, data={"answer": written}, headers=FETCH).json
    assert (saved["status"], saved["message"], saved["answered"]) == ("saved", "", [position])
    # A new visit (the tab closed and opened again) shows the text as written.
    page = student.get(url).get_data(as_text=True)
    assert f">{written}</textarea>" in page
    assert "7 words of at most 8." in text_of(page)
    # Left as the template, it counts as not answered.
    cleared = student.post(url, data={"answer": "Because"}, headers=FETCH).json
    assert (cleared["status"], cleared["answered"]) == ("cleared", [])


def test_an_answer_over_the_word_limit_is_kept_and_the_student_told_to_shorten_it(app, essay_quiz):
    student, attempt_id, position = essay_quiz
    url = f"/quiz/attempts/{attempt_id}/items/{position}"
    long = "Because the two sides only agreed to stop fighting for now."
    saved = student.post(url, data={"answer": long}, headers=FETCH).json
    assert saved["status"] == "saved"
    assert saved["message"] == (
        f"Question {position} is saved, but it has 11 words and the limit is 8. Shorten it "
        "before you submit: your teacher sees that it is over the limit."
    )
    assert attempt_items(app, attempt_id)[1][position - 1][1] == long  # nothing lost
    page = student.get(url).get_data(as_text=True)
    assert "Over the limit: shorten it before you submit." in page
    student.post(f"/quiz/attempts/{attempt_id}/submit")
    result = text_of(student.get(f"/quiz/attempts/{attempt_id}/result").get_data(as_text=True))
    assert "Over the word limit: 11 words of at most 8." in result


def test_the_result_says_awaiting_grading_until_marked_then_the_score(app, essay_quiz):
    student, attempt_id, position = essay_quiz
    url = f"/quiz/attempts/{attempt_id}/items"
    student.post(f"{url}/{position}", data={"answer": "Because no treaty was signed."})
    student.post(f"{url}/{3 - position}", data={"answer": "true"})
    student.post(f"/quiz/attempts/{attempt_id}/submit")
    score, items = attempt_items(app, attempt_id)
    assert score is None  # no part score stands for the whole
    assert [s for kind, _, s in items if kind == "essay"] == [None]
    page = text_of(student.get(f"/quiz/attempts/{attempt_id}/result").get_data(as_text=True))
    assert "Marked so far: 1 of 1 · 1 of 2 marked, 1 awaiting grading · 1 right" in page
    assert "Awaiting grading" in page and "Wrong" not in page
    assert "How it is marked Marked by your teacher, out of 4" in page
    assert "Awaiting your teacher's mark." in page
    history = text_of(student.get("/quiz/history").get_data(as_text=True))
    assert "Awaiting grading" in history

    # A teacher's mark (the grading helper's pages call this) completes the score.
    from models import Attempt, db
    from quizzes.domain.itemtypes import essay
    from quizzes.quiz.answers import record_mark
    from tests.fixtures_items import Clock

    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        item = attempt.items[position - 1]
        credit = essay.manual_credit(item.snapshot["key"], points=3)
        record_mark(item, essay.marked_grade(credit, "Good."), Clock(attempt.started_at).now)
        db.session.commit()
    score, items = attempt_items(app, attempt_id)
    assert score == pytest.approx((1 + 0.75) / 2)
    page = text_of(student.get(f"/quiz/attempts/{attempt_id}/result").get_data(as_text=True))
    assert "Score: 1.8 of 2 (88%)" in page or "Score: 1.8 of 2" in page
    assert "Partly right (75%)" in page and "Awaiting grading" not in page


def test_a_blank_essay_scores_nothing_and_awaits_no_one(app, essay_quiz):
    student, attempt_id, position = essay_quiz
    student.post(f"/quiz/attempts/{attempt_id}/submit")
    score, items = attempt_items(app, attempt_id)
    assert score == 0.0
    page = text_of(student.get(f"/quiz/attempts/{attempt_id}/result").get_data(as_text=True))
    assert "awaiting grading" not in page.lower()


def test_the_teacher_s_preview_says_an_essay_awaits_grading(app, teacher, set_id):
    post_essay(teacher, set_id, {"max_points": "5"})
    [item_id] = _ids(app, set_id)
    url = f"/teach/sets/{set_id}/items/{item_id}/preview"
    page = teacher.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    data = {"seed": "1", "answer": "Because no treaty was signed."}
    if token:
        data["csrf_token"] = token.group(1)
    shown = text_of(teacher.post(url, data=data).get_data(as_text=True))
    assert "Awaiting grading: a teacher marks this answer" in shown
    assert "Not right" not in shown
    assert "Answer: Marked by your teacher, out of 5" in shown


def test_notes_for_markers_never_reach_the_student_s_export(app, teacher, login_as):
    set_id = essay_and_true_false(app, {"grader_info": "Secret: look for 1953."})
    student = login_as("student1")
    attempt_id = start_quiz(student, f"set:{set_id}", size=2)
    position = essay_position(app, attempt_id)
    student.post(f"/quiz/attempts/{attempt_id}/items/{position}", data={"answer": "Because."})
    student.post(f"/quiz/attempts/{attempt_id}/submit")
    export = student.get("/account/export.json").get_data(as_text=True)
    assert "Because." in export and "Marked by" not in export
    assert "look for 1953" not in export
    assert "look for 1953" not in student.get(f"/quiz/attempts/{attempt_id}/result").get_data(
        as_text=True
    )


def test_the_gradebook_and_item_analysis_wait_for_essay_marks(app, teacher, login_as):
    from models import User, db
    from quizzes.classes import services as class_services
    from tests.web.teach_support import user_id
    from tests.web.test_teach_assignments import NOW, assign, only_assignment

    app.config["QUIZDECK_NOW"] = lambda: NOW  # within the assignment's dates
    student = login_as("ana")
    essay_item = {
        "type": "essay",
        "prompt": "Why did the armistice not end the war?",
        "data": {},
        "explanation": "",
        "sources": [],
        "topics": ["war"],
        "difficulty": 0.5,
    }
    statement = essay_item | {
        "type": "truefalse",
        "prompt": "The armistice was signed in 1953.",
        "data": {"answer": True},
    }
    set_id = make_set(app, "teacher1", items=[essay_item, statement], status=SetStatus.PUBLISHED)
    with app.app_context():
        school_class = class_services.create_class(
            db.session.get(User, user_id(app, "teacher1")), "Year 10"
        )
        class_services.join_class(db.session.get(User, user_id(app, "ana")), school_class.join_code)
        db.session.commit()
        class_id = school_class.id
    assign(teacher, class_id, set_id)
    assignment = only_assignment(app)
    started = student.post(f"/classes/assignments/{assignment.id}/start")
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", started.headers["Location"]).group(1))
    position = essay_position(app, attempt_id)
    url = f"/quiz/attempts/{attempt_id}/items"
    student.post(f"{url}/{position}", data={"answer": "Because no treaty was signed."})
    student.post(f"{url}/{3 - position}", data={"answer": "true"})
    student.post(f"/quiz/attempts/{attempt_id}/submit")

    book = text_of(teacher.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True))
    assert "awaiting grading" in book
    analysis = teacher.get(f"/teach/assignments/{assignment.id}/analysis")
    assert analysis.status_code == 200
    sections = re.findall(
        r'<section class="card analysis-item".*?</section>', analysis.get_data(as_text=True), re.S
    )
    # An unmarked essay is analysed once marked; it counts as no 0 in the meantime.
    assert [text_of(section)[:38] for section in sections] == [
        "1. The armistice was signed in 1953. T"
    ]
