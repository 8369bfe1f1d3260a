"""Version 2 of the default bank (issue #13): each ML Test Score test asked once, cumulative levels
with evidence, N/A only under a precondition, risk tiers, and a key map from version 1 that the
importer checks."""

import copy
from collections import Counter
from decimal import Decimal as D

import pytest
from paydown.bankfile import coverage, validation

from banks import files, services
from banks.models import BankVersion

V1 = files.load((files.BANK_FILES / "ml-technical-debt.yaml").read_bytes())
V2 = files.load((files.BANK_FILES / "ml-technical-debt-v2.yaml").read_bytes())
QUESTIONS = [q for category in V2["categories"] for q in category["questions"]]


def test_every_ml_test_score_test_is_asked_by_exactly_one_question():
    asked = Counter(
        test for q in QUESTIONS for test in q["covers"] if test in coverage.ML_TEST_SCORE_TESTS
    )

    assert set(asked) == set(coverage.ML_TEST_SCORE_TESTS)
    assert {test: n for test, n in asked.items() if n > 1} == {}


def test_no_question_answers_two_ml_test_score_tests():
    doubles = {
        q["key"]: tests
        for q in QUESTIONS
        if len(tests := [t for t in q["covers"] if t in coverage.ML_TEST_SCORE_TESTS]) > 1
    }
    assert doubles == {}


def test_every_debt_type_is_still_covered():
    covered = {item for q in QUESTIONS for item in q["covers"]}
    assert set(coverage.DEBT_TYPES) <= covered


def test_levels_are_cumulative_by_a_stated_rule_and_every_level_says_what_to_link():
    assert "only when every condition" in V2["level_rule"]
    assert V2["evidence_link_from_level"] == 3
    missing = [
        (q["key"], level["value"])
        for q in QUESTIONS
        for level in q["levels"]
        if not level.get("evidence")
    ]
    assert missing == []
    # From level 3 on, the hint names a link.
    assert all(
        level["evidence"].startswith("Link")
        for q in QUESTIONS
        for level in q["levels"]
        if level["value"] >= 3
    )


def test_na_only_under_a_stated_precondition_and_never_for_another_team():
    allowed = [q for q in QUESTIONS if q.get("allow_na", True)]
    assert allowed and all(q.get("na_precondition") for q in allowed)
    assert not any("handled by another team" in q["na_precondition"].lower() for q in allowed)


def test_every_question_cites_a_source_and_every_step_states_its_person_weeks():
    assert all(q["references"] for q in QUESTIONS)
    assert all("effort_weeks" in step for q in QUESTIONS for step in q["remediation"])


def test_the_review_s_duplicates_are_gone():
    keys = {q["key"] for q in QUESTIONS}
    # Registration refused without metadata: asked in config-run-lineage only, and the per-slice
    # release gate in ops-deployment-validation only (bank-review.md, G3).
    assert "data-upstream-signals" not in keys and "ops-upstream-dependencies" in keys
    assert len([q for q in QUESTIONS if q["key"].startswith("config-")]) == 6
    assert [c["key"] for c in V2["categories"]] == [
        "data", "code", "feedback-loops", "configuration", "evaluation", "operations", "skills"
    ]  # fmt: skip


def test_the_key_map_names_every_version_1_question_once():
    v1_keys = {q["key"] for c in V1["categories"] for q in c["questions"]}
    previous = V2["previous_version"]

    assert set(previous["keys"]) == v1_keys
    continued = {old for old, new in previous["keys"].items() if old == new}
    # A continued key keeps its meaning; every other v1 key ends, or hands over to a new series.
    assert not continued & set(previous["new_series"])
    assert {new for old, new in previous["keys"].items() if new not in (None, old)} <= set(
        previous["new_series"]
    )


def test_tiers_target_every_category_and_internal_asks_for_written_practice():
    tiers = {t["key"]: t for t in V2["tiers"]}
    assert list(tiers) == ["experimental", "internal", "customer-facing", "regulated"]
    assert tiers["internal"]["targets"] == {
        "data": 2, "code": 2, "feedback-loops": 1, "configuration": 2, "evaluation": 2,
        "operations": 2, "skills": 2,
    }  # fmt: skip


def broken(change) -> dict:
    data = copy.deepcopy(V2)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["tiers"][1].update(key="experimental"), "tiers[1].key: duplicate tier key 'experimental'"),
        (lambda d: d["tiers"][0]["targets"].pop("data"), "tiers[0].targets: no target for category 'data'"),
        (lambda d: d["tiers"][0]["targets"].update(ops=1), "tiers[0].targets: unknown category 'ops'"),
        (lambda d: d["tiers"][0]["targets"].update(data=2.5), "tiers[0].targets.data: 2.5 is not on the version's scale [0, 1, 2, 3, 4]"),
        (lambda d: d["tiers"][0].update(critical_target=7), "tiers[0].critical_target: 7 is not on the version's scale [0, 1, 2, 3, 4]"),
        (lambda d: d.update(evidence_link_from_level=5), "evidence_link_from_level: 5 is not on the version's scale [0, 1, 2, 3, 4]"),
        (lambda d: d["previous_version"].update(version=2), "previous_version.version: 2 is not before version 2"),
        (lambda d: d["previous_version"]["keys"].update({"config-diff": "data-schemas"}),
         "previous_version.keys.config-diff: unknown question key 'data-schemas'"),
        (lambda d: d["previous_version"]["keys"].update({"config-diff": "data-input-validation"}),
         "previous_version.keys.config-diff: 'data-input-validation' has another key, so its trend starts anew; list it in new_series"),
        (lambda d: d["previous_version"]["new_series"].append("data-schema"),
         "previous_version.new_series: 'data-schema' was a key of version 1; a question that starts a new series needs a new key"),
        (lambda d: d["previous_version"]["added"].append("data-nothing"), "previous_version.added: unknown question key 'data-nothing'"),
        (lambda d: d["previous_version"]["keys"].update({"data-schema": None}),
         "previous_version.keys.data-schema: 'data-schema' is a key of this version too, so its trend would go on; map it to itself, or give this version's question another key"),
    ],
)  # fmt: skip
def test_a_broken_tier_or_key_map_is_refused_with_its_path(change, expected):
    assert validation.validate(broken(change)) == [expected]


def test_publishing_refuses_a_key_map_that_forgets_a_question_of_the_previous_version(db):
    files.load_shipped_banks()
    data = broken(lambda d: d["previous_version"]["keys"].pop("ops-rollback"))
    data["version"] = 4  # after the shipped versions 1 to 3
    draft = files.import_data(data)

    with pytest.raises(files.BankFileError, match="'ops-rollback' of version 1 is not mapped"):
        services.publish_version(version=draft)
    assert BankVersion.objects.get(pk=draft.pk).is_draft


def test_publishing_refuses_a_key_map_from_a_version_the_bank_lacks(db):
    data = broken(lambda d: d.update(slug="other-bank"))

    with pytest.raises(files.BankFileError, match="this bank has no version 1"):
        services.publish_version(version=files.import_data(data))


def test_version_2_round_trips_with_its_tiers_levels_and_key_map(db):
    version = files.import_data(copy.deepcopy(V2))
    data = files.version_to_data(files.version_for_export(version.pk))

    assert data["tiers"] == V2["tiers"]
    assert data["mlops_levels"] == V2["mlops_levels"]
    assert data["previous_version"] == V2["previous_version"]
    assert (data["level_rule"], data["evidence_link_from_level"]) == (V2["level_rule"], 3)
    assert version.evidence_link_from_level == D(3)


def test_a_new_draft_from_version_2_drops_the_key_map(shipped_banks):
    draft = services.new_draft_from(version=shipped_banks["ml-technical-debt-v2"])

    # Numbered after the bank's latest, version 3 (version 2 in German).
    assert draft.number == 4 and draft.previous_version == {} and draft.tiers
