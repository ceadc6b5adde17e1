"""A teacher's fact file becomes a draft question set of generated items."""

from __future__ import annotations

from dataclasses import dataclass

from models import Item, ItemTopic, QuestionSet, SetStatus, User, db
from quizzes.bank.builtin import resolve_citations
from quizzes.domain import limits
from quizzes.domain.facts import LoadError, load_fact_texts
from quizzes.domain.generator import BuildReport, build_bank


@dataclass(frozen=True)
class FactUpload:
    errors: list[LoadError]
    report: BuildReport | None = None
    question_set: QuestionSet | None = None


def generate_set_from_facts(
    owner: User, filename: str, text: str, title: str, deadline: limits.Deadline | None = None
) -> FactUpload:
    """Parse, generate and stage a draft set; nothing is written when anything is wrong.
    Bounded as every import is (quizzes.domain.limits): facts per file, items generated,
    the editor's text lengths, and the deadline."""
    loaded = load_fact_texts({filename: text})
    if loaded.errors or loaded.base is None:
        return FactUpload(errors=list(loaded.errors))
    if len(loaded.base.facts) > limits.FACTS_PER_FILE:
        return FactUpload(
            errors=[
                LoadError(
                    filename,
                    1,
                    f"the file holds {len(loaded.base.facts):,} facts; an uploaded fact file "
                    f"holds at most {limits.FACTS_PER_FILE:,}. Split it",
                )
            ]
        )

    def in_time(done: int, total: int) -> None:
        if deadline is not None:
            deadline.check()

    try:
        report = build_bank(
            loaded.base, seed=0, on_progress=in_time, max_items=limits.ITEMS_PER_IMPORT
        )
    except limits.TimeUp as stopped:
        return FactUpload(errors=[LoadError(filename, 1, str(stopped))])
    if len(report.items) > limits.ITEMS_PER_IMPORT:
        message = (
            f"the facts give more than {limits.ITEMS_PER_IMPORT:,} items, the most one set "
            "holds from one import. Split the file and upload the parts one by one"
        )
        return FactUpload(errors=[LoadError(filename, 1, message)], report=report)
    too_long = [
        LoadError(filename, 1, f"the item {item['key']}: {problem}")
        for item in report.items
        for problem in limits.item_text_problems(item)
    ]
    if too_long:
        return FactUpload(errors=too_long[: limits.PROBLEMS_PER_FILE], report=report)
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
