import random

import pytest

from quizzes.domain.joincodes import (
    ALPHABET,
    NEVER_USED,
    TypedCode,
    format_join_code,
    generate_join_code,
    normalise_join_code,
    read_join_code,
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
        ("KMT–4QX", "KMT4QX"),  # an en dash, as slides and word processors write "-"
        ("KMT—4QX", "KMT4QX"),  # an em dash
        ("KMT\u00a04QX", "KMT4QX"),  # a no-break space, copied from a web page
        ("ＫＭＴ－４ＱＸ", "KMT4QX"),  # full-width forms from a CJK keyboard
        ("ｋｍｔ４ｑｘ", "KMT4QX"),
        ("KMT-4Q0", None),  # 0 is never in a code: no guessing it was an O
        ("KMT4Q", None),
        ("KMT4QXX", None),
        ("", None),
    ],
)
def test_normalise_accepts_case_separators_and_width_only(typed, code):
    assert normalise_join_code(typed) == code


def test_every_letter_and_digit_is_either_in_codes_or_never_used():
    assert set(ALPHABET) | set(NEVER_USED) == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    assert not set(ALPHABET) & set(NEVER_USED)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("kmt-4qx", TypedCode("KMT4QX", never_used="", other="", korean=False)),
        # Look-alikes are named, once each, never turned into a code character.
        ("KMT-4Q0", TypedCode("KMT4Q0", never_used="0", other="", korean=False)),
        ("ol1-4qo", TypedCode("OL14QO", never_used="OL1", other="", korean=False)),
        ("KMT#4QX!", TypedCode("KMT#4QX!", never_used="", other="#!", korean=False)),
        # "kmt4qx" typed with the keyboard still set to Korean (NFKC makes the letters
        # conjoining jamo; they are Hangul all the same).
        ("ㅏㅡㅅ4ㅂㅌ", TypedCode("\u1161\u1173\u11094\u1107\u1110", "", "", korean=True)),
        ("사랑", TypedCode("사랑", never_used="", other="", korean=True)),
        ("KMT4Q", TypedCode("KMT4Q", never_used="", other="", korean=False)),
    ],
)
def test_read_says_what_is_wrong_with_a_typed_code(typed, read):
    assert read_join_code(typed) == read
    assert read.readable is (normalise_join_code(typed) is not None)
