"""Import and export of question sets: GIFT, Aiken, CSV and Quizdeck JSON (pure functions)."""

from .aiken import from_aiken, to_aiken
from .common import ExportIssue, ImportIssue, ImportResult, check_item
from .csvformat import from_csv, to_csv
from .gift import from_gift, to_gift
from .jsonformat import from_json, to_json

__all__ = [
    "ExportIssue",
    "ImportIssue",
    "ImportResult",
    "check_item",
    "from_aiken",
    "from_csv",
    "from_gift",
    "from_json",
    "to_aiken",
    "to_csv",
    "to_gift",
    "to_json",
]
