import time
from random import Random

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from models import Item, QuestionSet, db
from quizzes.bank import queries
from quizzes.bank.builtin import topic_title
from quizzes.bank.forms import FactFileForm
from quizzes.bank.upload import generate_set_from_facts
from quizzes.decorators import teacher_required
from quizzes.domain import limits
from quizzes.domain.interop.decoding import DecodedText, Undecodable, decode_upload
from quizzes.domain.itemtypes import REGISTRY
from quizzes.ratelimits import imports

bp = Blueprint("bank", __name__, url_prefix="/bank")


def visible_set(set_id: int) -> QuestionSet:
    """Built-in published sets are public; a teacher's set only to its owner (404 otherwise)."""
    qset = db.session.get(QuestionSet, set_id)
    if qset is None:
        abort(404)
    if qset.owner_id is not None and not (
        current_user.is_authenticated
        and (qset.owner_id == current_user.id or current_user.is_admin)
    ):
        abort(404)
    return qset


@bp.get("/")
def index():
    return render_template(
        "bank/index.html",
        sets=queries.builtin_sets(),
        topics=queries.topic_counts(),
        topic_title=topic_title,
    )


@bp.get("/sets/<int:set_id>")
def show_set(set_id: int):
    qset = visible_set(set_id)
    return render_template("bank/set.html", qset=qset, items=queries.set_items(qset.id))


@bp.get("/topics/<topic>")
def show_topic(topic: str):
    items = queries.topic_items(topic)
    if not items:
        abort(404)
    return render_template("bank/topic.html", topic=topic, title=topic_title(topic), items=items)


@bp.get("/items/<int:item_id>")
def preview_item(item_id: int):
    item = db.session.get(Item, item_id)
    if item is None:
        abort(404)
    qset = visible_set(item.set_id)
    show_key = current_user.is_authenticated and current_user.is_teacher
    kind = REGISTRY[item.type]
    view, key = kind.present(item.data, Random(item.id))
    return render_template(
        "bank/item.html",
        item=item,
        qset=qset,
        view=view,
        show_key=show_key,
        key_text=kind.describe_key(view, key) if show_key else None,
    )


def _fact_text(data: bytes) -> DecodedText | None:
    """The file's text, decoded as every text import is; None for bytes no encoding reads
    (TOML's own parser names the line of a stray control character)."""
    try:
        return decode_upload(data)
    except Undecodable:
        return None


@bp.route("/upload", methods=["GET", "POST"])
@teacher_required
@imports
def upload_facts():
    form = FactFileForm()
    errors = []
    if form.validate_on_submit():
        upload = form.facts.data
        decoded = _fact_text(upload.read())
        if decoded is None:
            form.facts.errors.append("The file is not UTF-8 text. Save it as UTF-8 and try again.")
        else:
            result = generate_set_from_facts(
                current_user,
                upload.filename or "facts.toml",
                decoded.text,
                form.title.data.strip(),
                limits.Deadline.after(limits.IMPORT_SECONDS, time.monotonic),
            )
            if result.question_set is not None:
                db.session.commit()
                read_as = "" if decoded.encoding == "UTF-8" else f" (read as {decoded.encoding})"
                flash(
                    f"Generated {len(result.report.items)} items into the draft set "
                    f"“{result.question_set.title}”{read_as}. Preview them, then publish.",
                    "success",
                )
                return redirect(url_for("teach.set_detail", set_id=result.question_set.id))
            errors = result.errors
    return render_template("bank/upload.html", form=form, errors=errors), 422 if errors else 200
