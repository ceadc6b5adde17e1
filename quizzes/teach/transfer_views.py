"""Import (upload, preview, confirm) and export of question sets.

Nothing is written until the teacher confirms. Between preview and confirm the uploaded
text travels back in the confirm form as a signed, compressed, expiring token (itsdangerous,
keyed by SECRET_KEY and bound to the teacher's id); confirming re-parses exactly the text
that was previewed. The server keeps no state, so this works across workers and restarts,
leaves nothing to clean up, and a token cannot be altered or reused by someone else.
"""

from __future__ import annotations

import time
from pathlib import PurePath

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from models import db
from quizzes.domain import checker, limits
from quizzes.domain.interop import quizlet
from quizzes.domain.interop.decoding import decode_upload
from quizzes.domain.text import counted
from quizzes.integers import whole_number
from quizzes.teach import services
from quizzes.teach.forms import QUIZLET_ITEMS, ConfirmImportForm, ImportForm
from quizzes.teach.item_forms import TYPE_LABELS
from quizzes.transfer import sets as set_transfer
from quizzes.web import clock, once, previews
from quizzes.web.display import export_filename
from quizzes.web.ownership import own_set_or_404
from quizzes.web.ratelimits import imports
from quizzes.web.teachers import bp

PREVIEW_SALT = "quizdeck-import-preview"


def _import_form() -> ImportForm:
    form = ImportForm()
    own = services.owned_sets(current_user)
    form.target.choices = [(0, "A new set")] + [(s.id, s.title) for s, _ in own]
    return form


def _size_limit() -> str:
    """MAX_CONTENT_LENGTH in words: "2 MB", or "64 KB" under a megabyte."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit // 1024} KB"


def _render_upload(form: ImportForm, problem: str | None = None, status: int = 200):
    return render_template(
        "teach/import.html",
        form=form,
        problem=problem,
        max_bytes=current_app.config["MAX_CONTENT_LENGTH"],
        size_limit=_size_limit(),
    ), status


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    form = ImportForm(formdata=None)
    own = services.owned_sets(current_user) if current_user.is_authenticated else []
    form.target.choices = [(0, "A new set")] + [(s.id, s.title) for s, _ in own]
    return _render_upload(
        form,
        f"The upload is larger than {_size_limit()}, the most Quizdeck accepts at once. "
        "Split the questions into smaller files and import them one by one. Nothing was saved.",
        413,
    )


@bp.get("/import")
def import_start():
    form = _import_form()
    into = request.args.get("into", type=whole_number)
    if into:
        form.target.data = own_set_or_404(into).id
    return _render_upload(form)


def _uploaded(form: ImportForm) -> tuple[bytes, str]:
    upload = form.file.data
    if upload and upload.filename:
        return upload.read(), PurePath(upload.filename).name
    return (form.text.data or "").encode("utf-8"), ""


def _quizlet_options(form: ImportForm) -> dict:
    """The separators (None: find them) and item type chosen for a Quizlet export."""
    terms = quizlet.TERM_SEPARATORS | {"custom": form.quizlet_terms_custom.data}
    rows = quizlet.ROW_SEPARATORS | {"custom": form.quizlet_rows_custom.data}
    return {
        "term_separator": terms.get(form.quizlet_terms.data),
        "row_separator": rows.get(form.quizlet_rows.data),
        "as_type": form.quizlet_items.data,
    }


def _parse(
    data: bytes, filename: str, requested: str, options: dict
) -> tuple[str, set_transfer.ImportResult]:
    fmt = set_transfer.choose_format(filename, data, requested)
    deadline = limits.Deadline.after(limits.IMPORT_SECONDS, time.monotonic)
    return fmt, set_transfer.read_import(data, fmt, deadline, options)


@bp.post("/import")
@imports
def import_preview():
    form = _import_form()
    if not form.validate_on_submit():
        return _render_upload(form)
    data, filename = _uploaded(form)
    if not data.strip():
        return _render_upload(form, "Choose a file, or paste questions into the box.")
    target = own_set_or_404(form.target.data) if form.target.data else None
    options = _quizlet_options(form)
    try:
        fmt, result = _parse(data, filename, form.format.data, options)
    except set_transfer.UnusableFile as error:
        return _render_upload(form, f"{error} Nothing was saved.")
    title = _title(form.title.data, result.meta, filename)
    token = None
    if result.ok and result.items:
        token = previews.sign(
            PREVIEW_SALT,
            {
                "user": current_user.id,
                "format": fmt,
                "filename": filename,
                "text": decode_upload(data).text,  # read cleanly, so it decodes
                "target": target.id if target else 0,
                "title": title,
                "options": options,
            },
        )
    return render_template(
        "teach/import_preview.html",
        result=result,
        fmt_name=set_transfer.FORMAT_NAMES[fmt],
        filename=filename,
        title=title,
        target=target,
        rows=_preview_rows(result) if result.ok else [],
        quizlet=_quizlet_choices(result, options) if fmt == "quizlet" else None,
        advice=_advice_rows(result) if result.ok else [],
        confirm=ConfirmImportForm(formdata=None, token=token),
        token=token,
    )


def _quizlet_choices(result: set_transfer.ImportResult, options: dict) -> dict:
    """How a Quizlet export was read, in words, for the preview."""
    names = quizlet.SEPARATOR_NAMES
    term, row = result.meta.get("separators", (None, None))
    return {
        "items": dict(QUIZLET_ITEMS).get(options["as_type"], options["as_type"]),
        "term": names.get(term, f"“{term}”") if term else "not found",
        "row": names.get(row, f"“{row}”") if row else "not found",
    }


def _title(typed: str | None, meta: dict, filename: str) -> str:
    if typed and typed.strip():
        return typed.strip()
    if isinstance(meta.get("title"), str) and meta["title"].strip():
        return meta["title"].strip()[: services.MAX_TITLE]
    if filename:
        # "week1.aiken.txt" names the set "week1", not "week1.aiken".
        stem = PurePath(filename).stem
        if PurePath(stem).suffix.lower() in set_transfer.FORMAT_SUFFIXES:
            stem = PurePath(stem).stem
        return stem[: services.MAX_TITLE]
    return "Imported questions"


def _preview_rows(result: set_transfer.ImportResult) -> list[dict]:
    return [
        {
            "line": line,
            "type": TYPE_LABELS.get(item["type"], item["type"]),
            "prompt": item["prompt"] or item["data"].get("text", ""),
            "answer": set_transfer.answer_text(item),
            "topics": item["topics"],
        }
        for item, line in zip(result.items, result.item_lines, strict=True)
    ]


def _advice_rows(result: set_transfer.ImportResult) -> list[str]:
    """The item-writing checker on what would be imported: advice, it stops nothing."""
    rows = []
    for index, finding in checker.advice(result.items):
        where = f"Line {result.item_lines[index]}" if index is not None else "The whole file"
        rows.append(f"{where}: {checker.describe(finding)}")
    return rows


@bp.post("/import/confirm")
@imports
def import_confirm():
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        payload = previews.read(PREVIEW_SALT, form.token.data, user=current_user.id)
    except previews.PreviewExpired:
        flash(previews.EXPIRED_MESSAGE, "error")
        return redirect(url_for("teach.import_start"))
    target = own_set_or_404(payload["target"]) if payload["target"] else None
    data = payload["text"].encode("utf-8")
    deadline = limits.Deadline.after(limits.IMPORT_SECONDS, time.monotonic)
    result = set_transfer.read_import(data, payload["format"], deadline, payload.get("options"))
    if not result.ok or not result.items:  # the parser changed since the preview
        flash("The file no longer imports cleanly. Upload it again to see why.", "error")
        return redirect(url_for("teach.import_start"))
    sent = once.claim(form.once.data)
    if sent.earlier:
        return once.already_sent(sent, fallback=url_for("teach.sets"))
    target, count = services.import_result(current_user, result, payload["title"], target)
    url = sent.made(url_for("teach.set_detail", set_id=target.id))
    db.session.commit()
    flash(f"Imported {counted(count, 'item')} into “{target.title}”.", "success")
    return redirect(url)


# -- export --------------------------------------------------------------------------------


@bp.get("/sets/<int:set_id>/export/<fmt>")
def export_set(set_id: int, fmt: str):
    question_set = own_set_or_404(set_id)
    if fmt not in set_transfer.EXPORT_FORMATS:
        abort(404)
    try:
        exported = services.export_question_set(question_set, fmt, clock.now())
    except ValueError as error:
        flash(f"Could not export as {set_transfer.FORMAT_NAMES[fmt]}: {error}.", "error")
        return redirect(url_for("teach.set_detail", set_id=set_id))
    if question_set.items and len(exported.dropped) == len(question_set.items):
        flash(
            f"None of the items can be written as {set_transfer.FORMAT_NAMES[fmt]}: "
            f"{exported.dropped[0].message}.",
            "error",
        )
        return redirect(url_for("teach.set_detail", set_id=set_id))
    filename = export_filename(question_set.title, exported.extension)
    return Response(
        exported.content,
        mimetype=exported.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
