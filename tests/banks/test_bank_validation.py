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
