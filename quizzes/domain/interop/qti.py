"""QTI 2.1 assessment items (`qti_item`): one question as IMS QTI 2.1 XML.

One writer per type that FORMATS declares carried for "qti". Scoring is written out in
response processing (not a template) so that an LMS scores as Quizdeck does where QTI can
say it: a multiple response by its weights, a short answer by its fractions (compared
without case; Quizdeck's typo allowance and romanisation are Quizdeck's own), a number
within its tolerance, a matching item per pair, a cloze per blank. Each option's "why" and
the item's explanation are modal feedback shown after answering. The whole package (test,
manifest, zip) is qti_package.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection
from typing import Any

from quizzes.domain.itemtypes.multi import default_weights

from .package_media import alt_text, place_qti_images

NAMESPACE = "http://www.imsglobal.org/xsd/imsqti_v2p1"
SCHEMA_LOCATION = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1p2.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Characters XML 1.0 cannot hold at all (controls other than tab and newlines, lone surrogates).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BLANK = re.compile(r"\{(\d{1,4})\}")
EXPLANATION = "EXPLANATION"  # the feedback identifier of an item's explanation


def clean(text: Any) -> str:
    """Text as XML 1.0 can carry it."""
    return _NOT_XML.sub("", str(text))


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        element.text = clean(text)
    return element


def paragraphs(parent: ET.Element, text: str) -> None:
    """Prompt text as paragraphs (blank lines part them; Markdown is kept as written)."""
    for block in re.split(r"\n\s*\n", clean(text).strip()):
        if block.strip():
            sub(parent, "p", block.strip())


def number(value: float) -> str:
    return repr(float(value))


# -- declarations and response processing shared by the types ---------------------------


def _item(identifier: str, title: str, key: str) -> ET.Element:
    root = ET.Element(
        "assessmentItem",
        {
            "xmlns": NAMESPACE,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{NAMESPACE} {SCHEMA_LOCATION}",
            "identifier": identifier,
            "title": clean(title)[:200] or identifier,
            "label": clean(key)[:256],
            "adaptive": "false",
            "timeDependent": "false",
        },
    )
    return root


def _response(
    root: ET.Element, identifier: str, cardinality: str, base_type: str, correct: list[str]
) -> ET.Element:
    declaration = sub(
        root,
        "responseDeclaration",
        identifier=identifier,
        cardinality=cardinality,
        baseType=base_type,
    )
    values = sub(declaration, "correctResponse")
    for value in correct:
        sub(values, "value", value)
    return declaration


def _mapping(
    declaration: ET.Element,
    entries: list[tuple[str, float]],
    *,
    upper: float | None = 1.0,
    case_sensitive: bool = True,
) -> None:
    attrs = {"lowerBound": "0", "defaultValue": "0"}
    if upper is not None:
        attrs["upperBound"] = number(upper)
    mapping = sub(declaration, "mapping", **attrs)
    for key, value in entries:
        sub(
            mapping,
            "mapEntry",
            mapKey=clean(key),
            mappedValue=number(value),
            caseSensitive="true" if case_sensitive else "false",
        )


def _outcomes(root: ET.Element) -> None:
    score = sub(
        root,
        "outcomeDeclaration",
        identifier="SCORE",
        cardinality="single",
        baseType="float",
        normalMaximum="1",
    )
    sub(sub(score, "defaultValue"), "value", "0")
    sub(
        root,
        "outcomeDeclaration",
        identifier="FEEDBACK",
        cardinality="multiple",
        baseType="identifier",
    )


def _set_score(parent: ET.Element, expression: ET.Element) -> None:
    setter = sub(parent, "setOutcomeValue", identifier="SCORE")
    setter.append(expression)


def _value(base_type: str, text: str) -> ET.Element:
    element = ET.Element("baseValue", {"baseType": base_type})
    element.text = text
    return element


def _variable(identifier: str) -> ET.Element:
    return ET.Element("variable", {"identifier": identifier})


def _map_response(identifier: str) -> ET.Element:
    return ET.Element("mapResponse", {"identifier": identifier})


def _match_correct(identifier: str) -> ET.Element:
    match = ET.Element("match")
    match.append(_variable(identifier))
    match.append(ET.Element("correct", {"identifier": identifier}))
    return match


def _all_or_nothing(processing: ET.Element, identifier: str) -> None:
    condition = sub(processing, "responseCondition")
    branch = sub(condition, "responseIf")
    branch.append(_match_correct(identifier))
    _set_score(branch, _value("float", "1"))
    _set_score(sub(condition, "responseElse"), _value("float", "0"))


def _feedback(
    root: ET.Element,
    processing: ET.Element,
    item: dict,
    whys: dict[str, str],
    chosen: str | None,
) -> None:
    """Show the chosen options' "why" and the explanation after answering: FEEDBACK holds
    the chosen identifiers (when `chosen` names the response) and EXPLANATION."""
    explanation = (item.get("explanation") or "").strip()
    if not explanation and not whys:
        return
    setter = sub(processing, "setOutcomeValue", identifier="FEEDBACK")
    shown = sub(setter, "multiple")
    if chosen and whys:
        shown.append(_variable(chosen))
    shown.append(_value("identifier", EXPLANATION))
    for identifier, why in whys.items():
        modal = sub(
            root,
            "modalFeedback",
            outcomeIdentifier="FEEDBACK",
            showHide="show",
            identifier=identifier,
        )
        modal.text = clean(why)
    if explanation:
        modal = sub(
            root,
            "modalFeedback",
            outcomeIdentifier="FEEDBACK",
            showHide="show",
            identifier=EXPLANATION,
        )
        modal.text = clean(explanation)


# -- one writer per type ------------------------------------------------------------------


def _choice_ids(count: int) -> list[str]:
    return [f"C{n}" for n in range(1, count + 1)]


def _choices(root: ET.Element, item: dict, *, multi: bool) -> None:
    options = item["data"]["options"]
    ids = _choice_ids(len(options))
    right = [i for i, option in zip(ids, options, strict=True) if option.get("correct")]
    declaration = _response(
        root, "RESPONSE", "multiple" if multi else "single", "identifier", right
    )
    if multi:
        weights = default_weights(options)
        _mapping(declaration, list(zip(ids, weights, strict=True)))
    _outcomes(root)
    body = sub(root, "itemBody")
    interaction = sub(
        body,
        "choiceInteraction",
        responseIdentifier="RESPONSE",
        shuffle="true",
        maxChoices="0" if multi else "1",
    )
    sub(interaction, "prompt", item["prompt"])
    for identifier, option in zip(ids, options, strict=True):
        sub(interaction, "simpleChoice", option["text"], identifier=identifier)
    processing = sub(root, "responseProcessing")
    if multi:
        _set_score(processing, _map_response("RESPONSE"))
    else:
        _all_or_nothing(processing, "RESPONSE")
    whys = {i: o["why"] for i, o in zip(ids, options, strict=True) if (o.get("why") or "").strip()}
    _feedback(root, processing, item, whys, "RESPONSE")


def _single(root: ET.Element, item: dict) -> None:
    _choices(root, item, multi=False)


def _multi(root: ET.Element, item: dict) -> None:
    _choices(root, item, multi=True)


def _truefalse(root: ET.Element, item: dict) -> None:
    _response(
        root, "RESPONSE", "single", "identifier", ["TRUE" if item["data"]["answer"] else "FALSE"]
    )
    _outcomes(root)
    body = sub(root, "itemBody")
    interaction = sub(
        body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="false", maxChoices="1"
    )
    sub(interaction, "prompt", item["prompt"])
    sub(interaction, "simpleChoice", "True", identifier="TRUE")
    sub(interaction, "simpleChoice", "False", identifier="FALSE")
    processing = sub(root, "responseProcessing")
    _all_or_nothing(processing, "RESPONSE")
    _feedback(root, processing, item, {}, None)


def _short(root: ET.Element, item: dict) -> None:
    answers = item["data"]["answers"]
    full = [a["text"] for a in answers if a.get("fraction", 1) == 1]
    declaration = _response(root, "RESPONSE", "single", "string", full[:1])
    _mapping(
        declaration, [(a["text"], a.get("fraction", 1)) for a in answers], case_sensitive=False
    )
    _outcomes(root)
    body = sub(root, "itemBody")
    paragraphs(body, item["prompt"])
    sub(
        sub(body, "p"),
        "textEntryInteraction",
        responseIdentifier="RESPONSE",
        expectedLength=str(max(10, max(len(a["text"]) for a in answers))),
    )
    processing = sub(root, "responseProcessing")
    _set_score(processing, _map_response("RESPONSE"))
    _feedback(root, processing, item, {}, None)


def _numeric(root: ET.Element, item: dict) -> None:
    data = item["data"]
    answers = sorted(data["answers"], key=lambda a: -a.get("fraction", 1))
    best = answers[0]
    _response(root, "RESPONSE", "single", "float", [number(best["value"])])
    _outcomes(root)
    body = sub(root, "itemBody")
    paragraphs(body, item["prompt"])
    line = sub(body, "p")
    entry = sub(line, "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="12")
    if data.get("unit", "").strip():
        entry.tail = " " + clean(data["unit"].strip())
    processing = sub(root, "responseProcessing")
    condition = sub(processing, "responseCondition")
    for position, answer in enumerate(answers):
        branch = sub(condition, "responseIf" if position == 0 else "responseElseIf")
        tolerance = number(answer.get("tolerance", 0))
        equal = sub(branch, "equal", toleranceMode="absolute", tolerance=f"{tolerance} {tolerance}")
        equal.append(_variable("RESPONSE"))
        equal.append(_value("float", number(answer["value"])))
        _set_score(branch, _value("float", number(answer.get("fraction", 1))))
    _set_score(sub(condition, "responseElse"), _value("float", "0"))
    _feedback(root, processing, item, {}, None)


def _ordering(root: ET.Element, item: dict) -> None:
    entries = item["data"]["items"]
    ids = _choice_ids(len(entries))
    _response(root, "RESPONSE", "ordered", "identifier", ids)
    _outcomes(root)
    body = sub(root, "itemBody")
    interaction = sub(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
    sub(interaction, "prompt", item["prompt"])
    for identifier, text in zip(ids, entries, strict=True):
        sub(interaction, "simpleChoice", text, identifier=identifier)
    processing = sub(root, "responseProcessing")
    _all_or_nothing(processing, "RESPONSE")  # QTI scores an order whole or not at all
    _feedback(root, processing, item, {}, None)


def _matching(root: ET.Element, item: dict) -> None:
    pairs = item["data"]["pairs"]
    rights = [pair["right"] for pair in pairs] + list(item["data"].get("distractors", []))
    left_ids = [f"L{n}" for n in range(1, len(pairs) + 1)]
    right_ids = [f"R{n}" for n in range(1, len(rights) + 1)]
    correct = [f"{left} {right}" for left, right in zip(left_ids, right_ids, strict=False)]
    declaration = _response(root, "RESPONSE", "multiple", "directedPair", correct)
    _mapping(declaration, [(pair, 1 / len(pairs)) for pair in correct])
    _outcomes(root)
    body = sub(root, "itemBody")
    interaction = sub(
        body,
        "matchInteraction",
        responseIdentifier="RESPONSE",
        shuffle="true",
        maxAssociations=str(len(pairs)),
    )
    sub(interaction, "prompt", item["prompt"])
    lefts = sub(interaction, "simpleMatchSet")
    for identifier, pair in zip(left_ids, pairs, strict=True):
        sub(lefts, "simpleAssociableChoice", pair["left"], identifier=identifier, matchMax="1")
    right_set = sub(interaction, "simpleMatchSet")
    for identifier, text in zip(right_ids, rights, strict=True):
        sub(
            right_set,
            "simpleAssociableChoice",
            text,
            identifier=identifier,
            matchMax=str(len(pairs)),
        )
    processing = sub(root, "responseProcessing")
    _set_score(processing, _map_response("RESPONSE"))
    _feedback(root, processing, item, {}, None)


def _cloze(root: ET.Element, item: dict) -> None:
    blanks = item["data"]["blanks"]
    ids = [f"RESPONSE_{n}" for n in range(1, len(blanks) + 1)]
    for identifier, blank in zip(ids, blanks, strict=True):
        declaration = _response(root, identifier, "single", "string", blank["answers"][:1])
        _mapping(declaration, [(answer, 1) for answer in blank["answers"]], case_sensitive=False)
    _outcomes(root)
    body = sub(root, "itemBody")
    if (item.get("prompt") or "").strip():
        paragraphs(body, item["prompt"])
    text = sub(body, "p")
    last: ET.Element | None = None
    for position, part in enumerate(_BLANK.split(clean(item["data"]["text"]).strip())):
        if position % 2:
            longest = max(len(answer) for answer in blanks[int(part) - 1]["answers"])
            last = sub(
                text,
                "textEntryInteraction",
                responseIdentifier=ids[int(part) - 1],
                expectedLength=str(max(6, longest)),
            )
        elif last is None:
            text.text = part
        else:
            last.tail = part
    processing = sub(root, "responseProcessing")
    total = ET.Element("sum")
    for identifier in ids:
        total.append(_map_response(identifier))
    mean = ET.Element("divide")
    mean.append(total)
    mean.append(_value("float", number(len(ids))))
    _set_score(processing, mean)
    _feedback(root, processing, item, {}, None)


def _essay(root: ET.Element, item: dict) -> None:
    """An extended text the LMS leaves to a marker: the word limit in the prompt, the
    response template as the box's placeholder, the rubric and marker's notes in a block
    only scorers see (QTI 2.1 has no human-scored flag; nothing scores it automatically)."""
    data = item["data"]
    sub(root, "responseDeclaration", identifier="RESPONSE", cardinality="single", baseType="string")
    _outcomes(root)
    body = sub(root, "itemBody")
    rubric, notes = data.get("rubric") or [], (data.get("grader_info") or "").strip()
    if rubric or notes or data.get("max_points"):
        block = sub(body, "rubricBlock", view="scorer")
        for criterion in rubric:
            levels = "; ".join(f"{v['text']} ({v['points']:g})" for v in criterion["levels"])
            sub(block, "p", f"{criterion['criterion']}: {levels}")
        if not rubric:
            sub(block, "p", f"Marked out of {float(data.get('max_points', 1)):g}.")
        if notes:
            paragraphs(block, notes)
    limit = data.get("word_limit")
    attrs = {"responseIdentifier": "RESPONSE", "format": "plain"}
    if limit:
        attrs["expectedLength"] = str(limit * 7)  # characters, as QTI counts them
    if (data.get("template") or "").strip():
        attrs["placeholderText"] = clean(data["template"])
    interaction = sub(body, "extendedTextInteraction", **attrs)
    prompt = item["prompt"] + (f" (at most {limit} words)" if limit else "")
    sub(interaction, "prompt", prompt)
    if (item.get("explanation") or "").strip():
        _feedback(root, sub(root, "responseProcessing"), item, {}, None)


WRITERS: dict[str, Callable[[ET.Element, dict], None]] = {
    "single": _single,
    "multi": _multi,
    "truefalse": _truefalse,
    "short": _short,
    "numeric": _numeric,
    "ordering": _ordering,
    "matching": _matching,
    "cloze": _cloze,
    "essay": _essay,
}
WRITTEN_TYPES = frozenset(WRITERS)


def qti_item(item: dict[str, Any], identifier: str) -> bytes:
    """The item as a QTI 2.1 assessmentItem document, on its own (an image it shows is
    written as its alt text). The type must be in WRITERS."""
    return item_document(item, identifier, ())[0]


def item_document(
    item: dict[str, Any], identifier: str, carried: Collection[str]
) -> tuple[bytes, list[str]]:
    """The item as the file items/<identifier>.xml of a package whose media/ folder holds
    the stored images named in `carried`; returns it and the images it shows from there."""
    title = item.get("prompt") or item["data"].get("text", "") or identifier
    root = _item(identifier, alt_text(" ".join(str(title).split())), item.get("key", ""))
    WRITERS[item["type"]](root, item)
    placed = place_qti_images(root, carried, "../")
    return document(root), placed


def document(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
