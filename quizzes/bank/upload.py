"""A teacher's fact file becomes a draft question set of generated items."""

from __future__ import annotations

from dataclasses import dataclass

from models import Item, ItemTopic, QuestionSet, SetStatus, User, db
from quizzes.bank.builtin import resolve_citations
from quizzes.domain.facts import LoadError, load_fact_texts
from quizzes.domain.generator import BuildReport, build_bank


@dataclass(frozen=True)
class FactUpload:
    errors: list[LoadError]
    report: BuildReport | None = None
    question_set: QuestionSet | None = None


def generate_set_from_facts(owner: User, filename: str, text: str, title: str) -> FactUpload:
    """Parse, generate and stage a draft set; nothing is written when anything is wrong."""
    loaded = load_fact_texts({filename: text})
    if loaded.errors or loaded.base is None:
        return FactUpload(errors=list(loaded.errors))
    report = build_bank(loaded.base, seed=0)
    if not report.items:
        reason = "the file's facts gave no valid items"
        if report.skipped or report.rejected:
            first = (report.rejected or report.skipped)[0]
            reason += f" (for example {first.key}: {first.reason})"
        return FactUpload(errors=[LoadError(filename, 1, reason)], report=report)
    qset = QuestionSet(
        owner_id=owner.id,
        title=title,
        status=SetStatus.DRAFT,
        description=f"Generated from {filename}.",
    )
    db.session.add(qset)
    db.session.flush()
    for position, raw in enumerate(report.items):
        item = resolve_citations(raw, loaded.base)
        row = Item(
            key=f"set{qset.id}:{item['key']}",
            set_id=qset.id,
            position=position,
            type=item["type"],
            prompt=item["prompt"],
            data=item["data"],
            explanation=item["explanation"],
            sources=item["sources"],
            topics=item["topics"],
            difficulty=item["difficulty"],
            level=item.get("level", "remember"),
            fact_ids=[],  # a teacher's facts are not bank facts
        )
        row.topic_rows = [ItemTopic(topic=t) for t in dict.fromkeys(item["topics"])]
        db.session.add(row)
    db.session.flush()
    return FactUpload(errors=[], report=report, question_set=qset)
