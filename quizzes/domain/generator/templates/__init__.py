"""Templates: per-kind specs (questions, cross-fact wrong values, swaps) and group templates.

A new kind is one module with a KindSpec (and group templates if it has any), registered here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from quizzes.domain.generator.context import BuildContext, KindSpec
from quizzes.domain.generator.templates import (
    defection,
    member,
    phrase,
    rapporteur,
    relations,
    review,
    statements,
    tactic,
    timeline,
)

KIND_SPECS: dict[str, KindSpec] = {
    "defection": defection.SPEC,
    "review_session": review.SPEC,
    "member": member.SPEC,
    "rapporteur": rapporteur.SPEC,
    "phrase": phrase.SPEC,
}
DEFAULT_SPEC = KindSpec()

GroupTemplate = Callable[[BuildContext], Iterable[object]]
GROUP_TEMPLATES: tuple[GroupTemplate, ...] = (
    defection.group_items,
    review.group_items,
    member.group_items,
    rapporteur.group_items,
    phrase.group_items,
    tactic.group_items,
    timeline.group_items,
    relations.group_items,
    statements.group_items,
)


def spec_for(kind: str) -> KindSpec:
    return KIND_SPECS.get(kind, DEFAULT_SPEC)
