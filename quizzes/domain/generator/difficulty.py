"""A rough difficulty estimate (0 easy .. 1 hard) for a generated item.

The heuristic: the item type sets the base, since recognising is easier than recalling
(true/false < single choice < matching < multi/cloze < ordering/numeric < short answer).
Recalling an exact figure (a count, a year typed in) or telling dates apart to the day adds
0.1; each element beyond the third (options of a multi, pairs, items to order) and each
blank beyond the first adds 0.05. The result is clamped to 0.05..0.95.
"""

from __future__ import annotations

BASE_BY_TYPE = {
    "truefalse": 0.2,
    "single": 0.35,
    "matching": 0.45,
    "multi": 0.5,
    "cloze": 0.5,
    "ordering": 0.55,
    "numeric": 0.55,
    "short": 0.6,
}


def estimate(item_type: str, *, parts: int = 1, exact: bool = False) -> float:
    """`parts`: options of a multi, pairs, items to order or blanks of a cloze;
    `exact`: the answer is an exact figure or a date to the day."""
    score = BASE_BY_TYPE[item_type]
    if exact:
        score += 0.1
    if item_type == "cloze":
        score += 0.05 * max(0, parts - 1)
    elif item_type in {"ordering", "matching", "multi"}:
        score += 0.05 * max(0, parts - 3)
    return round(min(0.95, max(0.05, score)), 2)
