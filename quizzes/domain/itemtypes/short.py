"""Short answer: typed text, graded tolerantly but never across a real difference.

A response matches an accepted answer when they have the same `answer_key` (case, accents,
punctuation, spacing, a leading article; with the item's `romanised`, Korean romanisation
variants). An answer written in Hangul also accepts the spellings derived from it
(quizzes.domain.romanisation), with a note naming the spelling the course uses. Failing
that, a small typo is forgiven (see `typo_allowance`: never in numbers, years or
acronyms), and never across a token that tells answers apart: a letter or number standing
alone ("Gangnam A" / "Gangnam B" / "Gangnam"), a contrast word ("North" / "South"), a word
of another listed answer, or in a name a syllable changed by two edits ("Kwang-il" for
"Kwang-ho"). An exact match always wins over a forgiven typo, and among typos the nearest
answer wins (the lower fraction on a tie, then a listed spelling over a derived one), so a
listed wrong answer ("Iraq", fraction 0) and its typos are not mistaken for typos of the
right one ("Iran"). `flask bank grade` shows a reviewer how any answer is graded.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from random import Random
from typing import Any

from quizzes.domain import flashcard
from quizzes.domain.itemtypes import schema
from quizzes.domain.itemtypes.base import (
    CARRIED,
    NO_ANSWER,
    FormatSupport,
    Grade,
    check_prompt,
    first_text,
    is_number,
    is_text,
    list_of_dicts,
    no_card_cloze,
    no_card_front,
    no_choice_list,
    no_key_options,
    not_carried,
    prompt_as_listed,
)
from quizzes.domain.romanisation import name_spellings
from quizzes.domain.text import (
    answer_key,
    compact,
    duplicate_answers,
    edit_distance,
    has_digits,
    is_hangul,
    normalise,
    typo_allowance,
    without_article,
)

# Words that turn one answer into another ("North Korea" / "South Korea", "Third" /
# "Fourth Committee"); a typo is never forgiven when it brings one in.
CONTRAST_WORDS = frozenset(
    "north south east west northern southern eastern western upper lower left right "
    "first second third fourth fifth sixth seventh eighth ninth tenth "
    "deputy acting vice former".split()
)


@dataclass(frozen=True)
class _Form:
    """One accepted spelling: a listed answer, or a spelling derived from one in Hangul."""

    text: str
    fraction: float
    listed: str  # the listed answer it stands for
    derived: bool = False


def grade_text(
    response: str,
    answers: Sequence[tuple[str, float]],
    *,
    romanised: bool = False,
    hangul: Mapping[str, str] | None = None,
) -> Grade:
    """Grade typed text against (accepted text, fraction) pairs; shared with cloze blanks.

    `romanised` (the item's `"romanised": true`) folds Korean romanisation variants; it is
    opt-in because the folding would also equate English words such as "Bat" and "Pat".
    `hangul` gives a listed answer's name in Hangul; an answer written in Hangul is its own.
    """
    if not compact(response):
        return NO_ANSWER
    forms = _forms(answers, hangul or {})
    listed = [form for form in forms if not form.derived]
    exact = [form.fraction for form in listed if _same(response, form, romanised)]
    if exact:
        return Grade.of(max(exact))
    derived = [form for form in forms if form.derived and _same(response, form, romanised)]
    if derived:
        best = max(derived, key=lambda form: form.fraction)
        return Grade.of(best.fraction, notes=(_variant_note(best, answers),), variant_accepted=True)
    if has_digits(response):
        return Grade.of(0.0)  # a wrong digit is a wrong answer, never a typo
    close = [
        (distance, form.fraction, form.text, form)
        for form in forms
        if (distance := _typo_distance(response, form, romanised, answers)) is not None
    ]
    if not close:
        return Grade.of(0.0)
    # The nearest answer wins; a tie goes to the lower fraction, never forgiving a
    # response that is as close to a listed wrong answer as to the right one.
    _, fraction, text, form = min(close, key=lambda entry: (*entry[:2], entry[3].derived, entry[2]))
    if fraction == 0:
        return Grade.of(0.0)
    notes = (f"Accepted with a small typo; the spelling is '{text}'.",)
    if form.derived:
        notes += (_variant_note(form, answers),)
    return Grade.of(fraction, typo_forgiven=True, notes=notes, variant_accepted=form.derived)


def _forms(answers: Sequence[tuple[str, float]], hangul: Mapping[str, str]) -> list[_Form]:
    forms = [_Form(text, fraction, text) for text, fraction in answers]
    for text, fraction in answers:
        name = hangul.get(text) or (text if is_hangul(text) else "")
        forms += [_Form(s, fraction, name, derived=True) for s in name_spellings(name)]
    return forms


def _variant_note(form: _Form, answers: Sequence[tuple[str, float]]) -> str:
    """Names the spelling the item lists first (in Latin letters) beside the Hangul."""
    shown = next(
        (text for text, fraction in answers if fraction == form.fraction and not is_hangul(text)),
        form.listed,
    )
    if shown == form.listed:
        return f"Accepted as a spelling of {form.listed}."
    return f"Accepted as another spelling of {shown} ({form.listed}); this course writes {shown}."


def _same(response: str, form: _Form, romanised: bool) -> bool:
    if answer_key(response) == answer_key(form.text):
        return True
    fold = romanised or form.derived
    return fold and answer_key(response, romanised=True) == answer_key(form.text, romanised=True)


def _typo_distance(
    response: str, form: _Form, romanised: bool, answers: Sequence[tuple[str, float]]
) -> int | None:
    """Edits between response and answer when within the answer's typo allowance and no
    token that tells answers apart differs."""
    allowance = typo_allowance(form.text)
    fold = romanised or form.derived
    typed, wanted = answer_key(response, romanised=fold), answer_key(form.text, romanised=fold)
    if allowance == 0 or abs(len(typed) - len(wanted)) > allowance:
        return None  # the length check spares an edit distance on long garbage
    distance = edit_distance(typed, wanted)
    if distance > allowance or tells_apart(response, form.text, [t for t, _ in answers]):
        return None
    if fold and _syllable_swapped(response, form.text):
        return None
    return distance


def _syllable_swapped(response: str, name: str) -> bool:
    """In a name each word is a syllable: two edits in one ("Kwang-il" for "Kwang-ho")
    make another name, not a typo."""
    typed = [answer_key(word, romanised=True) for word in _words(response)]
    wanted = [answer_key(word, romanised=True) for word in _words(name)]
    return len(typed) == len(wanted) and any(
        edit_distance(a, b) > 1 for a, b in zip(typed, wanted, strict=True)
    )


def _words(text: str) -> list[str]:
    return normalise(without_article(text)).split()


def tells_apart(response: str, answer: str, listed: Sequence[str] = ()) -> bool:
    """True when `response` differs from `answer` in a token that distinguishes answers:
    a letter or number standing alone, a contrast word it brings in, or a word of another
    listed answer that `answer` lacks. Such a difference is never a typo."""
    typed, wanted = _words(response), _words(answer)
    if sorted(w for w in typed if len(w) == 1 or has_digits(w)) != sorted(
        w for w in wanted if len(w) == 1 or has_digits(w)
    ):
        return True
    if (set(typed) - set(wanted)) & CONTRAST_WORDS:
        return True
    others = {w for text in listed if text != answer for w in _words(text)}
    return bool((set(typed) - set(wanted)) & (others - set(wanted)))


NAME = "short"
LABEL = "Short answer"
HINT = "Students type a word or phrase; list the spellings you accept."
PROMPT_REQUIRED = True
BASE_DIFFICULTY = 0.6
FREE_PARTS = None
# A well-formed question of this type, for tests and documentation.
EXAMPLE: tuple[str, dict] = (
    "Who was deputy ambassador in London?",
    {"answers": [{"text": "Tae Yong-ho", "fraction": 1}, {"text": "Thae Yong Ho", "fraction": 1}]},
)
FORMATS: dict[str, FormatSupport] = {
    "gift": CARRIED,
    "aiken": not_carried("Aiken holds single-choice questions only, not short-answer ones"),
    "csv": CARRIED,
    "json": CARRIED,
    "apkg": CARRIED,
    "moodle": CARRIED,
    "qti": CARRIED,
    "cc": CARRIED,
}
card_cloze = no_card_cloze  # an exported card is a Basic note (card_front)
listed_prompt = prompt_as_listed
card_front = no_card_front
choice_list = no_choice_list
key_options = no_key_options


def check_data(data: dict) -> list[str]:
    problems = schema.keys(data, "data", {"answers"}, {"romanised"}) + schema.romanised(data)
    answers = schema.answer_list(data)
    if answers is None:
        return problems + ["'answers' must be a list of at least one answer"]
    for n, answer in enumerate(answers, 1):
        problems.extend(schema.keys(answer, f"answer {n}", {"text", "fraction"}, {"hangul"}))
        if not isinstance(answer.get("text"), str) or not answer["text"].strip():
            problems.append(f"answer {n} is empty")
        if "hangul" in answer and not is_hangul(str(answer["hangul"])):  # a bank name's Hangul
            problems.append(f"answer {n}: 'hangul' must be a name written in Hangul")
    return problems or schema.fractions(answers)


def validate(prompt: str, data: Any) -> list[str]:
    problems = check_prompt(prompt)
    answers = list_of_dicts(data, "answers")
    if not answers:
        return [*problems, "A short-answer item needs at least one answer"]
    texts = [answer.get("text") for answer in answers]
    if not all(is_text(text) and compact(text) for text in texts):
        problems.append("Every answer needs letters or digits")
    for text in duplicate_answers([text for text in texts if is_text(text)]):
        problems.append(f"The answer '{text}' is listed twice")
    fractions = [answer.get("fraction", 1.0) for answer in answers]
    if not all(is_number(fraction) and 0 <= fraction <= 1 for fraction in fractions):
        problems.append("Answer fractions must be numbers between 0 and 1")
    elif 1 not in fractions:
        problems.append("A short-answer item needs an answer worth full marks")
    return problems


def present(data: dict, rng: Random) -> tuple[dict, dict]:
    answers = [
        {"text": answer["text"], "fraction": float(answer.get("fraction", 1.0))}
        | ({"hangul": answer["hangul"]} if is_text(answer.get("hangul")) else {})
        for answer in data["answers"]
    ]
    return {}, {"answers": answers, "romanised": bool(data.get("romanised", False))}


def hangul_listed(data: dict) -> dict:
    """The data with each answer's `hangul` listed as an answer of its own, for editors and
    file formats that carry answer texts only. Grading is the same: an answer written in
    Hangul derives the same spellings, with the same note."""
    answers = data.get("answers")
    if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
        return data
    listed = [{name: value for name, value in a.items() if name != "hangul"} for a in answers]
    texts = {a.get("text") for a in listed}
    for answer in answers:
        hangul = answer.get("hangul")
        if is_text(hangul) and hangul not in texts:
            fraction = {"fraction": answer["fraction"]} if "fraction" in answer else {}
            listed.append({"text": hangul, **fraction})
            texts.add(hangul)
    return {**data, "answers": listed}


def parse_response(view: dict, form: Any) -> str | None:
    return first_text(form, "answer")


def grade(view: dict, key: dict, response: Any) -> Grade:
    if not isinstance(response, str):
        return NO_ANSWER
    answers = [(answer["text"], answer["fraction"]) for answer in key["answers"]]
    hangul = {answer["text"]: answer["hangul"] for answer in key["answers"] if "hangul" in answer}
    return grade_text(response, answers, romanised=key.get("romanised", False), hangul=hangul)


def describe_key(view: dict, key: dict) -> str:
    """The canonical answer, then any other answers worth full marks."""
    full = [answer["text"] for answer in key["answers"] if answer["fraction"] == 1]
    if len(full) == 1:
        return full[0]
    return f"{full[0]} (also accepted: {', '.join(full[1:])})"


def describe_response(view: dict, response: Any) -> str:
    return response if isinstance(response, str) and response.strip() else "No answer"


def counted_answer(view: dict, response: Any) -> tuple[str, ...]:
    """The text typed, as item analysis counts it."""
    return (describe_response(view, response),) if response is not None else ()


def flashcards(item: Mapping[str, Any], common: dict[str, Any]) -> list[flashcard.Flashcard]:
    """One card, prompt -> the canonical answer (and the others accepted), typed as here."""
    data = item["data"]
    full = [a["text"] for a in data["answers"] if a.get("fraction", 1.0) == 1]
    others = [a["text"] for a in data["answers"] if a.get("fraction", 1.0) != 1]
    back = full[0] if len(full) == 1 else f"{full[0]} (also accepted: {', '.join(full[1:])})"
    too_long = any(len(a) > flashcard.MAX_TYPED_ANSWER for a in full + others)
    return [
        flashcard.Flashcard(
            f"item:{item['key']}",
            flashcard.CardKind.BASIC,
            item.get("prompt", ""),
            back,
            typed=None if too_long else (NAME, data),
            **common,
        )
    ]
