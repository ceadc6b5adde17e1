"""Import and export (placeholder until the interop parsers are merged)."""

from flask import abort

from quizzes.teach.blueprint import bp


@bp.get("/import")
def import_start():
    abort(404)


@bp.get("/sets/<int:set_id>/export/<fmt>")
def export_set(set_id: int, fmt: str):
    abort(404)
