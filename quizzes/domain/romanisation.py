"""Latin spellings of a Korean name written in Hangul.

The bank keeps Korean names in Hangul (quizzes/bank/data/people.toml) and derives the
spellings a reader may meet: Revised Romanization and McCune-Reischauer, both from the
ko-pron library (a port of Wiktionary's ko-pron module), syllable by syllable as personal
names are written, plus the customary spellings of common surnames, which follow no
system ("Lee", "Park", "Rhee"). Graders compare a typed name with these spellings through
`quizzes.domain.text.answer_key(..., romanised=True)`.
"""

from __future__ import annotations

from functools import lru_cache

from ko_pron import romanise

_FIRST_SYLLABLE, _LAST_SYLLABLE = 0xAC00, 0xD7A3

# Customary surname spellings. 이/리 and 류/유 are the same surnames written with the
# South's and the North's initial-sound rule, so they share their spellings.
_SURNAMES: dict[str, tuple[str, ...]] = {
    "이": ("Lee", "Yi", "Rhee", "Ri", "Li", "I"),
    "류": ("Ryu", "Yu", "Yoo", "Ryoo", "Rhyu"),
    "박": ("Park", "Pak", "Bak"),
    "조": ("Jo", "Cho"),
    "김": ("Kim", "Gim"),
    "정": ("Jung", "Jeong", "Chung", "Chong"),
    "최": ("Choi", "Choe"),
    "강": ("Kang", "Gang"),
    "윤": ("Yoon", "Yun"),
    "장": ("Jang", "Chang"),
    "임": ("Lim", "Im", "Rim"),
    "신": ("Shin", "Sin"),
    "오": ("Oh", "O"),
    "노": ("Roh", "No", "Ro"),
    "태": ("Tae", "Thae"),
}
_SURNAMES["리"] = _SURNAMES["이"]
_SURNAMES["유"] = _SURNAMES["류"]
_SURNAMES["림"] = _SURNAMES["임"]
_SURNAMES["로"] = _SURNAMES["노"]

_SYSTEMS = ("rr", "mr")  # Revised Romanization, McCune-Reischauer


@lru_cache(maxsize=512)
def name_spellings(hangul: str) -> tuple[str, ...]:
    """Spellings of a Korean personal name written in Hangul ("리일규" -> "Ri Il-gyu",
    "Ri Il-kyu", "Lee Il-gyu", "Yi Il-kyu", ...), surname first, given name hyphenated.

    Only a name of two to four syllables with no other characters is treated as a personal
    name (surname = first syllable); any other Hangul text gets its two system spellings.
    """
    text = "".join(hangul.split())
    if not text or not all(_FIRST_SYLLABLE <= ord(char) <= _LAST_SYLLABLE for char in text):
        return ()
    if not 2 <= len(text) <= 4:
        return tuple(dict.fromkeys(_capitalised(_syllables(text, system)) for system in _SYSTEMS))
    surname, given = text[0], text[1:]
    surnames = [_capitalised(romanise(surname, system)) for system in _SYSTEMS]
    surnames += _SURNAMES.get(surname, ())
    givens = [_capitalised("-".join(_syllables(given, system))) for system in _SYSTEMS]
    spellings = [f"{family} {first}" for family in dict.fromkeys(surnames) for first in givens]
    return tuple(dict.fromkeys(spellings))


def _syllables(text: str, system: str) -> list[str]:
    # One syllable at a time: names are not subject to the sound changes between
    # syllables that ko-pron applies to words ("일규" is "Il-gyu", not "Ilkyu").
    return [romanise(char, system) for char in text]


def _capitalised(text: str | list[str]) -> str:
    joined = "-".join(text) if isinstance(text, list) else text
    return joined[:1].upper() + joined[1:]
