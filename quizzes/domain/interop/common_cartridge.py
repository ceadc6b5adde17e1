"""A set as an IMS Common Cartridge 1.3 (`to_common_cartridge`): a zip (.imscc) with
imsmanifest.xml and one assessment in CC's QTI 1.2.1 profile, the quiz Canvas, Blackboard,
Brightspace and Moodle make of a cartridge.

CC's profile knows single choice, multiple response, true/false and fill-in-the-blank
(one typed answer) questions; every other type declares "cc" not carried and is left out
with its reason. The profile scores 0..100 and has no weights: a multiple response counts
when exactly the right options are ticked; a short answer's lesser fractions are kept.
Each option's "why" and the explanation are item feedback. A stored image a text shows
travels in media/ as a web content resource the assessment depends on, and the text
becomes HTML naming it through $IMS-CC-FILEBASE$ (package_media.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any

from .common import ExportIssue
from .package_media import alt_text, left_behind, package_path, place_cc_images
from .qti import clean, document, sub
from .qti_package import writable_items, zipped

CP_NAMESPACE = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOM_NAMESPACE = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
QTI_NAMESPACE = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_PROFILE = "http://www.imsglobal.org/profile/cc/ccv1p3"
ASSESSMENT_TYPE = "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"
ASSESSMENT_FILE = "assessment/assessment.xml"
MANIFEST = "imsmanifest.xml"
# Identifiers are made unique in the whole file (the item's own ident before each), as
# QTI 1.2 readers that treat ident as an XML ID require.


def _fields(parent: ET.Element, fields: dict[str, str]) -> None:
    metadata = sub(parent, "qtimetadata")
    for label, entry in fields.items():
        field = sub(metadata, "qtimetadatafield")
        sub(field, "fieldlabel", label)
        sub(field, "fieldentry", entry)


def _material(parent: ET.Element, text: str) -> None:
    sub(sub(parent, "material"), "mattext", clean(text), texttype="text/plain")


def _condition(processing: ET.Element, *, more: bool) -> ET.Element:
    return sub(processing, "respcondition", continue_="Yes" if more else "No")


def _response_id(element: ET.Element) -> str:
    return f"{element.get('ident')}_response"


def _general_id(element: ET.Element) -> str:
    return f"{element.get('ident')}_general_fb"


def _varequal(
    parent: ET.Element, element: ET.Element, value: str, *, case: bool = True
) -> ET.Element:
    attrs = {"respident": _response_id(element)} | ({} if case else {"case": "No"})
    return sub(parent, "varequal", value, **attrs)


def _score(condition: ET.Element, score: float) -> None:
    sub(condition, "setvar", f"{score * 100:g}", action="Set", varname="SCORE")


def _show(condition: ET.Element, identifier: str) -> None:
    sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=identifier)


def _feedback(item_element: ET.Element, identifier: str, text: str) -> None:
    feedback = sub(item_element, "itemfeedback", ident=identifier)
    _material(sub(feedback, "flow_mat"), text)


def _start(
    element: ET.Element, item: dict, profile: str, *, marked_by_hand: bool = False
) -> tuple[ET.Element, ET.Element]:
    """The item's metadata and presentation (with the prompt); returns (presentation,
    resprocessing with SCORE declared and the explanation shown whatever the answer)."""
    fields = {"cc_profile": profile, "cc_weighting": "1"}
    if marked_by_hand:  # the profile's rule 8f: an essay says it is not computer scored
        fields["qmd_computerscored"] = "No"
    _fields(sub(element, "itemmetadata"), fields)
    presentation = sub(element, "presentation")
    _material(presentation, item.get("prompt", ""))
    processing = ET.Element("resprocessing")
    outcomes = sub(processing, "outcomes")
    sub(outcomes, "decvar", varname="SCORE", vartype="Decimal", minvalue="0", maxvalue="100")
    if (item.get("explanation") or "").strip():
        always = _condition(processing, more=True)
        sub(sub(always, "conditionvar"), "other")
        _show(always, _general_id(element))
    return presentation, processing


def _finish(element: ET.Element, processing: ET.Element, item: dict, whys: dict) -> None:
    element.append(processing)
    for identifier, why in whys.items():
        _feedback(element, identifier, why)
    if (item.get("explanation") or "").strip():
        _feedback(element, _general_id(element), item["explanation"])


def _labels(
    element: ET.Element, presentation: ET.Element, texts: list[str], cardinality: str
) -> list[str]:
    response = sub(
        presentation, "response_lid", ident=_response_id(element), rcardinality=cardinality
    )
    choices = sub(response, "render_choice")
    ids = [f"{element.get('ident')}_C{n}" for n in range(1, len(texts) + 1)]
    for identifier, text in zip(ids, texts, strict=True):
        _material(sub(choices, "response_label", ident=identifier), text)
    return ids


def _choices(element: ET.Element, item: dict, *, multi: bool) -> None:
    options = item["data"]["options"]
    profile = "cc.multiple_response.v0p1" if multi else "cc.multiple_choice.v0p1"
    presentation, processing = _start(element, item, profile)
    ids = _labels(
        element, presentation, [o["text"] for o in options], "Multiple" if multi else "Single"
    )
    whys = {
        f"{i}_fb": o["why"]
        for i, o in zip(ids, options, strict=True)
        if (o.get("why") or "").strip()
    }
    for identifier in ids:  # each chosen option's "why", before the score is set
        if f"{identifier}_fb" in whys:
            shown = _condition(processing, more=True)
            _varequal(sub(shown, "conditionvar"), element, identifier)
            _show(shown, f"{identifier}_fb")
    scored = _condition(processing, more=False)
    condition = sub(scored, "conditionvar")
    if multi:
        every = sub(condition, "and")
        for identifier, option in zip(ids, options, strict=True):
            _varequal(every if option["correct"] else sub(every, "not"), element, identifier)
    else:
        right = next(i for i, o in zip(ids, options, strict=True) if o["correct"])
        _varequal(condition, element, right)
    _score(scored, 1)
    _finish(element, processing, item, whys)


def _single(element: ET.Element, item: dict) -> None:
    _choices(element, item, multi=False)


def _multi(element: ET.Element, item: dict) -> None:
    _choices(element, item, multi=True)


def _truefalse(element: ET.Element, item: dict) -> None:
    presentation, processing = _start(element, item, "cc.true_false.v0p1")
    true_id, false_id = _labels(element, presentation, ["True", "False"], "Single")
    scored = _condition(processing, more=False)
    _varequal(sub(scored, "conditionvar"), element, true_id if item["data"]["answer"] else false_id)
    _score(scored, 1)
    _finish(element, processing, item, {})


def _short(element: ET.Element, item: dict) -> None:
    presentation, processing = _start(element, item, "cc.fib.v0p1")
    response = sub(presentation, "response_str", ident=_response_id(element), rcardinality="Single")
    sub(response, "render_fib", rows="1")
    answers = sorted(item["data"]["answers"], key=lambda a: -a.get("fraction", 1))
    for answer in answers:
        if answer.get("fraction", 1) > 0:
            scored = _condition(processing, more=False)
            _varequal(sub(scored, "conditionvar"), element, answer["text"], case=False)
            _score(scored, answer.get("fraction", 1))
    _finish(element, processing, item, {})


def _essay(element: ET.Element, item: dict) -> None:
    """CC's essay: a text box, marked by the teacher in the LMS (the profile has no rubric
    or word limit: the limit is added to the prompt)."""
    limit = item["data"].get("word_limit")
    if limit:
        item = item | {"prompt": f"{item['prompt']} (at most {limit} words)"}
    presentation, processing = _start(element, item, "cc.essay.v0p1", marked_by_hand=True)
    response = sub(presentation, "response_str", ident=_response_id(element), rcardinality="Single")
    sub(response, "render_fib", rows="15")
    if processing.find("respcondition") is None:  # the profile wants a condition
        sub(sub(_condition(processing, more=False), "conditionvar"), "other")
    _finish(element, processing, item, {})


WRITERS: dict[str, Callable[[ET.Element, dict], None]] = {
    "single": _single,
    "multi": _multi,
    "truefalse": _truefalse,
    "short": _short,
    "essay": _essay,
}
WRITTEN_TYPES = frozenset(WRITERS)


def assessment(
    title: str, kept: list[tuple[int, dict]], carried: Collection[str] = ()
) -> tuple[bytes, list[str]]:
    """The assessment file, and the stored images (of `carried`, the files the cartridge
    holds under media/) its texts show."""
    root = ET.Element(
        "questestinterop",
        {
            "xmlns": QTI_NAMESPACE,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{QTI_NAMESPACE} {_PROFILE}/ccv1p3_qtiasiv1p2p1_v1p0.xsd",
        },
    )
    test = sub(root, "assessment", ident="assessment1", title=title)
    _fields(test, {"cc_profile": "cc.exam.v0p1", "qmd_assessmenttype": "Examination"})
    section = sub(test, "section", ident="section1")
    for index, item in kept:
        prompt = alt_text(" ".join(str(item.get("prompt", "")).split()))
        element = sub(section, "item", ident=f"item{index + 1:04d}", title=clean(prompt)[:200])
        WRITERS[item["type"]](element, item)
    placed = place_cc_images(root, carried)
    return document(root), placed


def manifest(title: str, media: Collection[str] = ()) -> bytes:
    """The manifest: the assessment, and each image it shows as a web content resource the
    assessment depends on (CC's profile allows the assessment resource one file only)."""
    root = ET.Element(
        "manifest",
        {
            "xmlns": CP_NAMESPACE,
            "xmlns:lomimscc": LOM_NAMESPACE,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": (
                f"{CP_NAMESPACE} {_PROFILE}/ccv1p3_imscp_v1p2_v1p0.xsd "
                f"{LOM_NAMESPACE} {_PROFILE}/LOM/ccv1p3_lommanifest_v1p0.xsd"
            ),
            "identifier": "quizdeck-cartridge",
        },
    )
    metadata = sub(root, "metadata")
    sub(metadata, "schema", "IMS Common Cartridge")
    sub(metadata, "schemaversion", "1.3.0")
    general = sub(sub(metadata, "lomimscc:lom"), "lomimscc:general")
    sub(sub(general, "lomimscc:title"), "lomimscc:string", title)
    organization = sub(
        sub(root, "organizations"),
        "organization",
        identifier="org1",
        structure="rooted-hierarchy",
    )
    entry = sub(
        sub(organization, "item", identifier="root"),
        "item",
        identifier="item1",
        identifierref="assessment1",
    )
    sub(entry, "title", title)
    resources = sub(root, "resources")
    resource = sub(resources, "resource", identifier="assessment1", type=ASSESSMENT_TYPE)
    sub(resource, "file", href=ASSESSMENT_FILE)
    for number, _ in enumerate(media, start=1):
        sub(resource, "dependency", identifierref=f"media{number}")
    for number, name in enumerate(media, start=1):
        web = sub(
            resources,
            "resource",
            identifier=f"media{number}",
            type="webcontent",
            href=package_path(name),
        )
        sub(web, "file", href=package_path(name))
    return document(root)


def cartridge_files(
    meta: dict[str, Any],
    items: list[dict[str, Any]],
    images: Mapping[str, bytes] | None = None,
) -> tuple[dict[str, bytes], list[ExportIssue]]:
    """Every file of the cartridge by its path, and the items left out. `images` are the
    stored images (by name) the cartridge may carry; those the items show go to media/."""
    kept, issues = writable_items(items, "cc", WRITTEN_TYPES)
    images = images or {}
    title = clean(meta.get("title") or "Quizdeck set")[:200]
    content, shown = assessment(title, kept, images)
    files = {MANIFEST: manifest(title, shown), ASSESSMENT_FILE: content}
    files.update({package_path(name): images[name] for name in shown})
    for index, item in kept:
        issues += left_behind(index, item, images)
    return files, sorted(issues, key=lambda issue: issue.index)


def to_common_cartridge(
    meta: dict[str, Any],
    items: list[dict[str, Any]],
    now: datetime,
    images: Mapping[str, bytes] | None = None,
) -> tuple[bytes, list[ExportIssue]]:
    """The set as a Common Cartridge 1.3 (zip bytes), and the items left out."""
    files, issues = cartridge_files(meta, items, images)
    return zipped(files, now), issues
