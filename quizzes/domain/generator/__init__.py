"""The question-bank generator: facts in, validated items (docs/ITEMS.md) out."""

from quizzes.domain.generator.build import BuildReport, Rejection, build_bank
from quizzes.domain.generator.validate import validate_item

__all__ = ["BuildReport", "Rejection", "build_bank", "validate_item"]
