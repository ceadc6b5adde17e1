"""A rough difficulty estimate (0 easy .. 1 hard) for a generated item.

The heuristic: the item type sets the base, since recognising is easier than recalling
(true/false < single choice < matching < multi/cloze < ordering/numeric < short answer).
Recalling an exact figure (a count, a year typed in) or telling dates apart to the day adds
0.1; each element beyond the third (options of a multi, pairs, items to order) and each
blank beyond the first adds 0.05. The result is clamped to 0.05..0.95.
"""

from __future__ import annotations

from quizzes.domain.itemtypes import REGISTRY

# Each type declares its base (BASE_DIFFICULTY) and the parts it has for free (FREE_PARTS).
BASE_BY_TYPE = {name: module.BASE_DIFFICULTY for name, module in REGISTRY.items()}


def estimate(item_type: str, *, parts: int = 1, exact: bool = False) -> float:
    """`parts`: options of a multi, pairs, items to order or blanks of a cloze;
    `exact`: the answer is an exact figure or a date to the day."""
    module = REGISTRY[item_type]
    score = module.BASE_DIFFICULTY
    if exact:
        score += 0.1
    if module.FREE_PARTS is not None:
        score += 0.05 * max(0, parts - module.FREE_PARTS)
    return round(min(0.95, max(0.05, score)), 2)
