"""Facts of the question bank (model.py) and the loader for fact files (loader.py).

Public names are re-exported here: `from quizzes.domain.facts import Fact, load_builtin`.
"""

from quizzes.domain.facts.lines import LoadError
from quizzes.domain.facts.loader import (
    BUILTIN_DATA_DIR,
    FactFileError,
    LoadResult,
    load_builtin,
    load_fact_dir,
    load_fact_files,
    load_fact_texts,
)
from quizzes.domain.facts.model import (
    EVIDENCE_SUPPORT,
    FIELD_TYPES,
    KIND_REQUIRED,
    PRECISION_RANK,
    RELATION_REQUIRED,
    DistractorPool,
    Fact,
    FactBase,
    FieldType,
    PartialDate,
    Person,
    PoolOption,
    Relation,
    Source,
    Status,
    Value,
    fact_record,
    fill,
    ordinal,
    render_value,
)

__all__ = [
    "BUILTIN_DATA_DIR",
    "EVIDENCE_SUPPORT",
    "FIELD_TYPES",
    "KIND_REQUIRED",
    "PRECISION_RANK",
    "RELATION_REQUIRED",
    "DistractorPool",
    "Fact",
    "FactBase",
    "FactFileError",
    "FieldType",
    "LoadError",
    "LoadResult",
    "PartialDate",
    "Person",
    "PoolOption",
    "Relation",
    "Source",
    "Status",
    "Value",
    "fact_record",
    "fill",
    "load_builtin",
    "load_fact_dir",
    "load_fact_files",
    "load_fact_texts",
    "ordinal",
    "render_value",
]
