"""Properties every question type shares: the registry, hidden keys, determinism, robustness."""

import json
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.domain.itemtypes import ITEM_TYPES, REGISTRY, multi, ordering, validate_item

# Hand-written samples; a type without one here is tested with its module's EXAMPLE.
_SAMPLES = {
    "single": (
        "Which post did Tae Yong-ho hold?",
        {
            "options": [
                {"text": "Deputy ambassador", "correct": True, "why": "Number two in London."},
                {"text": "Ambassador", "correct": False, "why": "That was his boss."},
                {"text": "Consul", "correct": False},
                {"text": "Trade attaché", "correct": False},
            ]
        },
    ),
    "multi": (
        "Which tactics do the cables show?",
        {
            "options": [
                {"text": "Boycott", "correct": True},
                {"text": "Walkout", "correct": True},
                {"text": "Inspection", "correct": False},
                {"text": "Apology", "correct": False},
            ]
        },
    ),
    "truefalse": ("Ri Il-gyu brought the cables out.", {"answer": True}),
    "short": (
        "Who was deputy ambassador in London?",
        {
            "answers": [
                {"text": "Tae Yong-ho", "fraction": 1},
                {"text": "Thae Yong Ho", "fraction": 1},
            ]
        },
    ),
    "numeric": (
        "How many?",
        {"answers": [{"value": 1822, "tolerance": 2, "fraction": 1}], "unit": "people"},
    ),
    "ordering": ("Earliest first", {"items": ["Boycott", "Walkout", "Guidelines", "Release"]}),
    "matching": (
        "Who served where?",
        {
            "pairs": [
                {"left": "Tae Yong-ho", "right": "London"},
                {"left": "Ri Il-gyu", "right": "Havana"},
            ],
            "distractors": ["Beijing"],
        },
    ),
    "cloze": (
        "",
        {
            "text": "Kim ordered a {1} of the panel in {2}.",
            "blanks": [{"answers": ["boycott"]}, {"answers": ["2016"]}],
        },
    ),
}
SAMPLES = {name: _SAMPLES.get(name, REGISTRY[name].EXAMPLE) for name in ITEM_TYPES}
TYPES = sorted(SAMPLES)
# Words that would give the answer away if they showed up in a view.
KEY_WORDS = ('"correct"', '"why"', '"weight', '"answer', '"fraction"', '"matches"', '"order"')


def test_registry_holds_every_type_with_the_whole_api():
    assert sorted(REGISTRY) == TYPES == sorted(ITEM_TYPES)
    for module in REGISTRY.values():
        for name in ("validate", "present", "parse_response", "grade"):
            assert callable(getattr(module, name))
        assert callable(module.describe_key) and callable(module.describe_response)


@pytest.mark.parametrize("item_type", TYPES)
def test_samples_are_valid(item_type):
    prompt, data = SAMPLES[item_type]
    assert validate_item({"type": item_type, "prompt": prompt, "data": data}) == []


def test_validate_item_rejects_unknown_types_and_non_dicts():
    assert validate_item({"type": "drawing"}) == ["Unknown question type 'drawing'"]
    assert validate_item({"type": ["single"]}) == ["Unknown question type ['single']"]
    assert validate_item("single") == ["An item must be a dict"]
    assert validate_item({"type": "single", "data": {"options": []}}) == [
        "The question has no prompt",
        "A single-choice item needs at least 2 options; this one has 0",
        "A single-choice item needs exactly one right answer; this one has 0",
    ]


@pytest.mark.parametrize("item_type", TYPES)
def test_view_and_key_are_json_and_the_same_for_the_same_seed(item_type):
    module = REGISTRY[item_type]
    _, data = SAMPLES[item_type]
    view, key = module.present(data, Random(42))
    assert json.loads(json.dumps([view, key])) == [view, key]
    assert module.present(data, Random(42)) == (view, key)


@pytest.mark.parametrize("item_type", TYPES)
def test_view_never_carries_the_key(item_type):
    module = REGISTRY[item_type]
    _, data = SAMPLES[item_type]
    for seed in range(30):
        view, key = module.present(data, Random(seed))
        text = json.dumps(view)
        assert not any(word in text for word in KEY_WORDS)
        assert "Number two" not in text  # no explanations either


@pytest.mark.parametrize(
    ("item_type", "secrets"),
    [("short", ["Tae", "Thae"]), ("numeric", ["1822"]), ("cloze", ["boycott", "2016"])],
)
def test_typed_answers_are_absent_from_the_view(item_type, secrets):
    view, _ = REGISTRY[item_type].present(SAMPLES[item_type][1], Random(0))
    assert not any(secret in json.dumps(view) for secret in secrets)


def test_the_right_option_moves_between_attempts():
    _, data = SAMPLES["single"]
    positions = {REGISTRY["single"].present(data, Random(seed))[1]["correct"] for seed in range(40)}
    assert positions == {0, 1, 2, 3}


# -- property tests ---------------------------------------------------------------------

NAMES = [
    "answer", "order", "match-0", "match-1", "match-2", "blank-1", "blank-2", "blank-3",
    "options", "answers", "items", "pairs", "distractors", "text", "blanks", "unit",
    "correct", "weight", "why", "fraction", "value", "tolerance", "left", "right",
]  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=20,
)
small_numbers = st.integers(-3, 9).map(str)
form_value = st.lists(small_numbers | st.text(max_size=12), max_size=6) | st.text() | json_values
forms = st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=8), form_value, max_size=6)
quick = settings(max_examples=60, database=None, deadline=None)


@pytest.mark.parametrize("item_type", TYPES)
@quick
@given(form=forms, seed=st.integers(0, 1000))
def test_parse_response_never_raises_and_grades_stay_in_range(item_type, form, seed):
    module = REGISTRY[item_type]
    view, key = module.present(SAMPLES[item_type][1], Random(seed))
    response = module.parse_response(view, form)
    json.dumps(response)
    grade = module.grade(view, key, response)
    assert 0 <= grade.score <= 1
    assert grade.correct == (grade.score == 1)
    assert isinstance(module.describe_response(view, response), str)


@pytest.mark.parametrize("item_type", TYPES)
@quick
@given(response=json_values)
def test_grade_survives_any_stored_response(item_type, response):
    module = REGISTRY[item_type]
    view, key = module.present(SAMPLES[item_type][1], Random(0))
    assert 0 <= module.grade(view, key, response).score <= 1
    assert isinstance(module.describe_response(view, response), str)


@pytest.mark.parametrize("item_type", TYPES)
@quick
@given(prompt=json_values, data=json_values)
def test_validate_reports_problems_instead_of_raising(item_type, prompt, data):
    problems = REGISTRY[item_type].validate(prompt, data)
    assert all(isinstance(problem, str) for problem in problems)


@quick
@given(ticked=st.sets(st.integers(0, 3)), seed=st.integers(0, 1000))
def test_multi_is_correct_exactly_when_the_right_options_are_ticked(ticked, seed):
    view, key = multi.present(SAMPLES["multi"][1], Random(seed))
    grade = multi.grade(view, key, sorted(ticked) or None)
    assert grade.correct == (sorted(ticked) == key["correct"])
    assert 0 <= grade.score <= 1


@quick
@given(arrangement=st.permutations(range(4)), seed=st.integers(0, 1000))
def test_ordering_is_correct_exactly_when_the_order_is(arrangement, seed):
    view, key = ordering.present(SAMPLES["ordering"][1], Random(seed))
    grade = ordering.grade(view, key, list(arrangement))
    assert grade.correct == (list(arrangement) == key["order"])
    assert 0 <= grade.score <= 1
