"""GIFT (Moodle) import: `from_gift`; the writer is gift_writer.py, the syntax both share
gift_syntax.py.

Reading follows Moodle's own importer (question/format/gift/format.php): questions are blocks
separated by blank lines, lines are trimmed, `//` lines are comments (`[tag:x]` and `[id:y]`
in them are read), one `{...}` answer block per question decides the type the way Moodle
does. Where Moodle silently guesses, this importer reports an error with the line instead.

Mapping to Quizdeck items (docs/ITEMS.md):
- `{=a ~b}` single; `{~%50%a ~%-100%b}` (no `=`) multi with weights; `{=a -> b}` matching;
  `{T}`/`{FALSE}` truefalse; `{=a =%50%b}` short; `{#...}` numeric.
- Text after the block (missing word): a short answer becomes a cloze with one blank; other
  types keep Moodle's question text with "_____" where the block was.
- `####text` is the explanation, `#text` after an option its `why`; for true/false without
  general feedback the answer feedbacks become the explanation.
- Descriptions (no block) are skipped and reported. Essays (`{}`) are read as essays marked
  out of 1; Quizdeck's own export keeps their word limit, template and rubric in the
  quizdeck comment.
- `[id:y]` is the item key, `[tag:x]` and the `$CATEGORY` path are topics.
- A `// quizdeck: {...}` comment (written by `to_gift`) carries what GIFT has no place for:
  difficulty, sources, fact_ids, a cloze's instruction, a numeric unit, whether a short
  answer or cloze folds romanisation variants (`romanised`). Moodle ignores it.
"""

from __future__ import annotations

import re
from typing import Any

from quizzes.domain import limits

from .common import (
    CLOZE_DEFAULT_PROMPT,
    ImportResult,
    contains_cloze_mark,
    decode_input,
    drop_default_weights,
    new_item,
    parse_number,
    parse_percent,
    percent_text,
    unique,
)
from .gift_meta import _apply_meta, _read_comments
from .gift_syntax import (
    _CONTEXT_PREFIX,
    _FORMAT,
    _RESERVED,
    _TRUE_FALSE,
    _WEIGHT,
    _Block,
    _blocks,
    _decode,
    _formatted,
)


def category_topic(category: str) -> str:
    """The topic a `$CATEGORY` path gives: the path without Moodle's context prefix."""
    return _CONTEXT_PREFIX.sub("", category.strip()).strip("/").strip()


# --- import -------------------------------------------------------------------------------


def from_gift(data: str | bytes) -> ImportResult:
    """Read a GIFT file. Never raises on bad input: problems come back as `errors`."""
    result = ImportResult()
    text = decode_input(data, result)
    if text is None:
        return result
    category_topics: list[str] = []
    keys_seen: dict[str, int] = {}
    for block in _blocks(text):
        if len(block.text) > limits.QUESTION_CHARS:  # the parser is not linear in one block
            result.error(
                block.first_line,
                f"this question has {len(block.text):,} characters; a question with all its "
                f"answers has at most {limits.QUESTION_CHARS:,}. Is a blank line missing?",
            )
            continue
        reserved = next((ln for ln, line in block.content if _RESERVED.search(line)), None)
        if reserved is not None:
            result.error(reserved, "contains a reserved Unicode noncharacter (U+FDD0..U+FDD7)")
            continue
        if block.text.startswith("$CATEGORY:"):
            _read_category(block, result, category_topics)
            continue
        parsed = _Question(block, result).parse()
        if parsed is None:
            continue
        tags, key, meta = _read_comments(block, result)
        item = parsed
        item["key"] = key
        item["topics"] = unique(tags + category_topics)
        _apply_meta(item, meta, block.first_line, result)
        if key and key in keys_seen:
            result.error(block.first_line, f"id '{key}' is already used on line {keys_seen[key]}")
            continue
        if result.add_item(block.first_line, item) and key:
            keys_seen[key] = block.first_line
    return result


def _read_category(block: _Block, result: ImportResult, topics: list[str]) -> None:
    first = block.text.split("\n", 1)[0]
    if len(block.content) > 1:
        result.error(
            block.content[1][0],
            "put a blank line between the $CATEGORY line and the next question",
        )
        return
    category = _decode(first[len("$CATEGORY:") :]).strip()
    if not category:
        result.error(block.first_line, "$CATEGORY has no category name")
        return
    result.categories.append(category)
    topic = category_topic(category)
    topics[:] = [topic] if topic else []


class _Question:
    """Parses one block that is not a category. `parse` returns an item or None."""

    def __init__(self, block: _Block, result: ImportResult) -> None:
        self.block = block
        self.result = result
        self.line = block.first_line
        self.failed = False

    def error(self, offset: int | None, message: str) -> None:
        line = self.line if offset is None else self.block.line_at(offset)
        self.result.error(line, message)
        self.failed = True

    def warn(self, message: str) -> None:
        self.result.warn(self.line, message)

    def parse(self) -> dict[str, Any] | None:
        text = self.block.text
        base = 0
        if text.startswith("::"):
            end = text.find("::", 2)
            if end == -1:
                self.warn("'::' opens a title that is never closed; it was read as text")
                base = 2
            else:
                base = end + 2
                while base < len(text) and text[base].isspace():
                    base += 1
        body = text[base:]
        opening, closing = body.find("{"), body.find("}")
        if opening == -1 and closing == -1:
            self.result.skipped.append(
                (self.line, "a description (text without an answer block) is not a question")
            )
            return None
        if opening == -1 or (closing != -1 and closing < opening):
            self.error(base + closing, "'}' has no opening '{' (write \\} for a literal brace)")
            return None
        closing = body.find("}", opening + 1)
        if closing == -1:
            self.error(
                base + opening,
                "unclosed '{' opened here (a blank line ends the question; write \\{ for a "
                "literal brace)",
            )
            return None
        nested = body.find("{", opening + 1, closing)
        if nested != -1:
            self.error(
                base + nested,
                f"'{{' inside the answer block opened on line {self.block.line_at(base + opening)}"
                " (write \\{ for a literal brace)",
            )
            return None
        after = body[closing + 1 :]
        extra = re.search(r"[{}]", after)
        if extra:
            self.error(
                base + closing + 1 + extra.start(),
                "a second answer block: a GIFT question has one (write \\{ and \\} for literal "
                "braces)",
            )
            return None
        inner_start = base + opening + 1
        inner = body[opening + 1 : closing]
        explanation = ""
        general = inner.rfind("####")
        if general != -1:
            explanation = _formatted(inner[general + 4 :])
            inner = inner[:general]
        answers = inner.strip()
        before = body[:opening]
        missing_word = after != ""
        prompt = before + ("_____" + after if missing_word else "")
        if answers == "":
            kind = "essay"  # GIFT's essay is an empty answer block; its settings, if any,
            # travel in the quizdeck comment (gift_meta._apply_meta)
        elif answers[0] == "#":
            kind = "numeric"
        elif "~" in answers:
            kind = "choice"
        elif "=" in answers and "->" in answers:
            kind = "matching"
        elif _true_false_word(answers) is not None:
            kind = "truefalse"
        else:
            kind = "short"
        item: dict[str, Any] | None
        if kind == "short" and missing_word:
            item = self.cloze(before, after, inner, inner_start)
        else:
            builder = getattr(self, kind)
            item = builder(_formatted(prompt), inner, inner_start)
        if item is None or self.failed:
            return None
        if item["type"] != "truefalse" or explanation:
            if item["explanation"]:
                self.warn(
                    "feedback for right and wrong answers is not kept beside general feedback"
                )
            item["explanation"] = explanation
        return item

    # Each builder gets the (encoded) answer text and its offset in the block.

    def choice(self, prompt: str, inner: str, start: int) -> dict[str, Any] | None:
        lead, pieces = _split(inner, start, "~=")
        if lead.strip():
            self.error(start, f"text {_decode(lead.strip())!r} before the first '~' or '='")
            return None
        single = any(marker == "=" for marker, _, _ in pieces)
        options, lost_weights = [], []
        for marker, piece, offset in pieces:
            weight, rest = self.weight(piece, offset)
            if weight is None and self.failed:
                return None
            text, why = _split_feedback(rest)
            if not text:
                self.error(offset, "an option has no text")
                return None
            if single:
                correct = marker == "="
                if weight is not None and weight != (1.0 if correct else 0.0):
                    lost_weights.append(f"{text!r} ({percent_text(weight)}%)")
                option: dict[str, Any] = {"text": text, "correct": correct}
            else:
                weight = 0.0 if weight is None else weight
                option = {"text": text, "correct": weight > 0, "weight": weight}
            if why:
                option["why"] = why
            options.append(option)
        if single:
            right = sum(o["correct"] for o in options)
            if right > 1:
                self.error(
                    start,
                    f"{right} options are marked right with '='; a single-choice question has "
                    "one (give several right answers weights like ~%50% instead)",
                )
                return None
            if lost_weights:
                self.warn(
                    "a single-choice question scores only its right option; dropped the weights "
                    "of " + ", ".join(lost_weights)
                )
            return new_item("single", prompt, {"options": options})
        if not any(o["correct"] for o in options):
            self.error(start, "no option has a positive weight (mark right options like ~%50%)")
            return None
        if len(options) < 3:
            self.error(
                start,
                f"a multiple-answer question needs at least 3 options, not {len(options)} "
                "(for one right answer mark it with '=')",
            )
            return None
        total = sum(o["weight"] for o in options if o["weight"] > 0)
        if abs(total - 1) > 1e-4:
            self.warn(f"the positive weights add up to {percent_text(total)}%, not 100%")
        drop_default_weights(options)
        return new_item("multi", prompt, {"options": options})

    def matching(self, prompt: str, inner: str, start: int) -> dict[str, Any] | None:
        lead, pieces = _split(inner, start, "=")
        if lead.strip():
            self.error(start, f"text {_decode(lead.strip())!r} before the first '='")
            return None
        pairs, distractors = [], []
        for _, piece, offset in pieces:
            arrow = piece.find("->")
            if arrow == -1:
                self.error(offset, f"matching pair {_decode(piece.strip())!r} has no '->'")
                return None
            left, right = _formatted(piece[:arrow]), _decode(piece[arrow + 2 :]).strip()
            if not right:
                self.error(offset, f"matching pair {left!r} has nothing after '->'")
                return None
            if left:
                pairs.append({"left": left, "right": right})
            else:
                distractors.append(right)
        if len(pairs) < 2:
            self.error(start, f"a matching question needs at least 2 pairs, not {len(pairs)}")
            return None
        return new_item("matching", prompt, {"pairs": pairs, "distractors": distractors})

    def truefalse(self, prompt: str, inner: str, start: int) -> dict[str, Any] | None:
        bits = inner.split("#", 2)
        answer = _true_false_word(bits[0].strip())
        feedback = [_formatted(bit) for bit in bits[1:]]
        item = new_item("truefalse", prompt, {"answer": answer})
        # With no general feedback, what the file says after a wrong and a right answer is the
        # explanation a Quizdeck student sees either way.
        item["explanation"] = "\n\n".join(f for f in feedback if f)
        return item

    def essay(self, prompt: str, inner: str, start: int) -> dict[str, Any] | None:
        return new_item("essay", prompt, {})

    def short(self, prompt: str, inner: str, start: int) -> dict[str, Any] | None:
        answers = self.short_answers(inner, start)
        if answers is None:
            return None
        return new_item("short", prompt, {"answers": answers})

    def cloze(self, before: str, after: str, inner: str, start: int) -> dict[str, Any] | None:
        answers = self.short_answers(inner, start)
        if answers is None:
            return None
        # Trim the outer ends only: the spacing next to the blank belongs to the sentence.
        head = before.lstrip()
        marker = _FORMAT.match(head)
        head = _decode(head[marker.end() :].lstrip() if marker else head)
        tail = _decode(after).rstrip()
        if contains_cloze_mark(head) or contains_cloze_mark(tail):
            self.error(None, "the text contains '{n}', which Quizdeck uses to mark blanks")
            return None
        full = [a["text"] for a in answers if a["fraction"] == 1]
        partial = [
            f"{a['text']!r} ({percent_text(a['fraction'])}%)" for a in answers if a["fraction"] != 1
        ]
        if partial:
            self.warn("a blank takes full-credit answers only; dropped " + ", ".join(partial))
        if not full:
            self.error(start, "no answer gives full credit")
            return None
        data = {"text": f"{head}{{1}}{tail}", "blanks": [{"answers": full}]}
        return new_item("cloze", CLOZE_DEFAULT_PROMPT, data)

    def short_answers(self, inner: str, start: int) -> list[dict[str, Any]] | None:
        lead, pieces = _split(inner, start, "=")
        if lead.strip():
            pieces.insert(0, ("", lead, start))
        answers, with_feedback, wildcard = [], False, False
        for _, piece, offset in pieces:
            weight, rest = self.weight(piece, offset)
            if weight is None and self.failed:
                return None
            text, why = _split_feedback(rest)
            with_feedback = with_feedback or bool(why)
            if text == "*":
                wildcard = True
                continue
            if not text:
                self.error(offset, "an answer is empty")
                return None
            fraction = 1.0 if weight is None else weight
            if not 0 <= fraction <= 1:
                self.error(
                    offset, f"answer {text!r} has weight {percent_text(fraction)}%; use 0..100"
                )
                return None
            answers.append({"text": text, "fraction": fraction})
        if with_feedback:
            self.warn("feedback on individual answers is not kept (short answers have none)")
        if wildcard:
            self.warn("the catch-all answer '*' is not kept")
        if not answers:
            self.error(start, "no answer given")
            return None
        return answers

    def numeric(self, prompt: str, inner: str, start: int) -> dict[str, Any] | None:
        hash_at = inner.index("#")
        body, body_start = inner[hash_at + 1 :], start + hash_at + 1
        wrong = body.find("~")
        if wrong != -1:
            if body[wrong + 1 :].strip():
                self.warn("feedback for wrong answers is not kept (numeric answers have none)")
            body = body[:wrong]
        lead, pieces = _split(body, body_start, "=")
        if lead.strip():
            pieces.insert(0, ("", lead, body_start))
        answers, with_feedback = [], False
        for _, piece, offset in pieces:
            weight, rest = self.weight(piece, offset)
            if weight is None and self.failed:
                return None
            text, why = _split_feedback(rest)
            with_feedback = with_feedback or bool(why)
            fraction = 1.0 if weight is None else weight
            if not 0 <= fraction <= 1:
                self.error(
                    offset, f"answer {text!r} has weight {percent_text(fraction)}%; use 0..100"
                )
                return None
            parsed = self.number_answer(text, offset)
            if parsed is None:
                return None
            value, tolerance = parsed
            answers.append({"value": value, "tolerance": tolerance, "fraction": fraction})
        if with_feedback:
            self.warn("feedback on individual answers is not kept (numeric answers have none)")
        if not answers:
            self.error(start, "a numeric question without a number")
            return None
        return new_item("numeric", prompt, {"answers": answers, "unit": ""})

    def number_answer(self, text: str, offset: int) -> tuple[float, float] | None:
        try:
            if text.find("..") > 0:
                low_text, high_text = text.split("..", 1)
                low, high = parse_number(low_text), parse_number(high_text)
                if low > high:
                    self.error(offset, f"range {text!r} runs from high to low")
                    return None
                value = (low + high) / 2
                return value, high - value
            if text.find(":") > 0:
                value_text, tolerance_text = text.split(":", 1)
                value, tolerance = parse_number(value_text), parse_number(tolerance_text)
                if tolerance < 0:
                    self.error(offset, f"tolerance in {text!r} is negative")
                    return None
                return value, tolerance
            return parse_number(text), 0.0
        except ValueError as exc:
            self.error(offset, f"numeric answer {text!r}: {exc}")
            return None

    def weight(self, piece: str, offset: int) -> tuple[float | None, str]:
        """A leading %w% weight as a fraction (None if absent) and the rest of the piece."""
        stripped = piece.lstrip()
        match = _WEIGHT.match(stripped)
        if not match:
            return None, stripped
        try:
            fraction = parse_percent(match.group(1))
        except ValueError:
            self.error(offset, f"weight {match.group(0)!r} is not a percentage")
            return None, stripped
        if not -1 <= fraction <= 1:
            self.error(offset, f"weight {match.group(0)!r} is outside -100%..100%")
            return None, stripped
        return fraction, stripped[match.end() :]


def _true_false_word(answers: str) -> bool | None:
    hash_at = answers.find("#")
    word = answers[:hash_at].strip() if hash_at > 0 else answers
    return _TRUE_FALSE.get(word)


def _split(text: str, start: int, markers: str) -> tuple[str, list[tuple[str, str, int]]]:
    """Cut `text` at each marker character: the text before the first marker, and for each
    marker (marker, following text, offset of the marker in the block)."""
    positions = [i for i, ch in enumerate(text) if ch in markers]
    if not positions:
        return text, []
    pieces = []
    for n, at in enumerate(positions):
        end = positions[n + 1] if n + 1 < len(positions) else len(text)
        pieces.append((text[at], text[at + 1 : end], start + at))
    return text[: positions[0]], pieces


def _split_feedback(piece: str) -> tuple[str, str]:
    text, _, feedback = piece.partition("#")
    return _formatted(text), _formatted(feedback)
