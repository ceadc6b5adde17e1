"""The benchmark scripts' part of a shared doc: each writes its own section (between two
HTML comments naming it) with the commit it measured, and leaves the others' alone."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measured_commit() -> str:
    """The commit measured: its short hash, with "+ changes" when the tree differs from it
    (then the figures are not those of any commit)."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short=12", "HEAD") or "unknown"
    dirty = git(
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        "quizzes",
        "models",
        "templates",
        "static",
        "bench",
        "app.py",
    )
    return f"{commit} + uncommitted changes" if dirty else commit


def write_section(path: Path, name: str, text: str, *, title: str = "") -> None:
    """Put `text` between <!-- name: start --> and <!-- name: end --> in `path`, in place
    of what was there, or at the end; a missing file starts with `title`."""
    start, end = f"<!-- {name}: start -->", f"<!-- {name}: end -->"
    block = f"{start}\n{text.strip()}\n{end}"
    old = path.read_text() if path.exists() else (f"# {title}\n" if title else "")
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    new = (
        pattern.sub(lambda _: block, old) if pattern.search(old) else f"{old.rstrip()}\n\n{block}\n"
    )
    path.write_text(new)
