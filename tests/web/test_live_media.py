"""A live round's guests see the images its questions show, as signed-in players do: a
guest of round A may fetch A's images, and nothing of another round or of A's set that no
question of A shows."""

from __future__ import annotations

import html
import io
import json
import re

from PIL import Image
from sqlalchemy import select

from models import MediaUse, QuestionSet, Role, db
from quizzes.teach import services as teach_services
from tests.web.live_support import ITEMS, control, join, start_session
from tests.web.teach_support import user_id


def png(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), color).save(out, "PNG")
    return out.getvalue()


def upload(app, teacher, set_id: int, color: tuple[int, int, int]) -> str:
    """An image uploaded on the set's Images page; its address."""
    response = teacher.post(
        f"/teach/sets/{set_id}/images",
        data={"label": "A flag", "file": (io.BytesIO(png(color)), "flag.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        use = db.session.scalar(
            select(MediaUse).where(MediaUse.set_id == set_id).order_by(MediaUse.id.desc())
        )
        return use.media.url


def set_showing(app, teacher, title: str, color: tuple[int, int, int]) -> tuple[int, str]:
    """A teacher's set whose first question shows an image of its own; the set and address."""
    with app.app_context():
        question_set = QuestionSet(title=title, owner_id=user_id(app, "tess"))
        db.session.add(question_set)
        db.session.commit()
        set_id = question_set.id
    url = upload(app, teacher, set_id, color)
    with app.app_context():
        question_set = db.session.get(QuestionSet, set_id)
        items = [
            {key: spec[key] for key in ("type", "prompt", "data", "topics")} for spec in ITEMS[:3]
        ]
        items[0]["prompt"] += f"\n\n![A flag]({url})"
        for fields in items:
            teach_services.add_item(question_set, fields)
        db.session.commit()
    return set_id, url


def prompt_html(client, session_id: int) -> str:
    page = client.get(f"/live/play/{session_id}").get_data(as_text=True)
    state = json.loads(html.unescape(re.search(r"data-state='([^']*)'", page).group(1)))
    return state["question"]["prompt_html"]


def test_a_guest_sees_its_rounds_images_and_no_other(app, login_as):
    teacher = login_as("tess", Role.TEACHER)
    set_a, image_a = set_showing(app, teacher, "Round A", (200, 0, 0))
    set_b, image_b = set_showing(app, teacher, "Round B", (0, 0, 200))
    unshown_a = upload(app, teacher, set_a, (0, 200, 0))  # A's set has it; no question shows it
    round_a = start_session(app, teacher, set_a)
    round_b = start_session(app, teacher, set_b)
    student, guest, stranger = login_as("ana", Role.STUDENT), app.test_client(), app.test_client()
    join(app, student, round_a)
    join(app, guest, round_a, nickname="Mina")
    assert control(teacher, round_a, "start").get_json()["ok"]
    assert control(teacher, round_b, "start").get_json()["ok"]

    # The phone shows the question's image to the guest as to the signed-in player.
    assert f'src="{image_a}"' in prompt_html(guest, round_a)
    assert f'src="{image_a}"' in prompt_html(student, round_a)
    assert student.get(image_a).status_code == 200
    served = guest.get(image_a)
    assert served.status_code == 200 and served.mimetype == "image/png"
    # Nothing else: round B's image, A's set's image no question shows, or anyone not joined.
    assert guest.get(image_b).status_code == 404
    assert guest.get(unshown_a).status_code == 404
    assert stranger.get(image_a).status_code == 404

    # A guest the teacher removed sees no more of the round.
    with app.app_context():
        from models import LivePlayer

        mina = db.session.scalar(select(LivePlayer.id).where(LivePlayer.nickname == "Mina"))
    removed = teacher.post(
        f"/live/{round_a}/players/{mina}/remove", headers={"Accept": "application/json"}
    )
    assert removed.status_code in (200, 302)
    assert guest.get(image_a).status_code == 404
