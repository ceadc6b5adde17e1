"""The bank's content rules live in its data (quizzes/bank/content.toml), not the engine."""

from __future__ import annotations

from quizzes.domain.facts import BUILTIN_DATA_DIR
from quizzes.domain.generator.wording import BUILTIN_CONTENT, forbidden_wording, read_content


def test_forbidden_wording_is_read_from_a_content_file(tmp_path):
    path = tmp_path / "content.toml"
    path.write_text(
        "[[forbidden_wording]]\npattern = '\\bcamps? (?:were|was) admitted'\nreason = \"no\"\n",
        encoding="utf-8",
    )
    ((pattern, reason),) = forbidden_wording(read_content(path))
    assert pattern.search("The CAMPS were admitted.") and reason == "no"
    assert forbidden_wording({}) == ()


def test_the_builtin_content_titles_every_fact_file_and_forbids_the_camps_admission():
    content = read_content(BUILTIN_CONTENT)
    files = {path.stem for path in BUILTIN_DATA_DIR.glob("*.toml")}
    titled = {entry["file"] for entry in content["sets"]}
    assert titled <= files and {"defections", "upr", "tactics"} <= titled
    rules = forbidden_wording(content)
    assert any(p.search("North Korea admitted political prison camps") for p, _ in rules)
