"""`flask bank grade ITEM_ID "answer"`: how an answer is graded, for teachers and reviewers."""

import json

import pytest
from sqlalchemy import select

from models import Item, db

SEAT = "tpl.event.seat.short:defection.tae.gangnam"
RI = "tpl.defection.person.short:defection.ri"


@pytest.fixture
def bank(app, runner):
    assert runner.invoke(args=["bank", "build", "--quiet"]).exit_code == 0
    return runner


def graded(runner, *args):
    result = runner.invoke(args=["bank", "grade", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_near_miss_is_wrong_and_says_so(bank):
    result = graded(bank, SEAT, "Gangnam B")
    assert result["fraction"] == 0.0 and result["correct"] is False
    assert result["typo_forgiven"] is False and result["variant_accepted"] is False
    assert result["accepted"] == "Gangnam A"


def test_a_variant_spelling_is_right_with_its_note(bank):
    result = graded(bank, RI, "Lee Il-gyu")
    assert result["fraction"] == 1.0 and result["variant_accepted"] is True
    assert result["notes"] == [
        "Accepted as another spelling of Ri Il-gyu (리일규); this course writes Ri Il-gyu."
    ]


def test_the_item_number_works_too_and_the_text_form_is_readable(app, bank):
    with app.app_context():
        number = db.session.scalar(select(Item.id).where(Item.key == SEAT))
    result = bank.invoke(args=["bank", "grade", str(number), "Gangnam  a"])
    assert result.exit_code == 0, result.output
    assert "Fraction: 1 (right)" in result.output
    assert "Typo forgiven: no" in result.output
    typo = bank.invoke(args=["bank", "grade", str(number), "Ganngam A"])
    assert "Typo forgiven: yes" in typo.output
    assert "the spelling is 'Gangnam A'" in typo.output


def test_a_cloze_takes_one_answer_per_blank(bank):
    result = graded(bank, "tpl.document.figures.cloze:report.basis", "12", "2016", "2022")
    assert result["fraction"] == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999", "x"], "No item '999999'"),
        (["no-such-key", "x"], "No item 'no-such-key'"),
        (["tpl.defection.post.single:defection.tae", "x"], "grades typed answers"),
        ([SEAT, "a", "b"], "takes one answer; got 2"),
        (["٣", "x"], "No item '٣'"),  # Unicode digits are not an item number
    ],
)
def test_bad_input_is_a_message(bank, args, message):
    result = bank.invoke(args=["bank", "grade", *args])
    assert result.exit_code != 0
    assert message in result.output
