"""GIFT (Moodle) import and export.

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
- Descriptions (no block) and essays (`{}`) are skipped and reported.
- `[id:y]` is the item key, `[tag:x]` and the `$CATEGORY` path are topics.
- A `// quizdeck: {...}` comment (written by `to_gift`) carries what GIFT has no place for:
  difficulty, sources, fact_ids, a cloze's instruction, a numeric unit, whether a short
  answer or cloze folds romanisation variants (`romanised`). Moodle ignores it.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import Any

from quizzes.domain import limits

from .common import (
    CLOZE_DEFAULT_PROMPT,
    DEFAULT_DIFFICULTY,
    ExportIssue,
    ImportResult,
    contains_cloze_mark,
    decode_input,
    drop_default_weights,
    export_problem,
    new_item,
    number_text,
    option_weights,
    parse_number,
    parse_percent,
    percent_text,
    unique,
)

# Escaped characters become Unicode noncharacters (reserved for internal use) while parsing,
# so the parser can look for control characters with plain string searches.
_ESCAPABLE = "\\~=#{}:n"
_PLACEHOLDER = {c: chr(0xFDD0 + i) for i, c in enumerate(_ESCAPABLE)}
_RESTORE = str.maketrans({p: ("\n" if c == "n" else c) for c, p in _PLACEHOLDER.items()})
_ESCAPE_SEQUENCE = re.compile(r"\\([\\~=#{}:n])")
_RESERVED = re.compile("[\ufdd0-\ufdd7]")

_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"%(\s*[-+]?[0-9.]*\s*)%")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_META_PREFIX = "// quizdeck:"
_META_KEYS = {"difficulty", "sources", "fact_ids", "prompt", "unit", "romanised"}
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CONTEXT_PREFIX = re.compile(r"^\$[a-z0-9]+\$/(top/)?|^top/")


def _encode(line: str) -> str:
    return _ESCAPE_SEQUENCE.sub(lambda m: _PLACEHOLDER[m.group(1)], line)


def _decode(text: str) -> str:
    return text.translate(_RESTORE)


def _formatted(text: str) -> str:
    """Moodle's parse_text_with_format: drop a leading [format] marker, decode, trim."""
    text = text.strip()
    marker = _FORMAT.match(text)
    if marker:
        text = text[marker.end() :]
    return _decode(text).strip()


def category_topic(category: str) -> str:
    """The topic a `$CATEGORY` path gives: the path without Moodle's context prefix."""
    return _CONTEXT_PREFIX.sub("", category.strip()).strip("/").strip()


@dataclass
class _Block:
    """One question's lines, comments set apart; `text` has escapes encoded."""

    content: list[tuple[int, str]]
    comments: list[tuple[int, str]]
    text: str = ""
    starts: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        parts, starts, offset = [], [], 0
        for _, line in self.content:
            encoded = _encode(line)
            starts.append(offset)
            parts.append(encoded)
            offset += len(encoded) + 1
        self.text = "\n".join(parts)
        self.starts = tuple(starts)

    @property
    def first_line(self) -> int:
        return self.content[0][0]

    def line_at(self, offset: int) -> int:
        return self.content[bisect.bisect_right(self.starts, offset) - 1][0]


def _blocks(text: str) -> list[_Block]:
    blocks, content, comments = [], [], []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            if content:
                blocks.append(_Block(content, comments))
            content, comments = [], []
        elif line.startswith("//"):
            comments.append((number, line))
        else:
            content.append((number, line))
    if content:
        blocks.append(_Block(content, comments))
    return blocks


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


def _read_comments(block: _Block, result: ImportResult) -> tuple[list[str], str, dict[str, Any]]:
    comment_text = "\n".join(line for _, line in block.comments)
    tags = [m.group(1).replace("\\]", "]").strip() for m in _TAG.finditer(comment_text)]
    id_match = _ID.search(comment_text)
    key = id_match.group(1).replace("\\]", "]").strip() if id_match else ""
    meta: dict[str, Any] = {}
    for number, line in block.comments:
        if not line.startswith(_META_PREFIX):
            continue
        try:
            loaded = json.loads(line[len(_META_PREFIX) :])
        except ValueError:
            loaded = None
        if not isinstance(loaded, dict):
            result.warn(number, "the quizdeck comment is not a JSON object; it was ignored")
            continue
        meta.update(loaded)
    return [t for t in tags if t], key, meta


def _apply_meta(
    item: dict[str, Any], meta: dict[str, Any], line: int, result: ImportResult
) -> None:
    """Put back what `to_gift` stored in the quizdeck comment; a value that does not fit is
    reported and left out rather than rejecting a good question over a comment."""
    ignored = sorted(set(meta) - _META_KEYS)
    difficulty = meta.get("difficulty", DEFAULT_DIFFICULTY)
    if _is_fraction(difficulty):
        item["difficulty"] = difficulty
    else:
        ignored.append("difficulty")
    for name in ("sources", "fact_ids"):
        value = meta.get(name, [])
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            item[name] = value
        else:
            ignored.append(name)
    for name, item_type in (("prompt", "cloze"), ("unit", "numeric")):
        if name not in meta:
            continue
        if item["type"] != item_type or not isinstance(meta[name], str):
            ignored.append(name)
        elif name == "prompt":
            item["prompt"] = meta[name]
        else:
            item["data"]["unit"] = meta[name]
    if "romanised" in meta:
        if item["type"] in ("short", "cloze") and isinstance(meta["romanised"], bool):
            item["data"]["romanised"] = meta["romanised"]
        else:
            ignored.append("romanised")
    if ignored:
        result.warn(line, "ignored field(s) of the quizdeck comment: " + ", ".join(ignored))


def _is_fraction(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and 0 <= value <= 1  # false for NaN
    )


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
            self.result.skipped.append((self.line, "an essay question has no answer to check"))
            return None
        if answers[0] == "#":
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


# --- export -------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """GIFT text: control characters escaped, line breaks as \\n, so it fits on one line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in text:
        if ch in "\\~=#{}:":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)


def _guarded(text: str) -> str:
    """Escaped text that the reader will not mistake for a weight or a format marker."""
    escaped = _escape(text.strip())
    if escaped.startswith("%") or _FORMAT.match(escaped):
        return "[markdown]" + escaped
    return escaped


def _comment_safe(value: str, pattern: re.Pattern[str], name: str) -> str:
    token = f"[{name}:{value.replace(']', chr(92) + ']')}]"
    match = pattern.fullmatch(token)
    if not match or match.group(1).replace("\\]", "]").strip() != value:
        raise ValueError
    return token


def to_gift(
    items: list[dict[str, Any]], category: str | None = None
) -> tuple[str, list[ExportIssue]]:
    """Write items as GIFT. Returns the text and the issues: items GIFT cannot hold
    (ordering, clozes with several blanks...) are left out and reported as dropped."""
    if category is not None and ("\n" in category or "\r" in category or not category.strip()):
        raise ValueError("category must be one non-empty line")
    issues: list[ExportIssue] = []
    blocks = []
    if category is not None:
        blocks.append(f"$CATEGORY: {category.strip()}")
    for index, item in enumerate(items):
        key = item.get("key", "") if isinstance(item, dict) else ""
        key = key if isinstance(key, str) else ""
        problem = export_problem(item)
        if problem:
            issues.append(ExportIssue(index, key, problem, True))
            continue
        try:
            blocks.append(_write_item(item, index, issues))
        except _Unexportable as exc:
            issues.append(ExportIssue(index, key, str(exc), True))
    text = "\n\n".join(blocks)
    return (text + "\n" if text else ""), issues


class _Unexportable(Exception):
    pass


def _write_item(item: dict[str, Any], index: int, issues: list[ExportIssue]) -> str:
    lines = []
    key = item["key"]
    if key:
        try:
            lines.append("// " + _comment_safe(key, _ID, "id"))
        except ValueError:
            raise _Unexportable(f"the key {key!r} cannot be written in a GIFT comment") from None
    tags = []
    for topic in item["topics"]:
        try:
            tags.append(_comment_safe(topic, _TAG, "tag"))
        except ValueError:
            issues.append(
                ExportIssue(index, key, f"topic {topic!r} cannot be a GIFT tag; left out", False)
            )
    if tags:
        lines.append("// " + " ".join(tags))
    meta: dict[str, Any] = {}
    if item["difficulty"] != DEFAULT_DIFFICULTY:
        meta["difficulty"] = item["difficulty"]
    for name in ("sources", "fact_ids"):
        if item[name]:
            meta[name] = item[name]
    writer = _WRITERS[item["type"]]
    question = writer(item, meta, index, issues)
    if meta:
        lines.append(_META_PREFIX + " " + json.dumps(meta, ensure_ascii=False, sort_keys=True))
    lines.append(question)
    return "\n".join(lines)


def _general(item: dict[str, Any]) -> list[str]:
    explanation = item["explanation"].strip()
    return [f"\t####{_guarded(explanation)}"] if explanation else []


def _block(prompt: str, answers: list[str], item: dict[str, Any]) -> str:
    inner = answers + _general(item)
    return f"[markdown]{_escape(prompt.strip())}{{\n" + "\n".join(inner) + "\n}"


def _no_arrow(texts: list[str], what: str) -> None:
    for text in texts:
        if "->" in text:
            raise _Unexportable(f"{what} {text!r} contains '->', which GIFT reads as matching")


def _write_choice(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    options = item["data"]["options"]
    lines = []
    if item["type"] == "single":
        for option in options:
            lines.append(_option_line("=" if option["correct"] else "~", option))
    else:
        explicit = any("weight" in o for o in options)
        for option, weight in zip(options, option_weights(options), strict=True):
            # Default weights are written the way Moodle lists grades (33.33333%); reading
            # recognises them as defaults again. Explicit weights are written exactly.
            shown = percent_text(weight) if explicit else _moodle_percent(weight)
            lines.append(_option_line("~" if weight == 0 else f"~%{shown}%", option))
    return _block(item["prompt"], lines, item)


def _moodle_percent(fraction: float) -> str:
    return f"{fraction * 100:.5f}".rstrip("0").rstrip(".")


def _option_line(marker: str, option: dict[str, Any]) -> str:
    line = f"\t{marker}{_guarded(option['text'])}"
    why = option.get("why", "").strip()
    return line + (f"#{_guarded(why)}" if why else "")


def _write_truefalse(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    word = "TRUE" if item["data"]["answer"] else "FALSE"
    explanation = item["explanation"].strip()
    general = f"####{_guarded(explanation)}" if explanation else ""
    return f"[markdown]{_escape(item['prompt'].strip())}{{{word}{general}}}"


def _short_lines(answers: list[dict[str, Any]]) -> list[str]:
    lines = []
    for answer in answers:
        if answer["text"].strip() == "*":
            raise _Unexportable("the answer '*' would read back as Moodle's catch-all")
        weight = "" if answer["fraction"] == 1 else f"%{percent_text(answer['fraction'])}%"
        lines.append(f"\t={weight}{_guarded(answer['text'])}")
    return lines


def _keep_romanised(data: dict[str, Any], meta: dict[str, Any]) -> None:
    # GIFT answers have no grading options; the flag travels in the quizdeck comment.
    if "romanised" in data:
        meta["romanised"] = data["romanised"]


def _write_short(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    answers = item["data"]["answers"]
    _keep_romanised(item["data"], meta)
    _no_arrow([a["text"] for a in answers], "answer")
    return _block(item["prompt"], _short_lines(answers), item)


def _write_numeric(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    if item["data"]["unit"]:
        meta["unit"] = item["data"]["unit"]
    lines = []
    for answer in item["data"]["answers"]:
        weight = "" if answer["fraction"] == 1 else f"%{percent_text(answer['fraction'])}%"
        lines.append(
            f"\t={weight}{number_text(answer['value'])}:{number_text(answer['tolerance'])}"
        )
    prompt, answers_inner = item["prompt"], ["#"] + lines
    inner = answers_inner + _general(item)
    return f"[markdown]{_escape(prompt.strip())}{{" + "\n".join(inner) + "\n}"


def _write_matching(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    pairs, distractors = item["data"]["pairs"], item["data"]["distractors"]
    _no_arrow([p["left"] for p in pairs], "left-hand text")
    lines = [f"\t={_guarded(p['left'])} -> {_escape(p['right'].strip())}" for p in pairs]
    lines += [f"\t= -> {_escape(d.strip())}" for d in distractors]
    return _block(item["prompt"], lines, item)


def _write_cloze(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    text, blanks = item["data"]["text"], item["data"]["blanks"]
    if len(blanks) != 1:
        raise _Unexportable(f"GIFT has one blank per question; this cloze has {len(blanks)}")
    answers = [{"text": a, "fraction": 1.0} for a in blanks[0]["answers"]]
    _no_arrow(blanks[0]["answers"], "answer")
    _keep_romanised(item["data"], meta)
    head, _, tail = text.partition("{1}")
    prompt = item["prompt"]
    if tail.strip():
        if prompt != CLOZE_DEFAULT_PROMPT:
            meta["prompt"] = prompt
        inner = _short_lines(answers) + _general(item)
        # Keep the spaces around the blank: they are part of the sentence.
        return (
            f"[markdown]{_escape(head.lstrip())}{{\n"
            + "\n".join(inner)
            + "\n}"
            + _escape(tail.rstrip())
        )
    issues.append(
        ExportIssue(
            index,
            item["key"],
            "written as a short-answer question: GIFT cannot put a blank at the very end",
            False,
        )
    )
    return _block(f"{head}_____", _short_lines(answers), item)


def _write_ordering(item: dict[str, Any], meta: dict[str, Any], index: int, issues: list) -> str:
    raise _Unexportable("GIFT has no ordering questions")


_WRITERS = {
    "single": _write_choice,
    "multi": _write_choice,
    "truefalse": _write_truefalse,
    "short": _write_short,
    "numeric": _write_numeric,
    "matching": _write_matching,
    "cloze": _write_cloze,
    "ordering": _write_ordering,
}
