"""Long lists a page at a time: a learner's deck of 100,000 cards, a student's 10,000
attempts. The page is read with LIMIT/OFFSET on an index and the total counted apart."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: Sequence[T]
    number: int  # 1-based, within 1..pages
    pages: int
    total: int  # rows in the whole list
    per_page: int

    @property
    def first(self) -> int:
        """The position in the list of this page's first row (1-based)."""
        return (self.number - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1


def page_of(
    total: int, requested: int, per_page: int, read: Callable[[int, int], Sequence[T]]
) -> Page[T]:
    """Page `requested` (past the end: the last; below 1: the first) of a list of `total`
    rows; `read(limit, offset)` reads its rows."""
    pages = max(1, -(-total // per_page))
    number = min(max(1, requested), pages)
    return Page(read(per_page, (number - 1) * per_page), number, pages, total, per_page)
