"""QTI 2.1 packages and Common Cartridge 1.3: a set holding every exportable type validates
against the official 1EdTech schemas (tests/data/schemas), the manifest names every file
of the zip, scoring and feedback say what the item says, and what a format cannot carry is
left out with the type's own reason."""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import UTC, datetime

import pytest
from lxml import etree

from quizzes.domain.interop import common_cartridge, qti
from quizzes.domain.interop.common_cartridge import cartridge_files, to_common_cartridge
from quizzes.domain.interop.qti_package import MANIFEST, TEST_FILE, qti_files, to_qti_package
from quizzes.domain.itemtypes import ITEM_TYPES, REGISTRY
from tests.schemas import problems, rule_problems

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
QTI_ITEM = "qti21/imsqti_v2p1p2.xsd"
QTI_MANIFEST = "qti21/qtiv2p1_imscpv1p2_v1p0.xsd"
CC_MANIFEST = "cc13/ccv1p3_imscp_v1p2_v1p0.xsd"
# CC 1.1's QTI 1.2.1 profile: 1.3's own could not be had; SOURCES.md says how the two differ.
CC_ASSESSMENT = "cc11/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
NS = {"q": qti.NAMESPACE}
CC = {"q": common_cartridge.QTI_NAMESPACE}


def item(item_type: str, **changes) -> dict:
    prompt, data = copy.deepcopy(REGISTRY[item_type].EXAMPLE)
    base = {
        "key": f"sample.{item_type}",
        "type": item_type,
        "prompt": prompt,
        "data": data,
        "explanation": f"Why the {item_type} answer is right.",
        "sources": [],
        "topics": [],
        "difficulty": 0.5,
        "fact_ids": [],
    }
    return base | changes


# The optional parts a writer must place: per-option feedback, weights, lesser fractions,
# several tolerances without a unit, a cloze with a prompt.
MULTI_WEIGHTED = item(
    "multi",
    data={
        "options": [
            {"text": "Boycott", "correct": True, "weight": 0.5, "why": "Yes."},
            {"text": "Walkout", "correct": True, "weight": 0.5},
            {"text": "Apology", "correct": False, "weight": -1, "why": "No."},
        ]
    },
)
SHORT_FRACTIONS = item(
    "short",
    data={"answers": [{"text": "ICC", "fraction": 1}, {"text": "court", "fraction": 0.5}]},
)
NUMERIC_RANGES = item(
    "numeric",
    data={
        "answers": [
            {"value": 1822, "tolerance": 0, "fraction": 1},
            {"value": 1800, "tolerance": 50, "fraction": 0.5},
        ],
        "unit": "",
    },
    explanation="",
)
CLOZE_PROMPTED = item("cloze", prompt="Fill in the blanks.")
ESSAY_PLAIN = item(
    "essay", data={"max_points": 5, "template": "I think", "grader_info": "Be fair."}
)


def every_type() -> list[dict]:
    """Each registered type's example, then the variants above."""
    extras = [MULTI_WEIGHTED, SHORT_FRACTIONS, NUMERIC_RANGES, CLOZE_PROMPTED, ESSAY_PLAIN]
    return [item(t) for t in ITEM_TYPES] + copy.deepcopy(extras)


ODD_TEXTS = ['<b>bold</b> & "quotes"', "bell\x07 and null\x00 removed", "한국어 ١٢٣ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "]]>"]


def parsed(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


# -- QTI 2.1 ------------------------------------------------------------------------------


def test_a_package_of_every_type_validates_against_the_qti_21_schemas():
    files, issues = qti_files({"title": "Week 1: UN & DPRK"}, every_type())
    assert issues == []
    assert {REGISTRY[t].NAME for t in ITEM_TYPES} <= {
        i["type"] for i in every_type()
    }  # every registered type is in the set
    for name, content in files.items():
        schema = QTI_MANIFEST if name == MANIFEST else QTI_ITEM
        assert problems(schema, content) == [], name


def test_every_qti_file_also_meets_the_rules_its_schema_carries():
    """QTI 2.1.2's XSD carries Schematron rules (expressions response processing may not
    use, unique identifiers, interaction attributes); they run too, and bite."""
    files, _ = qti_files({"title": "Week 1"}, every_type())
    for name, content in files.items():
        if name != MANIFEST:
            assert rule_problems(QTI_ITEM, content) == [], name
    single = qti.qti_item(item("single"), "item0001")
    broken = single.replace(b'maxChoices="1"', b'maxChoices="1" minChoices="2"')
    assert problems(QTI_ITEM, broken) == []  # the grammar allows it; a rule does not
    assert any("RULE INTERACTION 2a" in p for p in rule_problems(QTI_ITEM, broken))


def test_the_schemas_do_reject_a_broken_item():
    """The validation is real: a wrong attribute value fails it."""
    content = qti.qti_item(item("single"), "item0001").replace(
        b'maxChoices="1"', b'maxChoices="one"'
    )
    assert problems(QTI_ITEM, content)


def test_the_manifest_names_every_file_of_the_zip_and_the_test_every_item():
    content, issues = to_qti_package({"title": "Week 1"}, every_type(), NOW)
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = set(archive.namelist())
    assert archive.namelist()[0] == MANIFEST
    manifest = parsed(archive.read(MANIFEST))
    cp = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}
    listed = {f.get("href") for f in manifest.iterfind(".//cp:file", cp)}
    assert listed == names - {MANIFEST}
    resources = {r.get("identifier"): r for r in manifest.iterfind(".//cp:resource", cp)}
    test = parsed(archive.read(TEST_FILE))
    refs = {r.get("identifier"): r.get("href") for r in test.iterfind(".//q:assessmentItemRef", NS)}
    assert len(refs) == len(every_type())
    for identifier, href in refs.items():
        assert resources[identifier].get("href") == href
        assert parsed(archive.read(href)).get("identifier") == identifier
    depends = {d.get("identifierref") for d in resources["set"].iterfind("cp:dependency", cp)}
    assert depends == set(refs)


def test_the_same_set_exported_twice_gives_the_same_bytes():
    first, _ = to_qti_package({"title": "W"}, every_type(), NOW)
    assert to_qti_package({"title": "W"}, every_type(), NOW)[0] == first


def _declaration(root, identifier="RESPONSE"):
    return root.find(f"q:responseDeclaration[@identifier='{identifier}']", NS)


def test_scoring_follows_the_items_own_weights_fractions_and_tolerances():
    multi = parsed(qti.qti_item(MULTI_WEIGHTED, "i"))
    entries = [
        (e.get("mapKey"), float(e.get("mappedValue")))
        for e in _declaration(multi).iterfind(".//q:mapEntry", NS)
    ]
    assert entries == [("C1", 0.5), ("C2", 0.5), ("C3", -1.0)]
    short = parsed(qti.qti_item(SHORT_FRACTIONS, "i"))
    mapping = [
        (e.get("mapKey"), e.get("mappedValue"), e.get("caseSensitive"))
        for e in _declaration(short).iterfind(".//q:mapEntry", NS)
    ]
    assert mapping == [("ICC", "1.0", "false"), ("court", "0.5", "false")]
    numeric = parsed(qti.qti_item(NUMERIC_RANGES, "i"))
    equal = numeric.findall(".//q:equal", NS)
    assert [e.get("tolerance") for e in equal] == ["0.0 0.0", "50.0 50.0"]
    scores = [b.text for b in numeric.iterfind(".//q:setOutcomeValue/q:baseValue", NS)]
    assert scores == ["1.0", "0.5", "0"]


def test_a_number_keeps_its_unit_and_a_cloze_its_blanks_in_place():
    numeric = parsed(qti.qti_item(item("numeric"), "i"))
    entry = numeric.find(".//q:textEntryInteraction", NS)
    assert entry.tail == " people"
    cloze = parsed(qti.qti_item(item("cloze"), "i"))
    line = cloze.find("q:itemBody/q:p", NS)
    blanks = line.findall("q:textEntryInteraction", NS)
    assert line.text == "Kim ordered a "
    assert [b.get("responseIdentifier") for b in blanks] == ["RESPONSE_1", "RESPONSE_2"]
    assert [b.tail for b in blanks] == [" of the panel in ", "."]
    correct = [
        _declaration(cloze, f"RESPONSE_{n}").findtext(".//q:value", namespaces=NS) for n in (1, 2)
    ]
    assert correct == ["boycott", "2016"]


def test_option_feedback_and_the_explanation_are_modal_feedback():
    single = parsed(qti.qti_item(item("single"), "i"))
    shown = {m.get("identifier"): m.text for m in single.iterfind("q:modalFeedback", NS)}
    assert shown == {
        "C1": "Number two in London.",
        "C2": "That was his boss.",
        "EXPLANATION": "Why the single answer is right.",
    }
    plain = parsed(qti.qti_item(item("truefalse", explanation=""), "i"))
    assert plain.find("q:modalFeedback", NS) is None


@pytest.mark.parametrize("odd", ODD_TEXTS)
def test_odd_text_is_escaped_and_stays_valid(odd):
    content = qti.qti_item(item("single", prompt=odd, explanation=odd), "i")
    assert problems(QTI_ITEM, content) == []
    prompt = parsed(content).findtext(".//q:prompt", namespaces=NS)
    assert prompt == odd.replace("\x07", "").replace("\x00", "")


def test_qti_writes_exactly_the_types_declared_carried():
    carried = {t for t in ITEM_TYPES if REGISTRY[t].FORMATS["qti"].carried}
    assert qti.WRITTEN_TYPES == carried


# -- Common Cartridge 1.3 -----------------------------------------------------------------


def test_cc_writes_exactly_the_types_declared_carried_and_reports_the_rest():
    carried = {t for t in ITEM_TYPES if REGISTRY[t].FORMATS["cc"].carried}
    assert common_cartridge.WRITTEN_TYPES == carried
    items = [item(t) for t in ITEM_TYPES]
    _, issues = cartridge_files({"title": "W"}, items)
    assert [(i.index, i.message, i.dropped) for i in issues] == [
        (n, REGISTRY[t].FORMATS["cc"].reason, True)
        for n, t in enumerate(ITEM_TYPES)
        if t not in carried
    ]


def test_a_cartridge_manifest_validates_against_the_cc_13_schema():
    files, _ = cartridge_files({"title": "Week 1: UN & DPRK <draft>"}, every_type())
    assert problems(CC_MANIFEST, files[common_cartridge.MANIFEST]) == []
    broken = files[common_cartridge.MANIFEST].replace(b"<schemaversion>", b"<version>")
    assert problems(CC_MANIFEST, broken.replace(b"</schemaversion>", b"</version>"))


def test_a_cartridge_manifest_meets_the_rules_its_schema_carries():
    """CC 1.3's manifest schema carries Schematron rules per resource type; among them, an
    assessment resource holds one file (its images are web content it depends on)."""
    files, _ = cartridge_files({"title": "Week 1"}, every_type())
    manifest = files[common_cartridge.MANIFEST]
    assert rule_problems(CC_MANIFEST, manifest) == []
    second = b'<file href="assessment/assessment.xml" /><file href="media/x.png" />'
    broken = manifest.replace(b'<file href="assessment/assessment.xml" />', second)
    assert problems(CC_MANIFEST, broken) == []  # the grammar allows it; rule 3b does not
    assert any("[RULE 3b]" in p for p in rule_problems(CC_MANIFEST, broken))


def test_a_cartridge_assessment_validates_against_the_cc_qti_profile_and_its_rules():
    """The official profile schema and the Schematron rules it carries (question structure
    per cc_profile, metadata vocabularies, feedback links), for a set of every type."""
    files, issues = cartridge_files({"title": "Week 1: UN & DPRK <draft>"}, every_type())
    assert {i.index for i in issues} == {
        n for n, i in enumerate(every_type()) if not REGISTRY[i["type"]].FORMATS["cc"].carried
    }
    assessment = files[common_cartridge.ASSESSMENT_FILE]
    assert problems(CC_ASSESSMENT, assessment) == []
    assert rule_problems(CC_ASSESSMENT, assessment) == []


@pytest.mark.parametrize("odd", ODD_TEXTS)
def test_odd_text_in_a_cartridge_stays_valid(odd):
    items = [item(t, prompt=odd, explanation=odd) for t in ("single", "multi", "short", "essay")]
    assessment = cartridge_files({"title": odd}, items)[0][common_cartridge.ASSESSMENT_FILE]
    assert problems(CC_ASSESSMENT, assessment) == []
    assert rule_problems(CC_ASSESSMENT, assessment) == []


def _assessment_of(*items) -> bytes:
    return cartridge_files({"title": "W"}, list(items))[0][common_cartridge.ASSESSMENT_FILE]


@pytest.mark.parametrize(
    ("broken", "schema_says", "rules_say"),
    [
        # setvar may only Set (the profile's restriction of QTI 1.2.1)
        ((b'action="Set"', b'action="Add"'), "attribute 'action'", None),
        # a section holds items only
        ((b'"section1">', b'"section1"><qtimetadata />'), "qtimetadata", None),
        # an essay that says a computer scores it (rule 8f)
        ((b"<fieldentry>No</fieldentry>", b"<fieldentry>Yes</fieldentry>"), None, "[RULE 8f]"),
        # an unknown question profile (rule 2b)
        ((b"cc.true_false.v0p1", b"cc.true_or_false"), None, "[RULE 2b]"),
        # feedback shown that the item does not hold (rule 12c)
        ((b'linkrefid="item0001_general_fb"', b'linkrefid="nowhere"'), None, "[RULE 12c]"),
    ],
)
def test_the_cc_qti_profile_rejects_a_broken_assessment(broken, schema_says, rules_say):
    """The validation is real: each break is caught by the schema or by its rules."""
    good = _assessment_of(item("truefalse"), item("essay"))
    assert problems(CC_ASSESSMENT, good) == [] and rule_problems(CC_ASSESSMENT, good) == []
    old, new = broken
    assert old in good
    bad = good.replace(old, new, 1)
    found = problems(CC_ASSESSMENT, bad) if schema_says else rule_problems(CC_ASSESSMENT, bad)
    assert any((schema_says or rules_say) in p for p in found), found


def test_a_two_option_single_choice_breaks_only_the_cc_11_rule_that_cc_13_relaxed():
    """CC 1.1 asks a single-response choice for three labels or more (rule 4d); CC 1.3's
    profile asks for more than one (SOURCES.md), which a two-option item has."""
    two = item("single")
    two["data"]["options"] = two["data"]["options"][:2]
    assessment = _assessment_of(two)
    assert problems(CC_ASSESSMENT, assessment) == []
    assert rule_problems(CC_ASSESSMENT, assessment) == [
        "[RULE 4d] There are too too few response labels for the MC-SR question."
    ]
    labels = parsed(assessment).findall(".//q:response_label", CC)
    assert len(labels) == 2


def test_a_cartridge_names_every_file_and_its_assessment_follows_the_cc_qti_profile():
    """What neither the profile schema nor its Schematron checks: every varequal names a
    label of its item (the profile's rule 9 is commented out), identifiers are unique in
    the whole file, scores stay in SCORE's 0..100, and each type gets its profile."""
    content, _ = to_common_cartridge({"title": "Week 1"}, every_type(), NOW)
    archive = zipfile.ZipFile(io.BytesIO(content))
    manifest = parsed(archive.read(common_cartridge.MANIFEST))
    cp = {"cp": common_cartridge.CP_NAMESPACE}
    files = {f.get("href") for f in manifest.iterfind(".//cp:file", cp)}
    assert files == set(archive.namelist()) - {common_cartridge.MANIFEST}
    resource = manifest.find(".//cp:resource", cp)
    assert resource.get("type") == "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"
    ref = manifest.find(".//cp:organization/cp:item/cp:item", cp).get("identifierref")
    assert ref == resource.get("identifier")

    root = parsed(archive.read(common_cartridge.ASSESSMENT_FILE))
    assert root.tag == f"{{{common_cartridge.QTI_NAMESPACE}}}questestinterop"
    (test,) = root.findall("q:assessment", CC)  # exactly one assessment, one section
    assert len(test.findall("q:section", CC)) == 1
    idents = [e.get("ident") for e in root.iter() if e.get("ident")]
    assert len(idents) == len(set(idents))  # idents are unique in the file
    profiles = []
    for element in test.iterfind(".//q:item", CC):
        fields = {
            f.findtext("q:fieldlabel", namespaces=CC): f.findtext("q:fieldentry", namespaces=CC)
            for f in element.iterfind("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", CC)
        }
        profiles.append(fields["cc_profile"])
        (decvar,) = element.findall(".//q:decvar", CC)  # a single decvar, SCORE
        assert decvar.get("varname") == "SCORE"
        responses = {r.get("ident") for r in element.iterfind(".//q:presentation/*", CC)}
        labels = {r.get("ident") for r in element.iterfind(".//q:response_label", CC)}
        for equal in element.iterfind(".//q:varequal", CC):
            assert equal.get("respident") in responses
            assert element.find(".//q:response_lid", CC) is None or equal.text in labels
        feedback = {f.get("ident") for f in element.iterfind("q:itemfeedback", CC)}
        for shown in element.iterfind(".//q:displayfeedback", CC):
            assert shown.get("feedbacktype") == "Response" and shown.get("linkrefid") in feedback
        for setvar in element.iterfind(".//q:setvar", CC):
            assert setvar.get("action") == "Set" and 0 <= float(setvar.text) <= 100
        children = [etree.QName(c).localname for c in element]
        assert children[:3] == ["itemmetadata", "presentation", "resprocessing"]
    profile_of = {
        "single": "cc.multiple_choice.v0p1",
        "multi": "cc.multiple_response.v0p1",
        "truefalse": "cc.true_false.v0p1",
        "short": "cc.fib.v0p1",
        "essay": "cc.essay.v0p1",
    }
    carried = [i["type"] for i in every_type() if REGISTRY[i["type"]].FORMATS["cc"].carried]
    assert profiles == [profile_of[t] for t in carried]


def test_a_cartridge_scores_a_short_answer_by_its_fractions_without_case():
    files, _ = cartridge_files({}, [SHORT_FRACTIONS])
    root = parsed(files[common_cartridge.ASSESSMENT_FILE])
    scored = [
        (
            c.findtext(".//q:varequal", namespaces=CC),
            c.find(".//q:varequal", CC).get("case"),
            c.findtext("q:setvar", namespaces=CC),
        )
        for c in root.iterfind(".//q:respcondition", CC)
        if c.find("q:setvar", CC) is not None
    ]
    assert scored == [("ICC", "No", "100"), ("court", "No", "50")]


@pytest.mark.parametrize("writer", [qti_files, cartridge_files])
def test_an_item_that_is_not_valid_is_left_out_with_what_to_fix(writer):
    broken = item("single")
    broken["data"]["options"][0]["correct"] = False  # no right option
    files, issues = writer({"title": "W"}, [item("truefalse"), broken])
    assert [(i.index, i.dropped) for i in issues] == [(1, True)]
    assert issues[0].message.startswith("fix it first: a single-choice item needs exactly one")
    assert b"Which post did Tae Yong-ho hold?" not in b"".join(files.values())


def test_an_essay_is_left_to_a_marker_with_its_rubric_for_scorers_only():
    essay = parsed(qti.qti_item(item("essay"), "i"))
    interaction = essay.find(".//q:extendedTextInteraction", NS)
    assert interaction.findtext("q:prompt", namespaces=NS).endswith("(at most 150 words)")
    block = essay.find(".//q:rubricBlock", NS)
    assert block.get("view") == "scorer"
    assert [p.text for p in block.iterfind("q:p", NS)] == [
        "Explains what an armistice is: Missing (0); Clear (1)",
        "Uses evidence: None (0); Some (1); Well chosen (2)",
    ]
    assert essay.find(".//q:setOutcomeValue[@identifier='SCORE']", NS) is None
    plain = parsed(qti.qti_item(ESSAY_PLAIN, "i"))
    assert plain.find(".//q:extendedTextInteraction", NS).get("placeholderText") == "I think"
    notes = [p.text for p in plain.iterfind(".//q:rubricBlock/q:p", NS)]
    assert notes == ["Marked out of 5.", "Be fair."]
