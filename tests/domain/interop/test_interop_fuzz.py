"""Fuzzing: parsers only ever return errors, never raise, and stop on huge input;
exporters escape arbitrary text so that it reads back unchanged."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.domain.interop import (
    ImportResult,
    check_item,
    from_aiken,
    from_csv,
    from_gift,
    from_json,
    to_csv,
    to_gift,
)
from quizzes.domain.interop.common import (
    MAX_INPUT_BYTES,
    contains_cloze_mark,
    drop_default_weights,
)

PARSERS = [from_gift, from_aiken, from_csv, from_json]

GIFT_PIECES = st.sampled_from(
    [
        "{", "}", "~", "=", "#", "####", ":", "::", "\\", "\\{", "\\n", "->", "%", "%50%",
        "%-100%", "..", "\n", "\n\n", "//", "// [tag:x] [id:y]", "$CATEGORY:", "[html]",
        "[markdown]", "T", "FALSE", "#1.5:0.1", " ", "a", "Q?", "1", "*", "\ufdd0",
    ]
)  # fmt: skip
AIKEN_PIECES = st.sampled_from(
    ["Q?\n", "A) x\n", "B. y\n", "C)\n", "ANSWER: A\n", "ANSWER: Z\n", "answer: b\n", "\n", "\r"]
)
CSV_PIECES = st.sampled_from(
    [
        "type,prompt,answer,options\n", ",", '"', '""', "\n", "|", "\\|", "{", "}", "%50%",
        "single", "multi", "cloze", "matching", "numeric", "a", "->", "1..2", ";", "\ufde0",
    ]
)  # fmt: skip
JSON_PIECES = st.sampled_from(
    ['{"format": "quizdeck-set", "version": 1, "items": [', "{", "}", "[", "]", ",", ":",
     '"key"', '"type"', '"single"', "1", "NaN", "null", "true", '"x"', "\n"]
)  # fmt: skip


def assert_clean(result):
    assert isinstance(result, ImportResult)
    assert len(result.items) == len(result.item_lines)
    for item in result.items:
        assert check_item(item) == []
    for issue in result.errors + result.warnings:
        assert issue.line >= 1 and issue.message


@pytest.mark.parametrize("parse", PARSERS)
@given(text=st.text())
def test_random_text_never_raises(parse, text):
    assert_clean(parse(text))


@pytest.mark.parametrize("parse", PARSERS)
@given(data=st.binary())
def test_random_bytes_never_raise(parse, data):
    assert_clean(parse(data))


@pytest.mark.parametrize(
    ("parse", "pieces"),
    [
        (from_gift, GIFT_PIECES),
        (from_aiken, AIKEN_PIECES),
        (from_csv, CSV_PIECES),
        (from_json, JSON_PIECES),
    ],
)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_format_shaped_noise_never_raises(parse, pieces, data):
    text = "".join(data.draw(st.lists(pieces, max_size=60)))
    assert_clean(parse(text))


@given(depth=st.integers(1, 50), filler=st.sampled_from(["", "=a", "~b", "#", "->"]))
def test_nested_braces_are_an_error_with_a_line(depth, filler):
    result = from_gift("Q?" + ("{" + filler) * depth + "}" * depth)
    if depth > 1:
        assert result.items == [] and result.errors
        assert result.errors[0].line == 1


@pytest.mark.parametrize("parse", PARSERS)
@pytest.mark.parametrize(
    "line",
    [
        "{" * 1_900_000,
        "Q?{" + "~" * 1_900_000 + "}",
        "Q?{" + "=a " * 600_000 + "}",
        "[" * 1_900_000,
        '"' * 1_900_000,
        "A) " * 600_000,
        "x" * 1_900_000 + "\n" + "y" * 10,
    ],
    ids=["braces", "tildes", "answers", "brackets", "quotes", "choices", "long-line"],
)
def test_huge_lines_finish(parse, line):
    assert_clean(parse(line))


@pytest.mark.parametrize("parse", PARSERS)
def test_input_over_2_mb_is_refused_before_parsing(parse):
    result = parse(b"Q?{T}\n\n" * (MAX_INPUT_BYTES // 7 + 1))
    assert [str(e) for e in result.errors] == [
        "line 1: the file has 2,097,158 bytes; files up to 2 MB (2,097,152 bytes) can be "
        "imported: split it"
    ]
    assert result.items == []


def test_many_small_questions_are_fine():
    text = "Q?{T}\n\n" * 200_000
    result = from_gift(text)
    assert len(result.items) == 200_000 and result.errors == []


# --- exporters: arbitrary text survives -----------------------------------------------------

TRICKY = "\\~=#{}:%[]->/ \t\nabcTF1.é한😀\u2028"
tricky_text = st.text(alphabet=TRICKY, min_size=1, max_size=30).map(str.strip).filter(bool)


def base_item(item_type, prompt, data, explanation=""):
    return {
        "key": "",
        "type": item_type,
        "prompt": prompt,
        "data": data,
        "explanation": explanation,
        "sources": [],
        "topics": [],
        "difficulty": 0.5,
        "fact_ids": [],
    }


@st.composite
def gift_items(draw):
    kind = draw(st.sampled_from(["single", "multi", "short", "matching", "cloze", "truefalse"]))
    prompt = draw(tricky_text)
    explanation = draw(st.one_of(st.just(""), tricky_text))
    if kind in ("single", "multi"):
        texts = draw(st.lists(tricky_text, min_size=3, max_size=5, unique=True))
        options = [{"text": t, "correct": n == 0} for n, t in enumerate(texts)]
        for option in options:
            why = draw(st.one_of(st.just(""), tricky_text))
            if why:
                option["why"] = why
        if kind == "multi" and draw(st.booleans()):
            for n, option in enumerate(options):
                option["weight"] = 1.0 if n == 0 else -draw(st.floats(0, 1))
        return base_item(kind, prompt, {"options": options}, explanation)
    plain = tricky_text.filter(lambda t: "->" not in t and t != "*")
    if kind == "short":
        answers = draw(st.lists(plain, min_size=1, max_size=3, unique=True))
        fractions = [1.0] + [draw(st.floats(0, 1)) for _ in answers[1:]]
        data = {
            "answers": [{"text": a, "fraction": f} for a, f in zip(answers, fractions, strict=True)]
        }
        data |= draw(st.sampled_from([{}, {"romanised": True}, {"romanised": False}]))
        return base_item(kind, prompt, data, explanation)
    if kind == "matching":
        lefts = draw(st.lists(plain, min_size=2, max_size=3, unique=True))
        pairs = [{"left": left, "right": draw(tricky_text)} for left in lefts]
        data = {"pairs": pairs, "distractors": draw(st.lists(tricky_text, max_size=2))}
        return base_item(kind, prompt, data, explanation)
    if kind == "cloze":
        head = draw(st.text(alphabet=TRICKY, max_size=20)).lstrip()
        tail = draw(st.text(alphabet=TRICKY, max_size=20)).rstrip()
        text = f"{head}{{1}}{tail}"
        if not tail.strip() or contains_cloze_mark(head) or contains_cloze_mark(tail):
            text = "Fill {1} here."
        data = {
            "text": text,
            "blanks": [{"answers": draw(st.lists(plain, min_size=1, max_size=3))}],
        }
        data |= draw(st.sampled_from([{}, {"romanised": True}, {"romanised": False}]))
        return base_item(kind, "Fill in the blank.", data, explanation)
    return base_item(kind, prompt, {"answer": draw(st.booleans())}, explanation)


@settings(max_examples=400)
@given(item=gift_items())
def test_gift_export_reads_back_the_same_item(item):
    assert check_item(item) == []
    text, issues = to_gift([item])
    assert issues == []
    back = from_gift(text)
    assert back.errors == []
    if item["type"] == "multi":
        # Weights drawn equal to the defaults are written out and read back as defaults.
        drop_default_weights(item["data"]["options"])
    assert back.items == [item]


csv_text = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(lambda t: t and not any("\ufdd0" <= c <= "\ufdef" for c in t))
)


@settings(max_examples=300)
@given(
    prompt=csv_text,
    options=st.lists(csv_text, min_size=3, max_size=5, unique=True),
    explanation=st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                                blacklist_characters="\r\x00")),
    topics=st.lists(csv_text, max_size=3),
)  # fmt: skip
def test_csv_export_reads_back_the_same_item(prompt, options, explanation, topics):
    if any("\ufdd0" <= c <= "\ufdef" for c in explanation):
        explanation = ""
    item = base_item(
        "multi",
        prompt,
        {"options": [{"text": t, "correct": n < 2, "why": t} for n, t in enumerate(options)]},
        explanation,
    )
    item["topics"] = topics
    back = from_csv(to_csv([item]))
    assert back.errors == []
    assert back.items == [item]
