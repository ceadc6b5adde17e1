"""Question sets: list, create, edit, items, preview, duplicate, copy from the bank."""

from __future__ import annotations

import random

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from models import Item, QuestionSet, SetStatus, db
from quizzes.classes.assignments import assignments_of_set
from quizzes.domain.itemtypes import REGISTRY, chosen_feedback
from quizzes.domain.text import counted
from quizzes.integers import big_whole_number, whole_number_or_none
from quizzes.quiz.regrade import has_answers_to_regrade
from quizzes.teach import services
from quizzes.teach.forms import CopyItemsForm, OnceForm, SetForm
from quizzes.teach.item_forms import ITEM_FORMS, TYPE_HINTS, TYPE_LABELS, ItemForm, ListSpec
from quizzes.teach.media_views import add_uploaded_image, outside_image_note
from quizzes.transfer import sets as set_transfer
from quizzes.web import once
from quizzes.web.forms import EmptyForm
from quizzes.web.ownership import own_set_or_404
from quizzes.web.teachers import bp


def _own_item_or_404(question_set: QuestionSet, item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None or item.set_id != question_set.id:
        abort(404)
    return item


@bp.get("/sets")
def sets():
    return render_template(
        "teach/sets.html", sets=services.owned_sets(current_user), form=SetForm(prefix="new")
    )


@bp.post("/sets/new")
def create_set():
    form = SetForm(prefix="new")
    if not form.validate_on_submit():
        return render_template("teach/sets.html", sets=services.owned_sets(current_user), form=form)
    sent = once.claim(form.once.data)
    if sent.earlier:
        return once.already_sent(sent, fallback=url_for("teach.sets"))
    question_set = services.create_set(current_user, form.title.data, form.description.data)
    target = sent.made(url_for("teach.set_detail", set_id=question_set.id))
    db.session.commit()
    flash(f"Created the set “{question_set.title}”. Now add its items.", "success")
    return redirect(target)


def _render_set(question_set: QuestionSet, settings: SetForm | None = None):
    settings = settings or SetForm(obj=question_set)
    items = [services.item_as_dict(item) for item in question_set.items if item.active]
    return render_template(
        "teach/set_detail.html",
        question_set=question_set,
        settings=settings,
        button=EmptyForm(),
        duplicate=OnceForm(formdata=None),
        type_labels=TYPE_LABELS,
        type_hints=TYPE_HINTS,
        problems=services.publish_problems(question_set),
        advice=services.writing_advice(question_set),
        export_formats=EXPORT_LABELS,
        export_notes=set_transfer.export_limits(items) if items else {},
        assigned=bool(assignments_of_set(question_set)),
    )


EXPORT_LABELS = [
    ("gift", "GIFT (Moodle)"),
    ("aiken", "Aiken"),
    ("csv", "CSV"),
    ("moodle", "Moodle XML"),
    ("apkg", "Anki deck (.apkg)"),
    ("json", "Quizdeck JSON"),
    ("qti", "QTI 2.1 package (.zip: Canvas, Blackboard, Brightspace)"),
    ("cc", "Common Cartridge 1.3 (.imscc)"),
]


@bp.get("/sets/<int:set_id>")
def set_detail(set_id: int):
    return _render_set(own_set_or_404(set_id))


@bp.post("/sets/<int:set_id>/settings")
def edit_set(set_id: int):
    question_set = own_set_or_404(set_id)
    form = SetForm()
    if not form.validate_on_submit():
        return _render_set(question_set, form)
    question_set.title = form.title.data
    question_set.description = (form.description.data or "").strip()
    db.session.commit()
    flash("Saved the title and description.", "success")
    return redirect(url_for("teach.set_detail", set_id=set_id))


@bp.post("/sets/<int:set_id>/status")
def set_status(set_id: int):
    question_set = own_set_or_404(set_id)
    wanted = request.form.get("status", "")
    if not EmptyForm().validate_on_submit() or wanted not in {s.value for s in SetStatus}:
        abort(400)
    try:
        services.set_status(question_set, SetStatus(wanted))
    except services.PublishError as error:
        flash(f"Not published yet. {error}", "error")
        return redirect(url_for("teach.set_detail", set_id=set_id))
    db.session.commit()
    if question_set.status is SetStatus.PUBLISHED:
        flash(
            "Published: the set can now be assigned to classes. Students see it only through "
            "an assignment.",
            "success",
        )
    elif assigned := len(assignments_of_set(question_set)):
        flash(
            "Back to draft: it cannot be assigned again until it is published. The "
            f"assignments already given carry on ({counted(assigned, 'assignment')}); "
            "remove one from its class to stop it.",
            "info",
        )
    else:
        flash("Back to draft: it cannot be assigned until it is published again.", "info")
    return redirect(url_for("teach.set_detail", set_id=set_id))


@bp.post("/sets/<int:set_id>/duplicate")
def duplicate_set(set_id: int):
    question_set = own_set_or_404(set_id)
    form = OnceForm()
    if not form.validate_on_submit():
        abort(400)
    sent = once.claim(form.once.data)
    if sent.earlier:
        return once.already_sent(sent, fallback=url_for("teach.set_detail", set_id=set_id))
    copy = services.duplicate_set(question_set, current_user)
    target = sent.made(url_for("teach.set_detail", set_id=copy.id))
    db.session.commit()
    flash(f"Made “{copy.title}”, a draft with {len(copy.items)} items.", "success")
    return redirect(target)


@bp.route("/sets/<int:set_id>/delete", methods=["GET", "POST"])
def delete_set(set_id: int):
    question_set = own_set_or_404(set_id)
    given = assignments_of_set(question_set)
    if given:
        names = ", ".join(sorted({a.school_class.name for a in given}))
        flash(
            f"“{question_set.title}” is assigned to {names}. Remove those assignments first; "
            "the students' attempts stay in their history.",
            "error",
        )
        return redirect(url_for("teach.set_detail", set_id=set_id))
    form = EmptyForm()
    if form.validate_on_submit():
        title = question_set.title
        db.session.delete(question_set)
        db.session.commit()
        flash(f"Deleted the set “{title}”.", "success")
        return redirect(url_for("teach.sets"))
    return render_template("teach/delete_set.html", question_set=question_set, form=form)


# -- items ---------------------------------------------------------------------------------


def _editor(question_set: QuestionSet, item_type: str, item: Item | None):
    form_class = ITEM_FORMS[item_type]
    focus = None
    if request.method == "GET":
        shape = services.item_as_dict(item) if item else None
        form = form_class(formdata=None, data=form_class.initial_data(shape))
    else:
        form = form_class()
        action = request.form.get("action", "save")
        if action not in ("save", "save-another"):
            form, focus = _change_list(form_class, form, action)
        elif form.validate_on_submit() and add_uploaded_image(form, question_set):
            sent = once.claim(form.once.data) if item is None else None
            if sent is not None and sent.earlier:
                return once.already_sent(
                    sent, fallback=url_for("teach.set_detail", set_id=question_set.id)
                )
            if item is None:
                item = services.add_item(question_set, form.item_fields())
                message = f"Added item {item.position + 1}."
            else:
                services.update_item(item, form.item_fields())
                message = f"Saved item {item.position + 1}." + _assigned_note(question_set, "edit")
            answered = sent is None and has_answers_to_regrade(item)
            regrade = answered and action == "save"
            if answered:
                # Marks already given may change: the teacher sees how before any is written.
                message = (
                    f"Saved item {item.position + 1}. Students have answered it: their marks "
                    "stay as they are unless you regrade (“Regrade” beside the item)."
                )
            if action == "save-another":
                target = url_for("teach.new_item", set_id=question_set.id, item_type=item_type)
            elif regrade:
                target = url_for("teach.regrade_item", set_id=question_set.id, item_id=item.id)
            else:
                target = url_for(
                    "teach.set_detail", set_id=question_set.id, _anchor=f"item-{item.id}"
                )
            if sent is not None:
                sent.made(target)  # a new item; an edit needs no token
            db.session.commit()
            flash(message, "success")
            if note := outside_image_note(form.item_fields()):
                flash(note, "info")
            if advice := services.writing_advice(question_set).get(item.id):
                flash(
                    "Item-writing advice (the item is saved; change it or keep it as it is): "
                    + " ".join(advice),
                    "info",
                )
            return redirect(target)
    return render_template(
        "teach/item_form.html",
        form=form,
        question_set=question_set,
        item=item,
        item_type=item_type,
        type_label=TYPE_LABELS[item_type],
        type_hint=TYPE_HINTS[item_type],
        focus=focus,
    )


def _change_list(form_class: type[ItemForm], form: ItemForm, action: str):
    """Add, remove or move one entry of a list and re-render: no validation, nothing saved.

    Actions: `add:<list>`, `remove:<list>:<index>`, `move:<list>:<index>:up|down`.
    """
    verb, _, tail = action.partition(":")
    name, *rest = tail.split(":")
    spec = form_class.LISTS.get(name)
    if spec is None or (verb, len(rest)) not in (("add", 0), ("remove", 1), ("move", 2)):
        abort(400)
    data = form.editable_data()
    entries = list(data[name])
    if verb == "add":
        entries.append(spec.blank)
        number = len(entries) - 1
        focus = f"{name}-{number}" + (f"-{spec.first_field}" if spec.first_field else "")
    else:
        index = _entry_index(rest[0], len(entries))
        if verb == "remove":
            del entries[index]
            focus = f"{name}-add"
        else:
            entries, focus = _move_entry(name, spec, entries, index, rest[1])
    data[name] = entries
    return form_class(formdata=None, data=data), focus


def _entry_index(text: str, count: int) -> int:
    index = whole_number_or_none(text)
    if index is None or index >= count:
        abort(400)
    return index


def _move_entry(name: str, spec: ListSpec, entries: list, index: int, direction: str):
    """Swap an entry with its neighbour; the focus goes to the moved entry's same button, or
    to its other one when it reached the end of the list (where that button is hidden)."""
    step = {"up": -1, "down": 1}.get(direction)
    if not spec.movable or step is None or not 0 <= index + step < len(entries):
        abort(400)
    entries[index], entries[index + step] = entries[index + step], entries[index]
    moved = index + step
    at_end = moved == 0 if direction == "up" else moved == len(entries) - 1
    button = {"up": "down", "down": "up"}[direction] if at_end else direction
    return entries, f"{name}-{moved}-{button}"


@bp.route("/sets/<int:set_id>/items/new/<item_type>", methods=["GET", "POST"])
def new_item(set_id: int, item_type: str):
    question_set = own_set_or_404(set_id)
    if item_type not in ITEM_FORMS:
        abort(404)
    return _editor(question_set, item_type, None)


@bp.route("/sets/<int:set_id>/items/<int:item_id>", methods=["GET", "POST"])
def edit_item(set_id: int, item_id: int):
    question_set = own_set_or_404(set_id)
    item = _own_item_or_404(question_set, item_id)
    if item.type not in ITEM_FORMS:
        abort(404)
    return _editor(question_set, item.type, item)


@bp.post("/sets/<int:set_id>/items/<int:item_id>/move/<direction>")
def move_item(set_id: int, item_id: int, direction: str):
    question_set = own_set_or_404(set_id)
    item = _own_item_or_404(question_set, item_id)
    if not EmptyForm().validate_on_submit() or direction not in ("up", "down"):
        abort(400)
    before = item.position
    services.move_item(question_set, item, -1 if direction == "up" else 1)
    db.session.commit()
    if item.position != before:
        flash(
            f"Moved item {before + 1} {direction}: it is now item {item.position + 1}.", "success"
        )
    return redirect(url_for("teach.set_detail", set_id=set_id, _anchor=f"item-{item.id}"))


@bp.post("/sets/<int:set_id>/items/<int:item_id>/delete")
def delete_item(set_id: int, item_id: int):
    question_set = own_set_or_404(set_id)
    item = _own_item_or_404(question_set, item_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    number = item.position + 1
    services.delete_item(question_set, item)
    db.session.commit()
    flash(f"Deleted item {number}." + _assigned_note(question_set, "delete"), "success")
    return redirect(url_for("teach.set_detail", set_id=set_id))


def _assigned_note(question_set: QuestionSet, change: str) -> str:
    """What a change to an assigned set does to work already done: attempts keep the
    questions as they were shown, and their scores; nothing is graded again."""
    if not assignments_of_set(question_set):
        return ""
    if change == "delete":
        return " Attempts already made keep it and their scores; item analysis no longer lists it."
    return (
        " Attempts already started keep the question as it was and their scores; new "
        "attempts get the change. Item analysis shows each version apart."
    )


# -- preview: the item as a student sees it ---------------------------------------------------


def _presented(item: Item, seed: int) -> tuple[dict, dict]:
    return REGISTRY[item.type].present(item.data, random.Random(seed))


@bp.route("/sets/<int:set_id>/items/<int:item_id>/preview", methods=["GET", "POST"])
def preview_item(set_id: int, item_id: int):
    """Shown as a student sees it; "Check" grades a try (the seed repeats the shuffle)."""
    question_set = own_set_or_404(set_id)
    item = _own_item_or_404(question_set, item_id)
    result = None
    if request.method == "POST" and EmptyForm().validate_on_submit():
        seed = request.form.get("seed", 0, type=big_whole_number)
        view, key = _presented(item, seed)
        itemtype = REGISTRY[item.type]
        response = itemtype.parse_response(view, request.form.to_dict(flat=False))
        result = {
            "parsed": response,
            "grade": itemtype.grade(view, key, response),
            "response": itemtype.describe_response(view, response),
            "key": itemtype.describe_key(view, key),
            "option_feedback": chosen_feedback(item.type, view, key, response),
        }
    else:
        seed = random.SystemRandom().randrange(1_000_000_000)
        view, _ = _presented(item, seed)
    return render_template(
        "teach/preview_item.html",
        question_set=question_set,
        item=item,
        view=view,
        seed=seed,
        result=result,
        button=EmptyForm(),
        number=item.position + 1,
    )


@bp.get("/sets/<int:set_id>/preview")
def preview_set(set_id: int):
    question_set = own_set_or_404(set_id)
    rng = random.SystemRandom()
    shown = []
    for item in question_set.items:
        seed = rng.randrange(1_000_000_000)
        view, _ = _presented(item, seed)
        shown.append((item, view, seed))
    return render_template(
        "teach/preview_set.html", question_set=question_set, shown=shown, button=EmptyForm()
    )


# -- the built-in bank ------------------------------------------------------------------------


@bp.get("/bank")
def bank():
    counts = dict(
        db.session.execute(
            select(Item.set_id, db.func.count(Item.id))
            .where(Item.retired_at.is_(None))
            .group_by(Item.set_id)
        ).all()
    )
    return render_template("teach/bank.html", sets=services.bank_sets(), counts=counts)


def _copied_message(copied: int, there: int, title: str) -> str:
    if not copied:
        return f"Nothing copied: “{title}” already has the ticked questions."
    message = f"Copied {counted(copied, 'item')} into “{title}”."
    if there:
        message += f" Left out {counted(there, 'item')} it already had."
    return message


def _copy_form(bank_set: QuestionSet) -> CopyItemsForm:
    form = CopyItemsForm()
    own = services.owned_sets(current_user)
    form.target.choices = [(0, "A new set")] + [(s.id, s.title) for s, _ in own]
    form.items.choices = [(item.id, item.prompt) for item in bank_set.items if item.active]
    return form


@bp.route("/bank/<int:set_id>", methods=["GET", "POST"])
def bank_set(set_id: int):
    bank_set = db.session.get(QuestionSet, set_id)
    if bank_set is None or not bank_set.is_builtin:
        abort(404)
    form = _copy_form(bank_set)
    if form.validate_on_submit():
        wanted = set(form.items.data or [])
        chosen = [item for item in bank_set.items if item.active and item.id in wanted]
        sent = once.claim(form.once.data) if chosen else None
        if sent is not None and sent.earlier:
            return once.already_sent(sent, fallback=url_for("teach.bank_set", set_id=set_id))
        if not chosen:
            form.items.errors = ["Tick at least one item to copy."]
        elif form.target.data:
            target = own_set_or_404(form.target.data)
        else:
            title = (form.new_title.data or "").strip() or f"From the bank: {bank_set.title}"
            target = services.create_set(current_user, title)
        if chosen:
            count = services.copy_items(chosen, target)
            url = sent.made(url_for("teach.set_detail", set_id=target.id))
            db.session.commit()
            flash(_copied_message(count, len(chosen) - count, target.title), "success")
            return redirect(url)
    return render_template(
        "teach/bank_set.html",
        bank_set=bank_set,
        form=form,
        type_labels=TYPE_LABELS,
    )
