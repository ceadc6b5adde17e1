"""A set as an IMS content package of QTI 2.1 (`to_qti_package`): imsmanifest.xml, one
assessmentItem file per item, and an assessmentTest holding them in the set's order.

Canvas ("QTI .zip file"), Blackboard and Brightspace import such a zip; Common Cartridge
(common_cartridge.py) is the other LMS format. A type that FORMATS declares not carried by
"qti" is left out and reported with the type's reason, as the GIFT writer does. A stored
image an item shows travels in media/, listed in the item's resource and shown by an <img>
(package_media.py).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from quizzes.domain.itemtypes import format_support

from .common import ExportIssue, export_problem
from .package_media import left_behind, package_path
from .qti import NAMESPACE, WRITTEN_TYPES, clean, document, item_document, sub

CP_NAMESPACE = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_SCHEMA_LOCATION = "http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd"
TEST_FILE = "assessment.xml"
MANIFEST = "imsmanifest.xml"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def item_file(index: int) -> str:
    return f"items/item{index + 1:04d}.xml"


def writable_items(items: list[dict[str, Any]], file_format: str, written: frozenset[str]):
    """(index, item) of the items `file_format` can write, and an issue for each other."""
    kept, issues = [], []
    for index, item in enumerate(items):
        support = format_support(item.get("type", ""), file_format)
        problem = export_problem(item) or (
            ""
            if support.carried and item["type"] in written
            else support.reason
            or "Quizdeck has no writer for this question type in this format yet"
        )
        if problem:
            issues.append(ExportIssue(index, item.get("key", ""), problem, True))
        else:
            kept.append((index, item))
    return kept, issues


def qti_files(
    meta: dict[str, Any],
    items: list[dict[str, Any]],
    images: Mapping[str, bytes] | None = None,
) -> tuple[dict[str, bytes], list[ExportIssue]]:
    """Every file of the package by its path, and the items left out. `images` are the
    stored images (by name) the package may carry: each one an item shows goes into
    media/, listed in that item's resource."""
    kept, issues = writable_items(items, "qti", WRITTEN_TYPES)
    images = images or {}
    files: dict[str, bytes] = {}
    shown: dict[int, list[str]] = {}
    for index, item in kept:
        files[item_file(index)], shown[index] = item_document(item, f"item{index + 1:04d}", images)
        files.update({package_path(name): images[name] for name in shown[index]})
        issues += left_behind(index, item, images)
    title = clean(meta.get("title") or "Quizdeck set")
    files[TEST_FILE] = _test(title, [index for index, _ in kept])
    files[MANIFEST] = _manifest(title, shown)
    return files, sorted(issues, key=lambda issue: issue.index)


def _test(title: str, indexes: list[int]) -> bytes:
    root = ET.Element(
        "assessmentTest",
        {
            "xmlns": NAMESPACE,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{NAMESPACE} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1p2.xsd",
            "identifier": "set",
            "title": title[:200],
        },
    )
    score = sub(
        root, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float"
    )
    sub(sub(score, "defaultValue"), "value", "0")
    part = sub(
        root,
        "testPart",
        identifier="part1",
        navigationMode="nonlinear",
        submissionMode="simultaneous",
    )
    section = sub(
        part, "assessmentSection", identifier="section1", title=title[:200], visible="true"
    )
    for index in indexes:
        sub(section, "assessmentItemRef", identifier=f"item{index + 1:04d}", href=item_file(index))
    processing = sub(root, "outcomeProcessing")
    setter = sub(processing, "setOutcomeValue", identifier="SCORE")
    total = sub(setter, "sum")
    sub(total, "testVariables", variableIdentifier="SCORE")
    return document(root)


def _manifest(title: str, shown: dict[int, list[str]]) -> bytes:
    """The manifest: the test, then each item with the files it uses (its own and the
    images it shows), in the set's order."""
    root = ET.Element(
        "manifest",
        {
            "xmlns": CP_NAMESPACE,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{CP_NAMESPACE} {CP_SCHEMA_LOCATION}",
            "identifier": "quizdeck-set",
        },
    )
    metadata = sub(root, "metadata")
    sub(metadata, "schema", "QTIv2.1 Package")
    sub(metadata, "schemaversion", "1.0.0")
    sub(root, "organizations")
    resources = sub(root, "resources")
    test = sub(resources, "resource", identifier="set", type="imsqti_test_xmlv2p1", href=TEST_FILE)
    sub(test, "file", href=TEST_FILE)
    for index in shown:
        sub(test, "dependency", identifierref=f"item{index + 1:04d}")
    for index, names in shown.items():
        resource = sub(
            resources,
            "resource",
            identifier=f"item{index + 1:04d}",
            type="imsqti_item_xmlv2p1",
            href=item_file(index),
        )
        sub(resource, "file", href=item_file(index))
        for name in names:
            sub(resource, "file", href=package_path(name))
    return document(root)


def zipped(files: dict[str, bytes], now: datetime) -> bytes:
    """The files as a zip, the manifest first (stamped `now`, so that one set exported twice
    at the same moment gives the same bytes)."""
    stamp = (now.year, now.month, now.day, now.hour, now.minute, now.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files, key=lambda name: (name != MANIFEST, name)):
            archive.writestr(zipfile.ZipInfo(name, stamp), files[name], zipfile.ZIP_DEFLATED)
    return out.getvalue()


def to_qti_package(
    meta: dict[str, Any],
    items: list[dict[str, Any]],
    now: datetime,
    images: Mapping[str, bytes] | None = None,
) -> tuple[bytes, list[ExportIssue]]:
    """The set as a QTI 2.1 content package (zip bytes), and the items left out."""
    files, issues = qti_files(meta, items, images)
    return zipped(files, now), issues
