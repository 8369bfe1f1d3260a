"""The bank file format's parsing and validation: plain data, no database."""

import pytest
import yaml
from paydown.bankfile import validation

from banks import files
from tests.banks.bank_data import small_bank


def broken(change) -> dict:
    data = small_bank()
    change(data)
    return data


def test_the_small_bank_is_valid():
    assert validation.validate(small_bank()) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["categories"][1]["questions"][0]["levels"].pop(),
            "categories[1].questions[0].levels: expected 3, got 2",
        ),
        (
            lambda d: d["categories"][0]["questions"][1].pop("text"),
            "categories[0].questions[1]: 'text' is a required property",
        ),
        (
            lambda d: d["categories"][0]["questions"][1].update(key="data-a"),
            "categories[0].questions[1].key: duplicate question key 'data-a'",
        ),
        (
            lambda d: d["categories"][1].update(key="data"),
            "categories[1].key: duplicate category key 'data'",
        ),
        (
            lambda d: d["categories"][0]["questions"][0]["levels"][2].update(value=7),
            "categories[0].questions[0].levels[2].value: 7 is not on the version's scale [0, 1, 2]",
        ),
        (
            lambda d: d["categories"][0]["questions"][0].update(weight=0),
            "categories[0].questions[0].weight: 0 is less than or equal to the minimum of 0",
        ),
        (
            lambda d: d["categories"][0]["questions"][1].update(prerequisites=["nope"]),
            "categories[0].questions[1].prerequisites: unknown question key 'nope'",
        ),
        (
            lambda d: d["categories"][0]["questions"][0].update(prerequisites=["data-b"]),
            "categories[0].questions[0].prerequisites: cycle data-a → data-b → data-a",
        ),
        (
            lambda d: d["categories"][0]["questions"][0]["remediation"].pop(),
            "categories[0].questions[0].remediation: no step toward level 2",
        ),
        (
            lambda d: d["categories"][0]["questions"][0]["remediation"][0].update(effort="XL"),
            "categories[0].questions[0].remediation[0].effort: 'XL' is not one of ['S', 'M', 'L']",
        ),
        (
            lambda d: d["categories"][0].update(colour="red"),
            "categories[0]: Additional properties are not allowed ('colour' was unexpected)",
        ),
        (lambda d: d.update(scoring="vibes"), "scoring: 'vibes' is not one of"),
        (lambda d: d.update(scale=[2, 1, 0]), "scale: values must be distinct and ascending"),
    ],
)
def test_each_problem_is_reported_with_its_path(change, expected):
    errors = validation.validate(broken(change))

    assert any(error.startswith(expected) for error in errors), errors


def test_every_problem_is_reported_at_once():
    def break_three_ways(d):
        d["categories"][0]["questions"][0]["levels"].pop()
        d["categories"][1]["key"] = "data"
        d["categories"][1]["questions"][0]["prerequisites"] = ["missing"]

    errors = validation.validate(broken(break_three_ways))

    assert len(errors) == 3, errors


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"slug: [unclosed", "line 1, column"),
        (b"- just\n- a list\n", "file: expected a mapping"),
        (b"\xff\xfe not utf-8", "file: not UTF-8 text"),
        (b"x" * (files.MAX_FILE_BYTES + 1), "over the 2 MB limit"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(raw, expected):
    with pytest.raises(files.BankFileError) as caught:
        files.load(raw)

    assert expected in caught.value.errors[0]


def test_yaml_output_reads_back_as_the_same_data():
    data = small_bank()

    assert yaml.safe_load(files.dump(data)) == data


# --- one round of errors (issue #18: structure first, the rules only after a second upload) ---------


def test_a_structural_problem_in_one_question_and_a_rule_broken_in_another_come_together():
    def break_two_ways(d):
        d["categories"][0]["questions"][1].pop("text")  # structure
        d["categories"][1]["questions"][0]["levels"].pop()  # a rule: one level per scale value

    assert validation.validate(broken(break_two_ways)) == [
        "categories[0].questions[1]: 'text' is a required property",
        "categories[1].questions[0].levels: expected 3, got 2",
    ]


DATA_B_LEVELS = "categories[0].questions[1].levels: expected 3, got 2"
CODE_A_EXTRA = (
    "categories[1].questions[0]: Additional properties are not allowed ('slug' was unexpected)"
)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (  # a broken category: its questions wait for it
            lambda d: d["categories"][0].update(weight="heavy"),
            ["categories[0].weight: 'heavy' is not of type 'number'", CODE_A_EXTRA],
        ),
        (  # a number that cannot be stored: that question waits, the others are checked
            lambda d: d["categories"][0]["questions"][0].update(weight=0.001),
            [
                CODE_A_EXTRA,
                "categories[0].questions[0].weight: 0.001 would be stored as 0.00; use at most 2 "
                "decimals",
                DATA_B_LEVELS,
            ],
        ),
        (  # a broken tier is left out of the rules; the questions are still checked
            lambda d: d.update(tiers=[{"key": "x"}]),
            [
                CODE_A_EXTRA,
                "tiers[0]: 'name' is a required property",
                "tiers[0]: 'targets' is a required property",
                DATA_B_LEVELS,
            ],
        ),
    ],
)
def test_rules_are_checked_on_every_part_that_parsed(change, expected):
    def break_more(d):
        change(d)
        d["categories"][0]["questions"][1]["levels"].pop()
        # code-a is broken in structure, so its own rules wait: no word on its prerequisite.
        d["categories"][1]["questions"][0]["prerequisites"] = ["nowhere"]
        d["categories"][1]["questions"][0]["slug"] = "extra"

    assert validation.validate(broken(break_more)) == expected


def test_a_reference_to_a_broken_question_is_no_second_problem():
    def break_data_a(d):
        d["categories"][0]["questions"][0].pop("why")  # data-b requires data-a
        d["categories"][1]["questions"][0]["remediation"].pop()

    assert validation.validate(broken(break_data_a)) == [
        "categories[0].questions[0]: 'why' is a required property",
        "categories[1].questions[0].remediation: no step toward level 2",
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(scale="0 to 2"),
        lambda d: d.update(categories={"data": []}),
        lambda d: d.pop("scoring"),
    ],
)
def test_a_broken_scale_or_category_list_stops_the_rules_with_its_own_message(change):
    def with_a_rule_broken(d):
        d["categories"][1]["questions"][0]["levels"].pop()
        change(d)

    errors = validation.validate(broken(with_a_rule_broken))

    assert errors and not any("expected 3, got 2" in error for error in errors)


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        (
            ["categories[1].questions[0].levels: expected 3, got 2"],
            ['category "code", question "code-a", levels: expected 3, got 2'],
        ),
        (
            ["categories[0].questions[1]: 'text' is a required property"],
            ['category "data", question "data-b": \'text\' is a required property'],
        ),
        (
            ["categories[0].questions[0].levels[2].value: 7 is not on the scale"],
            ['category "data", question "data-a", levels[2].value: 7 is not on the scale'],
        ),
        (["categories[1].key: duplicate"], ['category "code", key: duplicate']),
        (["categories[0].questions[7].key: x"], ["categories[0].questions[7].key: x"]),
        (["scale: not ascending"], ["scale: not ascending"]),
    ],
)
def test_name_by_keys_names_the_category_and_question_by_key(errors, expected):
    assert validation.name_by_keys(errors, small_bank()) == expected
