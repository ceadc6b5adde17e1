"""How the checker reads an item: what a learner sees before answering, its answers and
options, all as folded word sequences so that case, accents, punctuation and Korean
romanisation do not hide a repeat ("Ri Il-gyu" = "Ri Il Kyu", "Tae" = "Thae")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from quizzes.domain.romanisation import name_spellings
from quizzes.domain.text import normalise, romanisation_key

Words = tuple[str, ...]

_BLANK = re.compile(r"\{\d+\}")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_ARTICLES = frozenset({"the", "a", "an"})
# The longest answer phrase the n-gram index looks for; longer answers are compared whole.
MAX_PHRASE_WORDS = 8


# Words repeat across items: fold each one once (a 2,000-item file: 3.5 s -> well under 1 s).
_fold_word = lru_cache(maxsize=65_536)(romanisation_key)


def fold_words(text: str) -> Words:
    """Normalised words, each folded like a romanised Korean syllable; a possessive "'s"
    is dropped, so "Tae Yong-ho's defection" still names "Tae Yong-ho"."""
    return tuple(_fold_word(word) for word in normalise(_POSSESSIVE.sub("", text)).split())


def phrase(text: str) -> Words:
    """An answer as folded words, without a leading article ("the ICC" = "ICC")."""
    words = normalise(_POSSESSIVE.sub("", text)).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return tuple(_fold_word(word) for word in words)


def contains(haystack: Words, needle: Words) -> bool:
    """The needle's words appear in the haystack, in order and contiguous."""
    width = len(needle)
    if not width or width > len(haystack):
        return False
    return any(haystack[i : i + width] == needle for i in range(len(haystack) - width + 1))


def ngrams(segments: Sequence[Words]) -> frozenset[Words]:
    """Every run of up to MAX_PHRASE_WORDS words inside each segment: `answer in ngrams`
    is then one set lookup, which the quiz assembler does for every pair it considers."""
    grams: set[Words] = set()
    for words in segments:
        for start in range(len(words)):
            for end in range(start + 1, min(start + MAX_PHRASE_WORDS, len(words)) + 1):
                grams.add(words[start:end])
    return frozenset(grams)


def number_text(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:.10g}"


def data_of(item: Mapping[str, Any]) -> Mapping[str, Any]:
    data = item.get("data")
    return data if isinstance(data, Mapping) else {}


def type_of(item: Mapping[str, Any]) -> str:
    kind = item.get("type")
    return kind if isinstance(kind, str) else ""


def list_of(value: Any) -> list[Any]:
    """A stored list, or [] for anything else (the checker reads any shape, never raises)."""
    return value if isinstance(value, list) else []


def texts_of(value: Any) -> list[str]:
    return [entry for entry in list_of(value) if isinstance(entry, str)]


def fact_ids_of(item: Mapping[str, Any]) -> list[str]:
    return texts_of(item.get("fact_ids"))


def topics_of(item: Mapping[str, Any]) -> list[str]:
    return texts_of(item.get("topics"))


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    return (
        [entry for entry in value if isinstance(entry, Mapping)] if isinstance(value, list) else []
    )


def stem_segments(item: Mapping[str, Any]) -> list[str]:
    """What the learner reads before answering, apart from the options: the prompt, and a
    cloze's text cut at its blanks (so no phrase runs across a blank)."""
    segments = [prompt_of(item)]
    text = data_of(item).get("text")
    if type_of(item) == "cloze" and isinstance(text, str):
        segments += _BLANK.split(text)
    return [segment for segment in segments if segment.strip()]


def shown_choices(item: Mapping[str, Any]) -> list[str]:
    """Texts the learner reads among an item's choices: options, matching sides, ordering
    entries. Each is a segment of its own, so no phrase runs from one into the next."""
    data, kind = data_of(item), type_of(item)
    if kind in {"single", "multi"}:
        return [text for text, _ in options(item)]
    if kind == "matching":
        pairs = _dicts(data.get("pairs"))
        return [
            str(side) for pair in pairs for side in (pair.get("left"), pair.get("right")) if side
        ]
    if kind == "ordering":
        return [str(entry) for entry in list_of(data.get("items"))]
    return []


def options(item: Mapping[str, Any]) -> list[tuple[str, bool]]:
    """Choice options as (text, correct)."""
    if type_of(item) not in {"single", "multi"}:
        return []
    return [
        (str(option.get("text", "")), option.get("correct") is True)
        for option in _dicts(data_of(item).get("options"))
    ]


def answers(item: Mapping[str, Any]) -> list[str]:
    """The texts that are this item's answer, as a learner would write or pick them.

    True/false, ordering and matching items have no answer phrase: their answer is a
    judgement, an order or a pairing."""
    data, kind = data_of(item), type_of(item)
    if kind in {"single", "multi"}:
        return [text for text, correct in options(item) if correct]
    if kind == "short":
        return [
            str(answer.get("text", ""))
            for answer in _dicts(data.get("answers"))
            if answer.get("fraction", 1.0) == 1.0
        ]
    if kind == "numeric":
        return [
            number_text(answer["value"])
            for answer in _dicts(data.get("answers"))
            if isinstance(answer.get("value"), int | float) and answer.get("fraction", 1.0) == 1.0
        ]
    if kind == "cloze":
        return [
            str(text)
            for blank in _dicts(data.get("blanks"))
            for text in texts_of(blank.get("answers"))
        ]
    return []


def accepted_answers(item: Mapping[str, Any], *, derived: bool = False) -> list[str]:
    """Every full-credit answer as a reviewer reads it, for every type (`flask bank items`);
    with `derived`, also the spellings a short answer's Korean name in Hangul yields."""
    data, kind = data_of(item), type_of(item)
    if kind == "short" and derived:
        listed = answers(item)
        names = [
            spelling
            for answer in _dicts(data.get("answers"))
            if answer.get("fraction", 1.0) == 1.0 and isinstance(answer.get("hangul"), str)
            for spelling in name_spellings(answer["hangul"])
        ]
        return list(dict.fromkeys([*listed, *names]))
    if kind == "truefalse":
        return ["True" if data.get("answer") is True else "False"]
    if kind == "ordering":
        return [" → ".join(str(entry) for entry in list_of(data.get("items")))]
    if kind == "matching":
        return [f"{pair.get('left')} → {pair.get('right')}" for pair in _dicts(data.get("pairs"))]
    if kind == "numeric":
        shown = []
        for answer in _dicts(data.get("answers")):
            if answer.get("fraction", 1.0) != 1.0 or not isinstance(
                answer.get("value"), int | float
            ):
                continue
            tolerance = answer.get("tolerance") or 0
            text = number_text(answer["value"])
            shown.append(f"{text} ± {number_text(tolerance)}" if tolerance else text)
        return shown
    return answers(item)


def prompt_of(item: Mapping[str, Any]) -> str:
    prompt = item.get("prompt")
    return prompt if isinstance(prompt, str) else ""


def asked_field(item: Mapping[str, Any]) -> str | None:
    """The fact field a generated item asks for: "tpl.<kind>.<field>.<type>:<facts>"."""
    key = str(item.get("key", ""))
    template = key.split(":", 1)[0].split(".")
    return template[2] if len(template) == 4 and template[0] == "tpl" else None
