"""Text folding: the one module that says when two texts are the same answer.

Graders, the bank generator, imports and editors all compare answers with these
functions, so the generator never offers as wrong a text the grader would accept (it
compares with romanisation folded, the grader's loosest setting), and the editors'
"listed twice" for short answers and cloze blanks agrees with both.

Levels of sameness, each looser than the one before:

- `normalise`: the same words, ignoring case, accents, punctuation and spacing.
- `compact`: the same letters and digits, ignoring word breaks ("Yong-ho" = "Yongho").
- `answer_key`: `compact` without a leading article ("The Hague" = "Hague"); with
  `romanised`, also the same Korean name under the common romanisation systems
  (McCune-Reischauer, Revised Romanisation, the North's own spelling).

Spellings derived from a name written in Hangul are in quizzes.domain.romanisation.
"""

import math
import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

# A comma between digits followed by exactly three digits groups thousands ("1,822").
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# Any other "." or "," between digits is a decimal mark; kept so "2.5" never equals "25".
_DECIMAL_MARK = re.compile(r"(?<=\d)[.,](?=\d)")
_DECIMAL_PLACEHOLDER = "\x00"
_NOT_WORD = re.compile(r"[^\w\s\x00]|_")
_DIGIT = re.compile(r"[0-9]")
_ACRONYM = re.compile(r"[A-Z]{2,8}")


def normalise(s: str) -> str:
    """Casefolded ASCII words separated by single spaces, without punctuation.

    NFKC first (full-width letters, ligatures), then Unidecode (accents, other scripts),
    then casefold. Hyphens and dashes separate words; other punctuation is dropped.
    A decimal mark between digits survives as "." and thousands commas are dropped, so
    "1,822" = "1822" but "2.5" != "25".
    """
    s = unidecode(unicodedata.normalize("NFKC", s)).casefold()
    s = _THOUSANDS_COMMA.sub("", s)
    s = _DECIMAL_MARK.sub(_DECIMAL_PLACEHOLDER, s)
    s = s.replace("-", " ")  # Unidecode has already turned every dash into "-"
    s = _NOT_WORD.sub("", s)
    return " ".join(s.split()).replace(_DECIMAL_PLACEHOLDER, ".")


def compact(s: str) -> str:
    """`normalise` without spaces: "Yong-ho", "Yong ho" and "Yongho" are all "yongho"."""
    return normalise(s).replace(" ", "")


# Romanisation folding, applied to each word (a word is one syllable when the name is
# hyphenated or spaced, which is how Korean names are written). Kept deliberately small:
# - vowels: RR "eo"/"eu" are MR "ŏ"/"ŭ", which Unidecode turns into "o"/"u";
# - the first consonant of a word: aspiration written "th"/"ph"/"kh" (the North's style)
#   or with an apostrophe (MR, already dropped as punctuation) folds to the plain letter,
#   and the voiced RR initials g/d/b/j fold to MR k/t/p/ch.
# Not folded: r/l/n ("Ri" != "Lee"), "u" vs "o" ("Hyun" != "Hyon"), "Park" vs "Pak",
# "sh" vs "s", and initials inside a word written solid ("Ilgyu" != "Il Kyu").
_VOWEL_FOLDS = (("eo", "o"), ("eu", "u"))
_INITIAL_FOLDS = (
    ("th", "t"),
    ("ph", "p"),
    ("kh", "k"),
    ("g", "k"),
    ("d", "t"),
    ("b", "p"),
    ("j", "ch"),
)


def _fold_word(word: str) -> str:
    for rr, mr in _VOWEL_FOLDS:
        word = word.replace(rr, mr)
    for spelt, folded in _INITIAL_FOLDS:
        if word.startswith(spelt):
            return folded + word[len(spelt) :]
    return word


def romanisation_key(s: str) -> str:
    """`compact` with Korean romanisation variants folded together.

    "Tae Yong-ho" = "Thae Yong Ho" = "태영호"; "Ri Il-gyu" = "Ri Il Kyu";
    "Kim Jong-un" = "Kim Chong-un" = "Kim Jeong-eun".
    """
    return "".join(_fold_word(word) for word in normalise(s).split())


_LEADING_ARTICLE = re.compile(r"\s*(?:the|an|a)\s+(?=\w)", re.IGNORECASE)


def without_article(s: str) -> str:
    """`s` without a leading "the", "a" or "an" written as a word of its own.

    "The Hague" -> "Hague"; "A/HRC/25/63" and "Gangnam A" keep their "A".
    """
    return _LEADING_ARTICLE.sub("", s, count=1)


@lru_cache(maxsize=4096)  # graders compare one response with many accepted spellings
def answer_key(s: str, *, romanised: bool = False) -> str:
    """The key two texts share when they are the same answer.

    Case, accents, punctuation, spacing and a leading article never matter; with
    `romanised`, Korean romanisation variants do not either (opt-in for graders, as the
    folding would also equate English words such as "Bat" and "Pat").
    """
    stripped = without_article(s)
    return romanisation_key(stripped) if romanised else compact(stripped)


def fold(s: str) -> str:
    """`answer_key` with romanisation folded: the bank generator's cautious comparison
    (it never offers as wrong a text that a romanised item would accept)."""
    return answer_key(s, romanised=True)


def same_answer(first: str, second: str, *, romanised: bool = True) -> bool:
    return answer_key(first, romanised=romanised) == answer_key(second, romanised=romanised)


_FIRST_HANGUL, _LAST_HANGUL = 0xAC00, 0xD7A3


def is_hangul(text: str) -> bool:
    """True when `text` has Hangul syllables (a name to derive spellings from)."""
    return any(_FIRST_HANGUL <= ord(char) <= _LAST_HANGUL for char in text)


def listing_key(s: str) -> str:
    """When two accepted answers are the same entry in a list: the same `answer_key`,
    except that a name in Hangul is never a repeat of a Latin spelling (graders derive
    more spellings from it than its `answer_key` shows)."""
    return ("hangul:" if is_hangul(s) else "") + answer_key(s)


def duplicate_answers(texts: list[str]) -> list[str]:
    """Accepted answers that repeat an earlier one (same `listing_key`), each once: a
    short answer's list and a cloze blank's list are checked alike."""
    seen: set[str] = set()
    repeated: list[str] = []
    for text in texts:
        key = listing_key(text)
        if key in seen and text not in repeated:
            repeated.append(text)
        seen.add(key)
    return repeated


def tokens(s: str) -> list[str]:
    """Normalised words, for finding an answer inside a prompt."""
    return normalise(s).split()


def contains_phrase(haystack: str, needle: str) -> bool:
    """True when the words of `needle` appear, in order and contiguous, in `haystack`
    (romanisation folded word by word: "Thae Yong Ho defected." contains "Tae Yong-ho")."""
    hay = [_fold_word(word) for word in tokens(haystack)]
    words = [_fold_word(word) for word in tokens(without_article(needle))]
    if not words:
        return False
    width = len(words)
    return any(hay[i : i + width] == words for i in range(len(hay) - width + 1))


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance, optimal string alignment variant.

    Insertions, deletions, substitutions and swaps of two neighbouring characters each
    cost 1 ("Tea" -> "Tae" is 1); a swapped pair is not edited again.
    """
    if len(a) < len(b):
        a, b = b, a
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        previous_previous, previous = previous, current
    return previous[-1]


def has_digits(s: str) -> bool:
    return bool(_DIGIT.search(normalise(s)))


def typo_allowance(answer: str) -> int:
    """How many edits a response may be away from `answer` and still count.

    Never any for numbers and years (a wrong digit is a wrong answer), for acronyms (one
    letter names another body: "ICC", "ICJ") or for very short answers; one for up to
    nine letters; two for longer answers.
    """
    if has_digits(answer) or _ACRONYM.fullmatch(without_article(answer).strip()):
        return 0
    letters = sum(char.isalpha() for char in compact(answer))
    if letters < 3:
        return 0
    if letters <= 9:
        return 1
    return 2


_SIGN = r"[+-]?"
_GROUPED_BY_SPACE = re.compile(_SIGN + r"[1-9]\d{0,2}(?: \d{3})+(?:[.,]\d+)?")
_GROUPED_BY_COMMA = re.compile(_SIGN + r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(_SIGN + r"\d+,\d+")
_PLAIN = re.compile(_SIGN + r"(?:\d+\.?\d*|\.\d+)")


def parse_number(s: str) -> float | None:
    """The number a person typed, or None.

    Accepts a Unicode minus, thousands grouped by spaces ("1 822") or commas ("1,822"),
    a decimal point or a decimal comma ("3,5"). A comma followed by exactly three digits
    groups thousands when the groups are well formed ("1,822", "12,345,678"), except
    after a lone 0 ("0,500" is a half); any other single comma is a decimal comma
    ("3,5", "1,8225"). Anything else, including "1,82,2", "1e3", "nan" and numbers too
    big for a float, is None.
    """
    s = " ".join(unicodedata.normalize("NFKC", s).replace("\u2212", "-").split())
    if _GROUPED_BY_SPACE.fullmatch(s):
        s = s.replace(" ", "").replace(",", ".")
    elif _GROUPED_BY_COMMA.fullmatch(s):
        s = s.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(s):
        s = s.replace(",", ".")
    elif not _PLAIN.fullmatch(s):
        return None
    number = float(s)
    return number if math.isfinite(number) else None  # 400 nines overflow to inf


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """Text for a CSV cell that a spreadsheet opens: one that starts like a formula gets a
    leading apostrophe, so that a name such as "=HYPERLINK(...)" shows and never runs."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 item", "2 items", "1,200 reviews": a count with its noun in the right number."""
    word = noun if number == 1 else (plural or noun + "s")
    return f"{number:,} {word}"
