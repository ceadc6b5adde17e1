"""The official 1EdTech XML schemas in tests/data/schemas, loaded without the network.

The schemas import each other (and W3C's xml.xsd, XInclude and MathML 2) by their public
URLs; SCHEMA_URLS maps every such URL to the vendored copy, so validation never fetches.
tests/data/schemas/SOURCES.md says where each file came from and under which licence.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

from lxml import etree, isoschematron

ROOT = Path(__file__).parent / "data" / "schemas"
_XS = "http://www.w3.org/2001/XMLSchema"
_SCH = "http://purl.oclc.org/dsdl/schematron"
_SVRL = "http://purl.oclc.org/dsdl/svrl"
# Every schemaLocation the vendored schemas import, by file name -> the local copy.
_BY_NAME = {
    "xml.xsd": ROOT / "w3" / "xml.xsd",
    "XInclude.xsd": ROOT / "w3" / "XInclude.xsd",
    "mathml2.xsd": ROOT / "w3" / "mathml2" / "mathml2.xsd",
    "apipv1p0_qtiextv2p1_v1p0.xsd": ROOT / "qti21" / "apipv1p0_qtiextv2p1_v1p0.xsd",
    "imsmd_loose_v1p3p2.xsd": ROOT / "lom" / "imsmd_loose_v1p3p2.xsd",
    # QTI 2.1.1's metadata schema location names the 2.1 file, whose namespace it shares.
    "imsqti_metadata_v2p1p1.xsd": ROOT / "qti21" / "imsqti_metadata_v2p1.xsd",
    "ccv1p3_lommanifest_v1p0.xsd": ROOT / "cc13" / "ccv1p3_lommanifest_v1p0.xsd",
    "ccv1p3_lomresource_v1p0.xsd": ROOT / "cc13" / "ccv1p3_lomresource_v1p0.xsd",
    "ccv1p3_imscsmd_v1p0.xsd": ROOT / "cc13" / "ccv1p3_imscsmd_v1p0.xsd",
    "ccv1p3_imsccauth_v1p3.xsd": ROOT / "cc13" / "ccv1p3_imsccauth_v1p3.xsd",
}
# Relative imports of a file not vendored beside the schema: the CC 1.1 QTI profile
# imports its own copy of xml.xsd; W3C's is the same namespace (xml:lang, xml:space).
_BESIDE = {"xml.xsd": ROOT / "w3" / "xml.xsd"}


class _LocalSchemas(etree.Resolver):
    def resolve(self, url, public_id, context):
        if url.startswith(("http://", "https://")):
            local = _BY_NAME.get(url.rsplit("/", 1)[-1])
            if local is None:
                raise LookupError(f"no vendored copy of {url}")
            return self.resolve_filename(str(local), context)
        beside = Path(url)
        if not beside.exists() and beside.name in _BESIDE:
            return self.resolve_filename(str(_BESIDE[beside.name]), context)
        return None  # a relative include: read beside the including file


@cache
def schema(name: str) -> etree.XMLSchema:
    """The schema at tests/data/schemas/`name`, its imports read from the vendored copies."""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(ROOT / name), parser))


def problems(schema_name: str, xml: bytes) -> list[str]:
    """Why `xml` is not valid against the schema ([] when it is)."""
    document = etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))
    checker = schema(schema_name)
    if checker.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in checker.error_log]


@cache
def embedded_rules(name: str) -> isoschematron.Schematron:
    """The Schematron rules the 1EdTech schema `name` carries in its xs:appinfo.

    lxml's own extraction follows the schema's imports through XSLT, outside our resolver,
    so the rules are lifted here. They are written in the Schematron 1.5 style (a pattern
    `name`, the title after the namespace), which ISO's grammar check refuses; the rules
    themselves run unchanged."""
    document = etree.parse(str(ROOT / name), etree.XMLParser(no_network=True))
    rules = etree.Element(f"{{{_SCH}}}schema", nsmap={"sch": _SCH})
    for appinfo in document.iterfind(f"{{{_XS}}}annotation/{{{_XS}}}appinfo"):
        rules.extend(
            copy.copy(child)
            for child in appinfo
            if isinstance(child.tag, str) and etree.QName(child).namespace == _SCH
        )
    if not len(rules):
        raise LookupError(f"{name} carries no Schematron rules")
    return isoschematron.Schematron(rules, store_report=True, validate_schema=False)


def rule_problems(schema_name: str, xml: bytes) -> list[str]:
    """Which of the schema's embedded Schematron rules `xml` breaks ([] when none)."""
    document = etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))
    rules = embedded_rules(schema_name)
    if rules.validate(document):
        return []
    return [
        " ".join(failed.findtext(f"{{{_SVRL}}}text").split())
        for failed in rules.validation_report.iter(f"{{{_SVRL}}}failed-assert")
    ]
