"""Exported GIFT must parse with an independent parser: the npm package gift-pegjs.

Needs Node.js and `npm ci --prefix tests/js` (pinned in tests/js/package-lock.json).
"""

import json
import shutil
import subprocess
from pathlib import Path

from quizzes.domain.interop import from_gift, from_json, to_gift

REPO_ROOT = Path(__file__).resolve().parents[3]
JS_DIR = REPO_ROOT / "tests" / "js"
FIXTURES = Path(__file__).parent / "fixtures"


def parse_with_gift_pegjs(text: str) -> dict:
    assert shutil.which("node"), "Node.js is needed for this test: install node (v18 or later)"
    assert (JS_DIR / "node_modules" / "gift-pegjs").is_dir(), (
        "gift-pegjs is not installed: run `npm ci --prefix tests/js`"
    )
    done = subprocess.run(
        ["node", str(JS_DIR / "parse_gift.mjs")],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"gift-pegjs rejected the export: {done.stdout}{done.stderr}"
    return json.loads(done.stdout)


def test_export_of_every_type_parses_with_gift_pegjs():
    items = from_json((FIXTURES / "all_types.json").read_text(encoding="utf-8")).items
    text, issues = to_gift(items, category="$course$/top/Korea")
    assert len([i for i in issues if i.dropped]) == 2
    parsed = parse_with_gift_pegjs(text)
    assert parsed["types"] == [
        "Category",
        "MC",  # single
        "MC",  # single with special characters
        "MC",  # multi, explicit weights
        "MC",  # multi, default weights
        "MC",  # multi, odd weights
        "TF",
        "TF",
        "Short",
        "Numerical",
        "Numerical",
        "Matching",
        "Short",  # cloze -> missing word
        "Short",  # cloze with its own prompt
        "Short",  # cloze with the blank at the end, written as a short answer
    ]
    assert parsed["ids"][1:3] == ["defection.tae.single.post", "authored.5f0c"]
    assert parsed["tags"][1] == ["defections", "diplomats"]


def test_reexport_of_moodle_examples_parses_with_gift_pegjs():
    examples = REPO_ROOT / "tests" / "data" / "moodle_gift" / "examples.txt"
    assert examples.is_file(), f"Moodle's GIFT samples are expected at {examples}"
    items = from_gift(examples.read_text(encoding="utf-8")).items
    text, issues = to_gift(items)
    assert issues == []
    parsed = parse_with_gift_pegjs(text)
    assert len(parsed["types"]) == 43
    assert parsed["types"].count("MC") == 18  # 16 single + 2 multi
    assert parsed["types"].count("Numerical") == 8
    assert parsed["types"].count("Matching") == 3
    assert parsed["types"].count("TF") == 5
    assert parsed["types"].count("Short") == 9  # 7 short + 2 missing-word clozes


def test_an_exported_essay_parses_as_an_essay_with_gift_pegjs():
    from quizzes.domain.itemtypes import REGISTRY

    prompt, data = REGISTRY["essay"].EXAMPLE
    essay = {
        "key": "authored.essay",
        "type": "essay",
        "prompt": prompt,
        "data": data,
        "explanation": "No peace treaty was signed.",
        "sources": [],
        "topics": ["war"],
        "difficulty": 0.5,
        "fact_ids": [],
    }
    text, issues = to_gift([essay, {**essay, "key": "authored.plain", "data": {}}])
    assert issues == []
    assert parse_with_gift_pegjs(text)["types"] == ["Essay", "Essay"]
