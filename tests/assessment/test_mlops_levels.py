"""Google's MLOps levels 0–2 and Microsoft's 0–4 from named questions (issue #13): every boundary of
the shipped mapping, the N/A and unanswered rules, and the validation of broken and hostile mappings."""

import copy
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from paydown import mlops_levels
from paydown.bankfile import validation
from paydown.mlops_levels import Answered, Condition, Framework, FrameworkLevel, Unmet

from banks import files
from tests.data_paths import all_paths

BANK_FILE = Path(files.BANK_FILES) / "ml-technical-debt-v2.yaml"


BANK = files.load(BANK_FILE.read_bytes())
MAPPING = BANK["mlops_levels"]
SCALE = [D(str(value)) for value in BANK["scale"]]
QUESTION_KEYS = {q["key"] for category in BANK["categories"] for q in category["questions"]}
FRAMEWORKS = {f.key: f for f in mlops_levels.frameworks_from_data(MAPPING)}


def at_least_everything_up_to(framework: Framework, k: int) -> dict[str, Answered]:
    """Answers that meet every condition of levels 1..k exactly at its threshold; a question named
    at two levels takes the higher threshold."""
    values: dict[str, D] = {}
    for level in framework.levels[1 : k + 1]:
        for condition in level.requires:
            values[condition.question_key] = max(
                condition.at_least, values.get(condition.question_key, condition.at_least)
            )
    return {key: Answered(value) for key, value in values.items()}


def step_below(value: D) -> D:
    return SCALE[SCALE.index(value) - 1]


# (framework, k, the condition of level k + 1 held one step below): every condition of every
# boundary in the shipped file.
BOUNDARIES = [
    (key, level.level - 1, condition)
    for key, framework in FRAMEWORKS.items()
    for level in framework.levels[1:]
    for condition in level.requires
]


def boundary_id(case) -> str:
    key, k, condition = case
    return f"{key}-{k}to{k + 1}-{condition.question_key}"


def answers_at_boundary(key: str, k: int, held_back: Condition) -> dict[str, Answered]:
    """Levels ≤ k and every other condition of level k + 1 met exactly; `held_back` a step short."""
    framework = FRAMEWORKS[key]
    answers = at_least_everything_up_to(framework, k + 1)
    answers[held_back.question_key] = Answered(step_below(held_back.at_least))
    return answers


def test_the_shipped_file_maps_google_0_to_2_and_microsoft_0_to_4():
    shown = [
        (s.framework.key, s.framework.name, s.top)
        for s in mlops_levels.standings(FRAMEWORKS.values(), {})
    ]

    assert shown == [("google", "Google Cloud", 2), ("microsoft", "Microsoft", 4)]
    assert len(BOUNDARIES) == (6 + 6) + (3 + 5 + 7 + 6)


@pytest.mark.parametrize(("key", "k", "held_back"), BOUNDARIES, ids=map(boundary_id, BOUNDARIES))
def test_one_condition_a_step_short_keeps_the_level_below(key, k, held_back):
    answers = answers_at_boundary(key, k, held_back)

    result = mlops_levels.standing(FRAMEWORKS[key], answers)

    assert result.reached.level == k
    assert result.next_level.level == k + 1
    assert result.unmet == (
        Unmet(held_back.question_key, held_back.at_least, step_below(held_back.at_least)),
    )


@pytest.mark.parametrize(("key", "k", "held_back"), BOUNDARIES, ids=map(boundary_id, BOUNDARIES))
def test_raising_that_answer_to_its_threshold_reaches_the_next_level(key, k, held_back):
    answers = answers_at_boundary(key, k, held_back)
    answers[held_back.question_key] = Answered(held_back.at_least)

    result = mlops_levels.standing(FRAMEWORKS[key], answers)

    assert result.reached.level == k + 1


@pytest.mark.parametrize("key", ["google", "microsoft"])
def test_every_condition_met_is_the_top_with_nothing_left(key):
    framework = FRAMEWORKS[key]
    answers = at_least_everything_up_to(framework, framework.levels[-1].level)

    result = mlops_levels.standing(framework, answers)

    assert result.reached == framework.levels[-1]
    assert (result.next_level, result.unmet) == (None, ())
    assert result.top == result.reached.level


@pytest.mark.parametrize("key", ["google", "microsoft"])
def test_no_answers_is_level_0_with_every_level_1_condition_unanswered(key):
    framework = FRAMEWORKS[key]

    result = mlops_levels.standing(framework, {})

    assert result.reached.level == 0
    assert [u.question_key for u in result.unmet] == [
        c.question_key for c in framework.levels[1].requires
    ]
    assert all(u.value is None for u in result.unmet)


def test_google_level_2_met_but_one_level_1_condition_short_is_level_0():
    google = FRAMEWORKS["google"]
    answers = at_least_everything_up_to(google, 2)
    answers["code-prototype"] = Answered(D(2))

    result = mlops_levels.standing(google, answers)

    assert result.reached.level == 0
    assert result.unmet == (Unmet("code-prototype", D(3), D(2)),)


# --- the rules on a small model ------------------------------------------------------------------

SMALL = Framework(
    "example",
    "Example model",
    (
        FrameworkLevel(0, "Start", "", ()),
        FrameworkLevel(1, "One", "", (Condition("a", D(2)), Condition("b", D(3)))),
        FrameworkLevel(2, "Two", "", (Condition("c", D(3)), Condition("d", D(4)))),
    ),
)


@pytest.mark.parametrize(
    ("answers", "level", "unmet"),
    [
        # Exactly at the threshold holds; above it too.
        ({"a": Answered(D(2)), "b": Answered(D(4))}, 1, [("c", None), ("d", None)]),
        # N/A counts as met, at any level.
        ({"a": Answered(None, not_applicable=True), "b": Answered(D(3))}, 1, [("c", None), ("d", None)]),
        ({k: Answered(None, not_applicable=True) for k in "abcd"}, 2, []),
        # Unanswered ("don't know") counts as not met, as does a question missing from the answers.
        ({"a": Answered(None), "b": Answered(D(3))}, 0, [("a", None)]),
        ({"b": Answered(D(3))}, 0, [("a", None)]),
        # A team median between two levels does not round up.
        ({"a": Answered(D("1.5")), "b": Answered(D(3))}, 0, [("a", D("1.5"))]),
        # Cumulative: level 2's conditions all hold, level 1's do not.
        ({"a": Answered(D(1)), "b": Answered(D(4)), "c": Answered(D(4)), "d": Answered(D(4))}, 0, [("a", D(1))]),
        # The unmet list names exactly the missing conditions of the next level, in the file's order.
        ({"a": Answered(D(0)), "b": Answered(D(2))}, 0, [("a", D(0)), ("b", D(2))]),
        ({"a": Answered(D(4)), "b": Answered(D(4)), "d": Answered(D(4))}, 1, [("c", None)]),
    ],
)  # fmt: skip
def test_a_level_needs_its_conditions_and_those_below(answers, level, unmet):
    result = mlops_levels.standing(SMALL, answers)

    assert result.reached.level == level
    assert [(u.question_key, u.value) for u in result.unmet] == unmet
    assert result.next_level == (None if level == 2 else SMALL.levels[level + 1])


@pytest.mark.parametrize(
    ("unmet", "text"),
    [
        (Unmet("ops-prediction-monitoring", D(3), D(1)), "ops-prediction-monitoring is at 1, needs 3"),
        (Unmet("ops-prediction-monitoring", D(3), None), "ops-prediction-monitoring is unanswered, needs 3"),
        (Unmet("a", D("3.00"), D("2.50")), "a is at 2.5, needs 3"),
    ],
)  # fmt: skip
def test_an_unmet_condition_says_where_the_answer_is_and_what_it_needs(unmet, text):
    assert unmet.describe() == text


def test_standings_give_one_per_framework_in_the_file_order():
    answers = at_least_everything_up_to(FRAMEWORKS["google"], 1)

    result = mlops_levels.standings(FRAMEWORKS.values(), answers)

    assert [(s.framework.key, s.reached.level) for s in result] == [("google", 1), ("microsoft", 0)]


# --- reading the mapping -------------------------------------------------------------------------


def test_frameworks_keep_the_file_order_skip_the_rule_and_read_numbers_as_decimals():
    data = {
        "rule": "text",
        "microsoft": {"source": "M", "levels": [{"level": 0, "name": "No MLOps", "requires": []}]},
        "google": {
            "source": "G",
            "levels": [
                {"level": 0, "name": "Manual", "description": "By hand", "requires": []},
                {
                    "level": 1,
                    "name": "Pipeline",
                    "requires": [
                        {"question": "a", "at_least": 3},
                        {"question": "b", "at_least": 0.5},
                        {"question": "c", "at_least": "2"},
                    ],
                },
            ],
        },
        "acme": {"levels": [{"level": 0, "name": "Start"}]},
    }

    frameworks = mlops_levels.frameworks_from_data(data)

    assert [(f.key, f.name, f.source) for f in frameworks] == [
        ("microsoft", "Microsoft", "M"),
        ("google", "Google Cloud", "G"),
        ("acme", "Acme", ""),
    ]
    assert frameworks[1].levels[0] == FrameworkLevel(0, "Manual", "By hand", ())
    assert frameworks[1].levels[1].requires == (
        Condition("a", D(3)),
        Condition("b", D("0.5")),
        Condition("c", D(2)),
    )
    assert frameworks[2].levels == (FrameworkLevel(0, "Start", "", ()),)


@pytest.mark.parametrize("data", [None, {}, {"rule": "text only"}])
def test_no_mapping_is_no_frameworks(data):
    assert mlops_levels.frameworks_from_data(data) == []


# --- validation of the mapping (cli/src/paydown/bankfile/validation.py, on the whole bank file) ---------------------


def problems(mapping) -> list[str]:
    return [e for e in validation.validate({**BANK, "mlops_levels": mapping}) if "mlops" in e]


def test_the_shipped_mapping_has_no_problems():
    assert validation.validate(BANK) == []


def broken(change) -> dict:
    data = copy.deepcopy(MAPPING)
    change(data)
    return data


def g_level(data, i):
    return data["google"]["levels"][i]


def drop_level_1(data):
    del data["google"]["levels"][1]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "mlops_levels: [] is not of type 'object'"),
        (broken(lambda d: d.update(rule=3)), "mlops_levels.rule: 3 is not of type 'string'"),
        (broken(lambda d: d["google"].pop("levels")), "mlops_levels.google: 'levels' is a required property"),
        (broken(lambda d: d["google"].update(level=[])), "mlops_levels.google: Additional properties are not allowed ('level' was unexpected)"),
        # Levels count 0, 1, 2 from 0, without gaps.
        (broken(drop_level_1), "mlops_levels.google.levels: levels must count up from 0 without gaps, got [0, 2]"),
        (broken(lambda d: g_level(d, 1).update(level=True)), "mlops_levels.google.levels[1].level: True is not of type 'integer'"),
        (broken(lambda d: g_level(d, 1).update(requires=[])), "mlops_levels.google.levels[1].requires: a level above 0 needs at least one condition"),
        (broken(lambda d: g_level(d, 1).pop("requires")), "mlops_levels.google.levels[1]: 'requires' is a required property"),
        (broken(lambda d: g_level(d, 0).update(requires=[{"question": "code-prototype", "at_least": 1}])),
         "mlops_levels.google.levels[0].requires: level 0 is where every team starts"),
        # Conditions name a question of the bank and a level on its scale.
        (broken(lambda d: g_level(d, 1)["requires"][0].update(question="code-pipelines")),
         "mlops_levels.google.levels[1].requires[0].question: unknown question key 'code-pipelines'"),
        (broken(lambda d: g_level(d, 1)["requires"][0].update(at_least=2.5)),
         "mlops_levels.google.levels[1].requires[0].at_least: 2.5 is not on the version's scale [0, 1, 2, 3, 4]"),
        (broken(lambda d: g_level(d, 1)["requires"][0].update(at_least="three")),
         "mlops_levels.google.levels[1].requires[0].at_least: 'three' is not of type 'number'"),
    ],
)  # fmt: skip
def test_each_broken_mapping_gets_its_message(data, expected):
    assert problems(data) == [expected]


# --- hostile mappings ----------------------------------------------------------------------------

KEYS = ["rule", "google", "source", "levels", "level", "name", "description", "requires"]
KEYS += ["question", "at_least", "code-prototype"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(max_size=12),
    st.sampled_from(["3", "sNaN", "-Infinity", "1e999999", "code-prototype", ""]),
    # No int past Python's digit limit: the YAML reader refuses those before validation.
)
json_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8), st.integers()), children, max_size=4),
    ),
    max_leaves=16,
)  # fmt: skip


@st.composite
def shipped_mapping_with_one_part_replaced(draw):
    """Mostly valid mappings, so that the deeper checks meet hostile values too."""
    data = copy.deepcopy(MAPPING)
    path = draw(st.sampled_from(list(all_paths(data))))
    replacement = draw(json_like)
    if not path:
        return replacement
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = replacement
    return data


@pytest.mark.fuzz
@given(st.one_of(json_like, shipped_mapping_with_one_part_replaced()))
def test_validation_never_raises_and_every_message_has_its_path(data):
    found = validation.validate({**BANK, "mlops_levels": data})

    assert all(message.startswith("mlops_levels") for message in found)
    if not found and data:
        # What passes must also build and stand: level 0 with no answers.
        for framework in mlops_levels.frameworks_from_data(data):
            assert mlops_levels.standing(framework, {}).reached.level == 0
