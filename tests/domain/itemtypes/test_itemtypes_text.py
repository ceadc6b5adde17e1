import pytest

from quizzes.domain.text import (
    compact,
    counted,
    edit_distance,
    normalise,
    parse_number,
    romanisation_key,
    typo_allowance,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Thae  Yong-Ho! ", "thae yong ho"),
        ("Naïve café", "naive cafe"),
        ("Ｆｕｌｌ ｗｉｄｔｈ", "full width"),
        ("Ch'oe", "choe"),
        ("Ch\u2019oe", "choe"),
        ("P'yŏngyang", "pyongyang"),
        ("rock\u2014roll", "rock roll"),
        ("Straße", "strasse"),
        ("1,822 people", "1822 people"),
        ("2.5 m", "2.5 m"),
        ("3,5", "3.5"),
        ("?!", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_normalise_keeps_decimal_points_apart_from_digits_run_together():
    assert normalise("2.5") != normalise("25")


@pytest.mark.parametrize("raw", ["Yong-ho", "Yong ho", "Yongho", "YONG–HO"])
def test_compact_ignores_word_breaks(raw):
    assert compact(raw) == "yongho"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tae Yong-ho", "Thae Yong-ho"),
        ("Tae Yong-ho", "Thae Yong Ho"),
        ("Tae Yong-ho", "태영호"),
        ("Ri Il-gyu", "Ri Il Kyu"),
        ("Kim Jong-un", "Kim Chong-un"),
        ("Kim Jong-un", "Kim Jeong-eun"),
        ("Jo Song-gil", "Cho Song-kil"),
        ("Pyongyang", "Phyongyang"),
        ("Kim Dae-jung", "Kim Tae-chung"),
    ],
)
def test_romanisation_variants_share_a_key(a, b):
    assert romanisation_key(a) == romanisation_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jo Song-gil", "Ryu Hyun-woo"),
        ("Tae Yong-ho", "Ri Il-gyu"),
        ("Kim Jong-un", "Kim Jong-il"),
        ("Ri Su-yong", "Lee Su-yong"),  # r/l not folded
        ("Pak", "Park"),
        ("Ryu Hyun-woo", "Ryu Hyon-woo"),  # u/o not folded
        ("Ri Il-gyu", "Ri Ilgyu"),  # initials fold only at the start of a written syllable
    ],
)
def test_romanisation_key_keeps_different_names_apart(a, b):
    assert romanisation_key(a) != romanisation_key(b)


def test_romanisation_key_values():
    assert romanisation_key("Thae Yong Ho") == "taeyongho"
    assert romanisation_key("Ri Il-gyu") == "riilkyu"
    assert romanisation_key("Kim Jeong-eun") == "kimchongun"


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("same", "same", 0),
        ("", "abc", 3),
        ("abc", "", 3),
        ("tae", "tea", 1),  # a swap of neighbours is one edit
        ("kitten", "sitting", 3),
        ("taeyongho", "taeyonghoo", 1),
        ("ca", "abc", 3),  # optimal string alignment: a swapped pair is not edited again
    ],
)
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


@pytest.mark.parametrize(
    ("answer", "allowance"),
    [
        ("2016", 0),
        ("Room 39", 0),
        ("Ri", 0),
        ("UN", 0),
        ("Kim", 1),
        ("Tae Yong-ho", 1),  # nine letters
        ("Thae Yong Ho", 2),  # ten letters
        ("Third Committee", 2),
    ],
)
def test_typo_allowance(answer, allowance):
    assert typo_allowance(answer) == allowance


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("1822", 1822.0),
        ("1,822", 1822.0),
        ("1 822", 1822.0),
        ("1\u00a0822", 1822.0),
        ("1\u202f822", 1822.0),
        ("12,345,678", 12345678.0),
        ("1,822.25", 1822.25),
        ("1 822,5", 1822.5),
        ("1822.5", 1822.5),
        ("\u22123", -3.0),
        ("-3", -3.0),
        ("+7", 7.0),
        ("3,5", 3.5),
        ("1,8225", 1.8225),
        ("0,500", 0.5),
        (" .5 ", 0.5),
        ("5.", 5.0),
        ("１８２２", 1822.0),
    ],
)
def test_parse_number(raw, number):
    assert parse_number(raw) == number


@pytest.mark.parametrize(
    "raw", ["", " ", "-", "abc", "1,82,2", "1 82", "1e3", "nan", "inf", "1.2.3", "9" * 400]
)
def test_parse_number_rejects(raw):
    assert parse_number(raw) is None


@pytest.mark.parametrize(
    ("number", "noun", "plural", "expected"),
    [
        (1, "item", None, "1 item"),
        (0, "item", None, "0 items"),
        (2, "item type", None, "2 item types"),
        (1200, "review", None, "1,200 reviews"),
        (3, "quiz", "quizzes", "3 quizzes"),
    ],
)
def test_counted_puts_the_noun_in_the_right_number(number, noun, plural, expected):
    assert counted(number, noun, plural) == expected
