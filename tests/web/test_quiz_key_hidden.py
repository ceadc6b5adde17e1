"""The answer key never reaches the browser before the item is answered (and graded)."""

from __future__ import annotations

import json
import re

import pytest

from tests.fixtures_items import ITEMS, TYPES, right_form, snapshots, start_quiz

SPECS = {spec["type"]: spec for spec in ITEMS}


def page_for(client, attempt_id: int, position: int) -> str:
    response = client.get(f"/quiz/attempts/{attempt_id}/items/{position}")
    assert response.status_code == 200
    return response.data.decode()


def option_markup(page: str) -> list[str]:
    """Each option's label, with its visible text and display index blanked out."""
    labels = re.findall(r'<label class="option".*?</label>', page, flags=re.S)
    blanked = []
    for index, label in enumerate(labels):
        label = re.sub(r'<span class="option-text">.*?</span>', "TEXT", label, flags=re.S)
        label = label.replace(f"a{index}", "aN").replace(f'value="{index}"', 'value="N"')
        label = label.replace(f">{index + 1}<", ">N<")
        label = re.sub(r"(true|false)", "TF", label, flags=re.I)
        blanked.append(label)
    return blanked


def secrets_of(spec: dict) -> list[str]:
    """Texts that would give the answer away: explanations, option rationales, accepted
    answers that do not appear in the question itself."""
    found = [spec["explanation"]]
    data = spec["data"]
    found += [o["why"] for o in data.get("options", []) if o.get("why")]
    match spec["type"]:
        case "short":
            found += [a["text"] for a in data["answers"]]
        case "numeric":
            found += ["2014"]
        case "cloze":
            found += [a for blank in data["blanks"] for a in blank["answers"]]
    return found


@pytest.mark.parametrize("item_type", TYPES)
def test_item_page_does_not_reveal_the_key(app, bank, login_as, item_type):
    student = login_as("student1")
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    shown = snapshots(app, attempt_id)
    position = next(i for i, s in enumerate(shown, 1) if s["type"] == item_type)
    snapshot = shown[position - 1]
    page = page_for(student, attempt_id, position)

    for secret in secrets_of(SPECS[item_type]):
        assert secret not in page, secret
    assert json.dumps(snapshot["key"]) not in page
    assert "Right answer" not in page and "The Korea Times" not in page
    assert not re.search(r"data-(correct|answer|key|right)", page)
    assert " checked" not in page and " selected" not in page

    if item_type in ("single", "multi", "truefalse"):
        # Every option is marked up alike: only its text and display index differ.
        markup = option_markup(page)
        assert len(markup) == (2 if item_type == "truefalse" else 4)
        assert len(set(markup)) == 1, markup
    if item_type == "ordering":
        # The items appear in the shuffled order of the view, which is never the answer.
        hint = re.search(r"In no particular order: (.*?)</p>", page).group(1)
        assert hint.split(" · ") == snapshot["view"]["items"]
        assert snapshot["view"]["items"] != SPECS["ordering"]["data"]["items"]
    if item_type == "matching":
        # Every select offers the same choices in the same (shuffled) order.
        selects = re.findall(r"<select.*?</select>", page, flags=re.S)
        options = [re.sub(r'id="[^"]*"|name="[^"]*"', "", s) for s in selects]
        assert len(selects) == 3 and len(set(options)) == 1


@pytest.mark.parametrize("item_type", TYPES)
def test_saving_an_answer_in_end_mode_still_hides_the_key(app, bank, login_as, item_type):
    student = login_as("student1")
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="end")
    shown = snapshots(app, attempt_id)
    position = next(i for i, s in enumerate(shown, 1) if s["type"] == item_type)
    student.post(
        f"/quiz/attempts/{attempt_id}/items/{position}", data=right_form(shown[position - 1])
    )
    page = page_for(student, attempt_id, position)
    assert SPECS[item_type]["explanation"] not in page
    assert "Right answer" not in page
    review = student.get(f"/quiz/attempts/{attempt_id}/review").data.decode()
    assert SPECS[item_type]["explanation"] not in review and "Right answer" not in review


def test_after_checking_the_key_is_shown(app, bank, login_as):
    student = login_as("student1")
    attempt_id = start_quiz(student, f"set:{bank.set_id}", feedback="immediate")
    shown = snapshots(app, attempt_id)
    position = next(i for i, s in enumerate(shown, 1) if s["type"] == "cloze")
    student.post(
        f"/quiz/attempts/{attempt_id}/items/{position}",
        data={"blank-1": ["boycot"], "blank-2": ["Paris"], "check": "1"},
    )
    page = page_for(student, attempt_id, position)
    assert "Kim ordered a [boycott] of the panel in [Geneva]." in page
    assert "The panel met in the Swiss city." in page
    # The other items of the attempt stay closed.
    other = 1 if position != 1 else 2
    assert "Right answer" not in page_for(student, attempt_id, other)
