"""A set's images: upload (alt text required), list, and the Markdown line for a prompt."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from models import db
from quizzes.domain import limits
from quizzes.domain.media import outside_images
from quizzes.media import store
from quizzes.media.forms import MediaUploadForm
from quizzes.web.ownership import own_set_or_404
from quizzes.web.ratelimits import imports, over_import_limit
from quizzes.web.teachers import bp


def markdown_line(label: str, url: str) -> str:
    alt = label.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"![{alt}]({url})"


def _render(question_set, form, status=200):
    uses = store.set_media(question_set)
    return (
        render_template(
            "teach/set_images.html",
            question_set=question_set,
            form=form,
            images=[(use, markdown_line(use.label, use.media.url)) for use in uses],
        ),
        status,
    )


def add_uploaded_image(form, question_set) -> bool:
    """The editor's image upload: store the file with the set's images and add its line to
    the end of the question. False (with the reason on the field) when it cannot."""
    if not form.image.data:
        return True
    if over_import_limit():
        form.image.errors = [
            *form.image.errors,
            "Too many uploads in a short time: save the item without the image, and add it"
            " again in a while.",
        ]
        return False
    # The file is read here, once: at most the request limit (2 MiB).
    filename, data = form.image.data.filename or "", form.image.data.read()
    try:
        media = store.store_media(
            current_user,
            filename,
            data,
            question_set=question_set,
            label=form.image_alt.data,
            allow_sound=False,
        )
    except store.MediaRefused as refused:
        form.image.errors = [*form.image.errors, str(refused)]
        return False
    line = markdown_line(form.image_alt.data, media.url)
    prompt = f"{form.prompt.data}\n\n{line}" if form.prompt.data else line
    if len(prompt) > limits.ITEM_TEXT:
        form.image.errors = [
            *form.image.errors,
            f"With the image's line the question would pass {limits.ITEM_TEXT:,} characters.",
        ]
        return False
    form.prompt.data = prompt
    return True


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for part in value.values() for text in _texts(part)]
    if isinstance(value, list | tuple):
        return [text for part in value for text in _texts(part)]
    return []


def outside_image_note(fields: dict) -> str | None:
    """What to tell a teacher whose item shows an image from another site: students'
    pages load this site's images only, so they would see its alt text instead."""
    outside = [src for text in _texts(fields) for src in outside_images(text)]
    if not outside:
        return None
    return (
        f"The image {outside[0][:80]} is on another site, so students will not see it (they"
        " see its alt text): upload it with the item (Image file), or on the set's Images page."
    )


@bp.get("/sets/<int:set_id>/images")
def set_images(set_id: int):
    return _render(own_set_or_404(set_id), MediaUploadForm())


@bp.post("/sets/<int:set_id>/images")
@imports
def upload_set_image(set_id: int):
    question_set = own_set_or_404(set_id)
    form = MediaUploadForm()
    if not form.validate_on_submit():
        return _render(question_set, form, 422)
    filename, data = form.upload()
    try:
        media = store.store_media(
            current_user,
            filename,
            data,
            question_set=question_set,
            label=form.label.data,
            allow_sound=False,
        )
    except store.MediaRefused as refused:
        db.session.rollback()
        form.file.errors = [str(refused)]
        return _render(question_set, form, 422)
    line = markdown_line(form.label.data, media.url)
    db.session.commit()
    flash(f"Image stored. Paste this line into a question or explanation: {line}", "success")
    return redirect(url_for("teach.set_images", set_id=question_set.id))
