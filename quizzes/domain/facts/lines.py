"""Where an entry sits in a fact file, so every semantic error names its line."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class Problems:
    """The errors found so far, across every file of one load."""

    def __init__(self) -> None:
        self.errors: list[LoadError] = []

    def add(self, file: str, line: int, message: str) -> None:
        self.errors.append(LoadError(file, line, message))


class LineFinder:
    """Finds the line of a table or key in a file's text, for semantic errors."""

    # A file of thousands of facts asks for thousands of lines: each lookup scans only what
    # it must (an entry's own lines) or an index built once, never the whole file again.
    _SOURCE_HEADER = re.compile(r'^\s*\[\s*sources\s*\.\s*"?([^"\]]*?)"?\s*\]')
    _ASSIGNED_KEY = re.compile(r'^\s*"?([^"=]*?)"?\s*=')

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self._headers: dict[str, list[int]] = {}
        self._source_lines: dict[str, int] | None = None

    def _matching(self, pattern: str) -> list[int]:
        regex = re.compile(pattern)
        return [number for number, line in enumerate(self.lines, 1) if regex.search(line)]

    def _first_lines(self, regex: re.Pattern[str]) -> dict[str, int]:
        first: dict[str, int] = {}
        for number, line in enumerate(self.lines, 1):
            if match := regex.match(line):
                first.setdefault(match.group(1).strip(), number)
        return first

    def array_entry(self, table: str, index: int, id_key: str, id_value: object) -> int:
        """The line of the entry's `id = "..."` (or its `[[table]]` header as a fallback)."""
        if table not in self._headers:
            self._headers[table] = self._matching(rf"^\s*\[\[\s*{table}\s*\]\]")
        headers = self._headers[table]
        start = headers[index] if index < len(headers) else 1
        end = headers[index + 1] if index + 1 < len(headers) else len(self.lines) + 1
        if isinstance(id_value, str):
            regex = re.compile(rf'^\s*{re.escape(id_key)}\s*=\s*"{re.escape(id_value)}"')
            for number in range(start, end):
                if regex.search(self.lines[number - 1]):
                    return number
        return start

    def source(self, key: str) -> int:
        if self._source_lines is None:
            assigned = self._first_lines(self._ASSIGNED_KEY)
            self._source_lines = assigned | self._first_lines(self._SOURCE_HEADER)
        return self._source_lines.get(key, 1)

    def top_key(self, key: str) -> int:
        hits = self._matching(rf"^\s*\[*\s*{re.escape(key)}\b")
        return hits[0] if hits else 1
