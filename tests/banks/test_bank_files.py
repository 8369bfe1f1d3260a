"""Import and export of bank files, and the shipped files."""

import pytest
from django.core.management import CommandError, call_command
from paydown.bankfile.coverage import DEBT_TYPES, ML_TEST_SCORE_TESTS, missing_coverage

from banks import files
from banks.models import BankVersion, Category, PublishedVersionError, Question, QuestionBank


def purge_bank(slug: str) -> None:
    """Tests only: remove a bank, published versions included, bypassing the frozen managers."""
    BankVersion._base_manager.filter(bank__slug=slug).delete()
    QuestionBank.objects.filter(slug=slug).delete()


@pytest.mark.parametrize("path", files.SHIPPED_BANKS, ids=lambda p: p.name)
def test_export_import_export_is_byte_identical(db, path):
    raw = path.read_bytes()
    first = files.export_version(files.import_file(raw))
    slug = files.load(raw)["slug"]
    purge_bank(slug)

    second = files.export_version(files.import_file(first))

    assert first.encode() == raw  # the shipped file is in canonical form
    assert second == first


def test_a_file_with_an_error_changes_nothing(db):
    text = files.SHIPPED_BANKS[0].read_text().replace("  - value: 4\n", "  - value: 9\n", 1)

    with pytest.raises(files.BankFileError) as caught:
        files.import_file(text)

    assert "is not on the version's scale [0, 1, 2, 3, 4]" in caught.value.errors[0]
    assert QuestionBank.objects.count() == 0
    assert Question.objects.count() == 0


def test_importing_an_existing_version_number_is_refused(shipped_banks):
    with pytest.raises(files.BankFileError, match="already has a version 1"):
        files.import_file(files.SHIPPED_BANKS[0].read_bytes())
    assert BankVersion.objects.count() == 4


def test_shipped_banks_load_once(shipped_banks):
    assert set(shipped_banks) == {
        "ml-technical-debt",
        "ml-test-score",
        "ml-technical-debt-v2",
        "ml-technical-debt-v3",
    }
    assert files.load_shipped_banks() == []
    assert all(v.status == BankVersion.Status.PUBLISHED for v in shipped_banks.values())


def test_default_bank_has_six_categories_of_at_least_eight_questions(shipped_banks):
    version = shipped_banks["ml-technical-debt"]
    categories = Category.objects.filter(version=version)

    assert [c.key for c in categories] == [
        "data",
        "code",
        "feedback-loops",
        "configuration",
        "operations",
        "skills",
    ]
    for category in categories:
        assert category.questions.count() >= 8, category.key
    assert version.scale == [0, 1, 2, 3, 4]


def default_bank_covers() -> dict[str, set[str]]:
    data = files.load(files.SHIPPED_BANKS[0].read_bytes())
    return {
        question["key"]: set(question["covers"])
        for category in data["categories"]
        for question in category["questions"]
    }


def test_default_bank_covers_every_debt_type_and_all_28_tests():
    covered = set().union(*default_bank_covers().values())

    assert len(ML_TEST_SCORE_TESTS) == 28
    assert missing_coverage(covered) == []
    assert covered <= set(DEBT_TYPES) | set(ML_TEST_SCORE_TESTS)  # no misspelt keys


def test_removing_the_only_cover_of_a_debt_type_is_detected():
    covers = default_bank_covers()
    sole_covers = {
        key: tags
        for key, tags in covers.items()
        if any(sum(tag in other for other in covers.values()) == 1 for tag in tags)
    }
    question, tags = next(iter(sole_covers.items()))
    del covers[question]

    assert missing_coverage(set().union(*covers.values())) != []


def test_ml_test_score_bank_has_the_28_tests_in_four_sections(shipped_banks):
    version = shipped_banks["ml-test-score"]

    assert version.scoring_method == BankVersion.ScoringMethod.ML_TEST_SCORE
    assert version.scale == [0, 0.5, 1]
    assert sorted(Question.objects.filter(version=version).values_list("key", flat=True)) == sorted(
        ML_TEST_SCORE_TESTS
    )
    assert Category.objects.filter(version=version).count() == 4


def test_import_and_export_commands(db, tmp_path, capsys):
    call_command("import_bank", str(files.SHIPPED_BANKS[1]))
    output = tmp_path / "out.yaml"

    call_command("export_bank", "ml-test-score", "--version", "1", "--output", str(output))
    capsys.readouterr()
    call_command("export_bank", "ml-test-score")

    assert output.read_bytes() == files.SHIPPED_BANKS[1].read_bytes()
    assert capsys.readouterr().out == files.SHIPPED_BANKS[1].read_text()


def test_import_command_lists_every_problem(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: x\nname: X\n")

    with pytest.raises(CommandError) as caught:
        call_command("import_bank", str(bad))

    assert "nothing imported" in str(caught.value)
    assert "'description' is a required property" in str(caught.value)
    assert "'categories' is a required property" in str(caught.value)


def test_export_command_for_an_unknown_bank_fails_cleanly(db):
    with pytest.raises(CommandError, match="No bank 'nope'"):
        call_command("export_bank", "nope")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d.update(scale=[0, 1, 2]),
            "scale: the ML Test Score scores each test 0, 0.5 or 1",
        ),
        (lambda d: d["categories"].pop(), "categories: the ML Test Score has four sections, got 3"),
        (
            lambda d: d["categories"][1]["questions"].pop(),
            "categories[1].questions: a section has seven tests, got 6",
        ),
        (
            lambda d: d["categories"][2]["questions"][3].update(weight=2),
            "categories[2].questions[3].weight: every test weighs 1, got 2",
        ),
        (
            lambda d: d["categories"][0].update(weight=3),
            "categories[0].weight: every section weighs 1",
        ),
    ],
)
def test_a_bank_scored_as_the_ml_test_score_must_have_its_shape(change, message):
    data = files.load((files.BANK_FILES / "ml-test-score.yaml").read_bytes())  # the shape holds
    change(data)

    with pytest.raises(files.BankFileError) as refused:
        files.load(files.dump(data))

    assert any(error.startswith(message) for error in refused.value.errors), refused.value.errors


def test_an_ml_test_score_bank_refuses_na_unless_its_file_allows_it(db):
    data = files.load((files.BANK_FILES / "ml-test-score.yaml").read_bytes())
    allowed = {
        q["key"] for c in data["categories"] for q in c["questions"] if q.get("allow_na", True)
    }
    for category in data["categories"]:
        for q in category["questions"]:
            if q["key"] != "data-1":
                q.pop("allow_na", None)
    data["categories"][0]["questions"][0]["allow_na"] = True

    version = files.import_data(data)

    assert allowed  # the shipped file allows N/A on some tests, saying so for each
    assert set(
        Question.objects.filter(version=version, allow_na=True).values_list("key", flat=True)
    ) == {"data-1"}


def test_signals_and_evidence_ages_round_trip_in_their_documented_key_order(db):
    data = files.load(files.SHIPPED_BANKS[0].read_bytes())
    data["version"] = 99
    data["evidence_max_age_days"] = 90
    question = data["categories"][0]["questions"][0]
    question["evidence_max_age_days"] = 30
    # Written in another key order than the documented one, as jsonb may give it back.
    question["signals"] = [
        {
            "all": [{"content": {"pattern": "dvc", "files": ["*.yaml"]}}, {"imports": ["dvc"]}],
            "same_file": False,
            "supports": 0,
            "confidence": "low",
            "says": "A DVC file",
            "rule": "dvc-file",
        }
    ]

    exported = files.export_version(files.import_data(data))

    again = files.load(exported)
    assert again["evidence_max_age_days"] == 90
    assert again["categories"][0]["questions"][0]["evidence_max_age_days"] == 30
    # supports 0 is kept; a false flag is left out; keys come in the documented order.
    assert again["categories"][0]["questions"][0]["signals"] == [
        {
            "rule": "dvc-file",
            "says": "A DVC file",
            "supports": 0,
            "confidence": "low",
            "all": [{"content": {"files": ["*.yaml"], "pattern": "dvc"}}, {"imports": ["dvc"]}],
        }
    ]
    assert list(again["categories"][0]["questions"][0]["signals"][0]) == [
        "rule", "says", "supports", "confidence", "all"
    ]  # fmt: skip


def test_a_published_shipped_version_takes_its_files_new_signals_and_nothing_else(shipped_banks):
    version = BankVersion.objects.get(bank__slug="ml-technical-debt", number=1)
    question = version.questions.order_by("pk").first()
    Question.objects.filter(pk=question.pk).update(signals=[])  # as published before signals
    data = files.load(files.SHIPPED_BANKS[0].read_bytes())
    data["categories"][0]["questions"][0]["signals"] = [
        {"rule": "r", "says": "s", "supports": 1, "confidence": "low", "all": [{"files": ["x"]}]}
    ]

    assert files.refresh_signals(version, data) >= 1

    question.refresh_from_db()
    assert question.signals[0]["rule"] == "r"
    with pytest.raises(PublishedVersionError):  # the rest stays frozen
        Question.objects.filter(pk=question.pk).update(signals=[], text="Changed?")
