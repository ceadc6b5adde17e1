"""Review options against every route that can show an answer: for each category (score,
right answers, explanations, per-option feedback) and each timing, the quiz pages, the
history, the class list and the account export hold it back until its time, then show it.

"After the due date" waits for the last due date in the class: ben's extension keeps
ana's answers hidden after the class's own due date."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from models import Assignment, db
from quizzes.domain.review import ReviewTiming
from tests.web.release_support import EXPLANATION, NOW, OPTION_FEEDBACK, build_school
from tests.web.teach_support import error_for, text_of, user_id

CATEGORIES = ("score", "answers", "explanations", "feedback")
CLASS_DUE = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
BENS_DUE = datetime(2026, 3, 12, 17, 0, tzinfo=UTC)
VERDICT = "✓</span> Right"  # the verdict badge of a right answer

# The moments checked, in order; the teacher presses "Release now" just before the last.
IN_PROGRESS, SUBMITTED, PAST_CLASS_DUE, PAST_BENS_DUE, RELEASED = range(5)
SHOWN_FROM = {
    ReviewTiming.ANSWERED: SUBMITTED,  # answers at the end: graded on submit
    ReviewTiming.SUBMITTED: SUBMITTED,
    ReviewTiming.AFTER_DUE: PAST_BENS_DUE,
    ReviewTiming.RELEASED: RELEASED,
    ReviewTiming.NEVER: None,
}


@pytest.fixture
def school(app, login_as):
    return build_school(app, login_as)


def _export(client) -> tuple[dict, str]:
    response = client.get("/account/export.json")
    assert response.status_code == 200
    return response.get_json(), response.get_data(as_text=True)


def what_ana_sees(school, attempt_id: int, submitted: bool) -> dict[str, dict[str, bool]]:
    """Per category, per route: whether it shows to ana now."""
    ana = school.students["ana"]
    if submitted:
        pages = {"result page": ana.get(f"/quiz/attempts/{attempt_id}/result")}
    else:
        pages = {
            "item page 1": ana.get(f"/quiz/attempts/{attempt_id}/items/1"),
            "item page 2": ana.get(f"/quiz/attempts/{attempt_id}/items/2"),
            "review page": ana.get(f"/quiz/attempts/{attempt_id}/review"),
        }
    html = {route: page.get_data(as_text=True) for route, page in pages.items()}
    assert all(page.status_code == 200 for page in pages.values())
    history = text_of(ana.get("/quiz/history").get_data(as_text=True))
    classes = text_of(ana.get("/classes/").get_data(as_text=True))
    progress = ana.get("/progress/").get_data(as_text=True)
    data, body = _export(ana)
    (attempt,) = data["attempts"]
    snapshots = [item["snapshot"] for item in attempt["items"]]
    (given,) = data["classes_joined"][0]["assignments"]
    seen = {
        "score": {
            **{route: 'class="score"' in page or VERDICT in page for route, page in html.items()},
            "history": "100%" in history,
            "classes page": "best 100%" in classes,
            "progress trend": f"/quiz/attempts/{attempt_id}/result" in progress,
            "export attempt": attempt["score"] is not None,
            "export items": any("score" in item or "correct" in item for item in attempt["items"]),
            "export class": given["your_best_score"] is not None,
        },
        "answers": {
            **{route: "<dt>Right answer</dt>" in page for route, page in html.items()},
            "export": any("key" in snap for snap in snapshots),
        },
        "explanations": {
            **{route: EXPLANATION in page for route, page in html.items()},
            "export": any("explanation" in snap or "sources" in snap for snap in snapshots),
        },
        "feedback": {
            **{route: OPTION_FEEDBACK in page for route, page in html.items()},
            "export": OPTION_FEEDBACK in body,
        },
    }
    return seen


@pytest.mark.parametrize("timing", list(ReviewTiming), ids=lambda t: t.value)
@pytest.mark.parametrize("category", CATEGORIES)
def test_each_review_option_on_every_route(app, school, category, timing):
    options = {f"review_{name}": "never" for name in CATEGORIES}
    options[f"review_{category}"] = timing.value
    assert school.assign(**options).status_code == 302
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    given = school.teacher.post(
        f"/teach/assignments/{assignment_id}/extensions",
        data={"student_id": user_id(app, "ben"), "due_at": "2026-03-12T17:00"},
    )
    assert given.status_code == 302

    attempt_id = school.start("ana", assignment_id)
    school.answer_right("ana", attempt_id)
    moments = {IN_PROGRESS: NOW}
    observed = {IN_PROGRESS: what_ana_sees(school, attempt_id, submitted=False)}
    school.submit("ana", attempt_id)
    for moment, when in (
        (SUBMITTED, NOW),
        (PAST_CLASS_DUE, CLASS_DUE.replace(day=10)),
        (PAST_BENS_DUE, BENS_DUE.replace(day=13)),
    ):
        school.clock["now"] = moments[moment] = when
        observed[moment] = what_ana_sees(school, attempt_id, submitted=True)
    released = school.teacher.post(f"/teach/assignments/{assignment_id}/release")
    assert released.status_code == 302
    observed[RELEASED] = what_ana_sees(school, attempt_id, submitted=True)

    shown_from = SHOWN_FROM[timing]
    for moment, seen in observed.items():
        expected = shown_from is not None and moment >= shown_from
        assert seen[category] == dict.fromkeys(seen[category], expected), (moment, seen)
        for other in CATEGORIES:  # held "never": no route shows it, whatever the moment
            if other != category:
                assert not any(seen[other].values()), (moment, other, seen[other])


def test_a_held_back_result_says_what_waits_and_until_when(app, school):
    school.assign(review_score="after_due", review_answers="released", review_feedback="never")
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    attempt_id = school.start("ana", assignment_id)
    school.answer_right("ana", attempt_id)
    school.submit("ana", attempt_id)
    page = text_of(school.students["ana"].get(f"/quiz/attempts/{attempt_id}/result").text)
    assert "Score:" not in page and "Not shown yet" not in page
    assert "Your score: shown after the due date, 9 Mar 2026, 17:00 UTC" in page
    assert "The right answers: shown when your teacher releases them." in page
    assert "The feedback on your choices: not shown for this assignment." in page
    assert EXPLANATION in page  # explanations: right after each answer
    history = text_of(school.students["ana"].get("/quiz/history").text)
    assert "Not shown yet" in history
    classes = text_of(school.students["ana"].get("/classes/").text)
    assert "score not shown yet" in classes


def test_check_answer_with_answers_held_shows_the_verdict_only(app, school):
    school.assign(feedback_mode="immediate", review_answers="after_due")
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    attempt_id = school.start("ana", assignment_id)
    school.answer_right("ana", attempt_id, check=True)
    page = school.students["ana"].get(f"/quiz/attempts/{attempt_id}/items/1").text
    assert VERDICT in page and "disabled" in page  # checked: locked, verdict shown
    assert "<dt>Right answer</dt>" not in page
    assert EXPLANATION in page or "It rejected many." in page


def test_review_options_that_cannot_work_are_refused(app, school):
    page = school.assign(due_at="", review_answers="after_due").text
    assert error_for(page, "review_score") == (
        "Error: “After the due date” needs a due date: give one, or choose another time to "
        "show them."
    )
    page = school.assign(feedback_mode="immediate", review_score="submitted").text
    assert "“Check answer” after each question shows whether the answer was right" in page
    page = school.assign(review_score="tomorrow").text
    assert error_for(page, "review_score") == "Error: Not a valid choice."
    with app.app_context():
        assert db.session.scalar(select(Assignment)) is None


def test_existing_and_self_study_quizzes_keep_showing_everything_once_graded(app, school):
    """The defaults: an assignment made without the options shows as before."""
    school.assign()
    with app.app_context():
        assignment = db.session.scalar(select(Assignment))
        assert assignment.review_options.timings() == (ReviewTiming.ANSWERED,) * 4
        assignment_id = assignment.id
    attempt_id = school.start("ana", assignment_id)
    school.answer_right("ana", attempt_id)
    school.submit("ana", attempt_id)
    page = school.students["ana"].get(f"/quiz/attempts/{attempt_id}/result").text
    assert 'class="score"' in page and "<dt>Right answer</dt>" in page and EXPLANATION in page
    data, body = _export(school.students["ana"])
    assert data["attempts"][0]["score"] == 1.0 and OPTION_FEEDBACK in body
    assert json.dumps(data)  # the export stays plain JSON


def test_an_attempt_open_when_the_teacher_holds_scores_shows_no_verdict(app, school):
    """ "Check answer" started with scores shown; the teacher then holds them: the checked
    item stays final but shows no verdict, and the question list no right or wrong."""
    school.assign(feedback_mode="immediate")
    with app.app_context():
        assignment_id = db.session.scalar(select(Assignment.id))
    attempt_id = school.start("ana", assignment_id)
    school.answer_right("ana", attempt_id, check=True)
    page = school.students["ana"].get(f"/quiz/attempts/{attempt_id}/items/1").text
    assert VERDICT in page and ", right</span>" in page  # the question list says it too
    edit = school.teacher.get(f"/teach/assignments/{assignment_id}/edit")
    assert edit.status_code == 200
    form = {
        "opens_at": "2026-03-02T08:00",
        "due_at": "2026-03-09T17:00",
        "feedback_mode": "end",
        "grade_method": "best",
        "review_score": "after_due",
        "review_answers": "after_due",
        "review_explanations": "after_due",
        "review_feedback": "after_due",
    }
    assert (
        school.teacher.post(f"/teach/assignments/{assignment_id}/edit", data=form).status_code
        == 302
    )
    page = school.students["ana"].get(f"/quiz/attempts/{attempt_id}/items/1").text
    assert VERDICT not in page and "<dt>Right answer</dt>" not in page
    assert "your answer is final" in page and "disabled" in page
    assert ", right</span>" not in page and ", answered</span>" in page
    resaved = school.students["ana"].post(
        f"/quiz/attempts/{attempt_id}/items/1",
        data={"answer": "0"},
        headers={"X-Requested-With": "fetch"},
    )
    assert "right" not in str(resaved.get_json().get("marks", {}))
