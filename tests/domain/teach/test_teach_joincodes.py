import random

import pytest

from quizzes.domain.joincodes import (
    ALPHABET,
    format_join_code,
    generate_join_code,
    normalise_join_code,
)


def test_codes_use_only_unambiguous_characters():
    rng = random.Random(1)
    codes = [generate_join_code(rng) for _ in range(500)]
    assert all(len(code) == 6 and set(code) <= set(ALPHABET) for code in codes)
    assert not set("".join(codes)) & set("0O1IL5S2Z8B")
    assert len(set(codes)) == 500


def test_same_seed_same_code():
    assert generate_join_code(random.Random(42)) == generate_join_code(random.Random(42))


def test_format_groups_in_threes():
    assert format_join_code("KMT4QX") == "KMT-4QX"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("KMT-4QX", "KMT4QX"),
        ("kmt4qx", "KMT4QX"),
        ("  kmt 4qx ", "KMT4QX"),
        ("KMT_4QX", "KMT4QX"),
        ("KMT-4Q0", None),  # 0 is never in a code: no guessing it was an O
        ("KMT4Q", None),
        ("KMT4QXX", None),
        ("", None),
    ],
)
def test_normalise_accepts_case_and_separators_only(typed, code):
    assert normalise_join_code(typed) == code
