from random import Random

from flask import Blueprint, abort, render_template
from flask_login import current_user

from models import Item, QuestionSet, db
from quizzes.bank import queries
from quizzes.bank.builtin import topic_title
from quizzes.domain.itemtypes import REGISTRY

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
        "bank/index.html", sets=queries.builtin_sets(), topics=queries.topic_counts(),
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
        "bank/item.html", item=item, qset=qset, view=view, show_key=show_key,
        key_text=kind.describe_key(view, key) if show_key else None,
    )
