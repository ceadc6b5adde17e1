"""Import and export of question sets: GIFT, Aiken, CSV, Moodle XML and Quizdeck JSON (pure
functions)."""

from .aiken import from_aiken, to_aiken
from .common import ExportIssue, ImportIssue, ImportResult, check_item
from .csv_writer import to_csv
from .csvformat import from_csv
from .gift_reader import from_gift
from .gift_writer import to_gift
from .jsonformat import from_json, to_json
from .moodle_reader import from_moodle_xml
from .moodle_writer import to_moodle_xml

__all__ = [
    "ExportIssue",
    "ImportIssue",
    "ImportResult",
    "check_item",
    "from_aiken",
    "from_csv",
    "from_gift",
    "from_json",
    "from_moodle_xml",
    "to_aiken",
    "to_csv",
    "to_gift",
    "to_json",
    "to_moodle_xml",
]
