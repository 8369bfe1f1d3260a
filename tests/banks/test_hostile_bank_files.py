"""Hostile bank files are refused with the path of the problem, through every import, changing nothing."""

import copy
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from paydown.bankfile import validation

from banks import files
from banks import services as bank_services
from banks.models import BankVersion
from tests import factories
from tests.banks.bank_data import database_state, small_bank


def bank_yaml(**overrides) -> str:
    """The small bank as a file for version 2: it would import if nothing were wrong with it."""
    return files.dump(small_bank(version=2, **overrides))


@pytest.fixture
def staff_client(client):
    return factories.login_curator(client)


@pytest.fixture(params=["import_file", "admin", "command"])
def refuse(request, published, tmp_path):
    """Import a file through one way in; return the refusal's text after checking nothing changed.

    The small bank's version 1 is published beforehand, so an import that got through would show.
    """

    def import_through_one_way_in(raw: str | bytes) -> str:
        raw = raw.encode() if isinstance(raw, str) else raw
        before = database_state()
        if request.param == "import_file":
            with pytest.raises(files.BankFileError) as caught:
                files.import_file(raw)
            text = "\n".join(caught.value.errors)
        elif request.param == "admin":
            client = request.getfixturevalue("staff_client")
            upload = SimpleUploadedFile("bank.yaml", raw, content_type="application/yaml")
            response = client.post(reverse("admin:banks_bankversion_import"), {"file": upload})
            assert response.status_code == 400
            assert "Nothing was imported" in response.text
            text = html.unescape(response.text)
        else:
            path = tmp_path / "bank.yaml"
            path.write_bytes(raw)
            with pytest.raises(CommandError) as caught:
                call_command("import_bank", str(path))
            text = str(caught.value)
            assert "nothing imported" in text
        assert database_state() == before
        return text

    return import_through_one_way_in


# --- the findings -------------------------------------------------------------------------------


def billion_laughs() -> str:
    """Nine anchors, each a list of nine aliases of the one before: 9^9 strings once expanded."""
    items = ["  - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        items.append(f"  - &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return bank_yaml().replace(
        "description: For tests.\n", "description:\n" + "\n".join(items) + "\n"
    )


def test_billion_laughs_is_refused_before_any_alias_is_expanded(refuse):
    assert "description[0]: YAML anchors (&) and aliases (*) are not allowed" in refuse(
        billion_laughs()
    )


def test_any_anchor_or_alias_is_refused_not_only_a_bomb(refuse):
    text = bank_yaml().replace("name: Data\n", "name: &n Data\n").replace("name: Code", "name: *n")

    assert "categories[0].name: YAML anchors (&) and aliases (*) are not allowed" in refuse(text)


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        (500, f"description{'[0]' * 11}: nested more than 12 levels deep"),
        # libyaml stops first, at its own limit of 1,000, while looking ahead
        (
            50_000,
            "description: invalid YAML at line 3, column 1013: exceeded maximum nesting depth",
        ),
    ],
)
def test_deep_nesting_is_refused_at_its_path_without_recursion_error(refuse, depth, expected):
    text = bank_yaml().replace(
        "description: For tests.", "description: " + "[" * depth + "]" * depth
    )

    assert expected in refuse(text)


def test_nan_in_the_scale_is_refused(refuse):
    text = bank_yaml().replace("scale: [0, 1, 2]", "scale: [0, .nan, 2]")

    assert "scale[1]: nan is not a number" in refuse(text)


def test_a_version_number_beyond_the_database_column_is_refused(refuse):
    text = bank_yaml().replace("version: 2\n", f"version: {2**70}\n")

    assert "version: 1180591620717411303424 is greater than the maximum of 2147483647" in refuse(
        text
    )


def test_a_weight_that_would_be_stored_rounded_is_refused(refuse):
    data = small_bank(version=2)
    data["categories"][0]["weight"] = 1e-7

    assert "categories[0].weight: 1e-07 would be stored as 0.00; use at most 2 decimals" in refuse(
        files.dump(data)
    )


def test_a_duplicate_key_is_refused_with_its_path(refuse):
    text = bank_yaml().replace("  name: Data\n", "  name: Data\n  weight: 5\n", 1)
    assert text.count("weight: 5") == 1

    assert "categories[0].weight: duplicate key (first on line" in refuse(text)


def test_a_file_with_a_status_is_refused_and_makes_nothing_published(refuse):
    text = bank_yaml().replace("version: 2\n", "version: 2\nstatus: published\n")

    assert "status: a bank file has no status" in refuse(text)
    assert not BankVersion.objects.filter(number=2).exists()


def test_an_import_always_makes_a_draft(published):
    version = files.import_file(bank_yaml())

    assert version.status == BankVersion.Status.DRAFT
    assert version.published_at is None
    assert "status" not in files.export_version(version)


def test_shipped_banks_are_imported_then_published_through_the_publish_service(db, monkeypatch):
    published = []
    publish = bank_services.publish_version

    def spy(*, version):
        assert version.is_draft
        published.append(version.bank.slug)
        return publish(version=version)

    monkeypatch.setattr(bank_services, "publish_version", spy)

    versions = files.load_shipped_banks()

    assert published == [
        "ml-technical-debt",
        "ml-test-score",
        "ml-technical-debt",
        "ml-technical-debt",
    ]
    assert all(v.status == BankVersion.Status.PUBLISHED and v.published_at for v in versions)


# --- more hostile files, found while fixing those ------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda t: t.replace("name: Data", 'name: "Da\\0ta"'),
            "categories[0].name: contains a NUL character",
            id="nul-character",
        ),
        pytest.param(
            lambda t: t.replace("name: Data", 'name: "Da\\ud800ta"'),
            "categories[0].name: invalid YAML at line 9, column 14: found invalid Unicode character",
            id="lone-surrogate",
        ),
        pytest.param(
            lambda t: t.replace("name: Data", "name: Da\x07ta"),
            "file: control characters are not allowed (#x0007 at character 132)",
            id="control-character",
        ),
        pytest.param(
            lambda t: t.replace("name: Data", "name: 2001-02-30"),
            "categories[0].name: day is out of range for month",
            id="impossible-date",
        ),
        pytest.param(
            lambda t: t.replace("version: 2\n", f"version: {'9' * 5000}\n"),
            "version: a number of 5,000 characters; at most 32",
            id="number-of-5000-digits",
        ),
        pytest.param(
            lambda t: t.replace("weight: 2\n", "weight: 0.1000000000000000000001\n"),
            "categories[0].weight: 0.1000000000000000000001 cannot be kept exactly",
            id="more-digits-than-a-float",
        ),
        pytest.param(
            lambda t: t.replace("scale: [0, 1, 2]", "scale: [0, 0.125, 2]"),
            "scale[1]: 0.125 would be stored as 0.12; use at most 2 decimals",
            id="scale-with-three-decimals",
        ),
        pytest.param(
            lambda t: t.replace("  - value: 2\n", "  - value: .inf\n", 1),
            "categories[0].questions[0].levels[2].value: inf is not a number",
            id="infinite-level",
        ),
        pytest.param(
            lambda t: t.replace("weight: 2\n", "weight: .inf\n"),
            "categories[0].weight: inf is greater than the maximum of 1000",
            id="infinite-weight",
        ),
        pytest.param(
            lambda t: t.replace("name: Data", "name: " + "x" * 10_001),
            "categories[0].name: a text of 10,001 characters; at most 10,000",
            id="long-text",
        ),
        pytest.param(
            lambda t: t.replace("covers: [glue-code]", f"covers: [{'a, ' * 50_000}a]"),
            "categories[0].questions[0].covers[",
            id="too-many-values",
        ),
        pytest.param(
            lambda t: t.replace("  name: Data\n", "  name: Data\n  yes: 1\n", 1),
            "categories[0]: key 'yes' is not text (YAML reads it as a bool); quote it",
            id="key-that-is-not-text",
        ),
        pytest.param(
            lambda t: t.replace("slug: tiny", 'slug: "tiny\\n"'),
            "slug: 'tiny\\n' does not match",
            id="slug-with-trailing-newline",
        ),
    ],
)
def test_other_hostile_files_are_refused_with_their_path(refuse, change, expected):
    assert expected in refuse(change(bank_yaml()))


def test_import_bank_reads_no_more_of_a_file_than_the_limit(published, tmp_path):
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"#" * (3 * files.MAX_FILE_BYTES))

    with pytest.raises(CommandError, match="2,097,153 bytes is over the 2 MB limit"):
        call_command("import_bank", str(huge))


def test_a_file_of_more_than_50000_values_is_refused_early():
    with pytest.raises(files.BankFileError) as caught:
        files.parse("x: [" + "a, " * 600_000 + "a]")

    assert caught.value.errors == ["x[49997]: more than 50,000 values in one file"]


def test_a_long_list_of_problems_is_cut_short():
    data = small_bank(version=2)
    data["categories"] = [copy.deepcopy(c) for c in data["categories"] * 200]

    with pytest.raises(files.BankFileError) as caught:
        files.load(files.dump(data))

    assert len(caught.value.errors) == files.MAX_ERRORS + 1
    assert caught.value.errors[-1].endswith("more problems not shown")


def test_a_prerequisite_chain_longer_than_the_recursion_limit_is_checked():
    # Within the file limits a chain stays shorter, but a draft edited in the admin has no limit,
    # and publishing validates it the same way.
    data = small_bank(version=2)
    questions = data["categories"][0]["questions"]
    for i in range(3000):
        question = copy.deepcopy(questions[0])
        question.update(key=f"q{i}", prerequisites=[f"q{i + 1}"])
        questions.append(question)
    questions[-1]["prerequisites"] = ["q0"]  # closes a cycle through all of them

    errors = validation.validate(data)

    assert len(errors) == 1
    assert errors[0].startswith("categories[0].questions[2].prerequisites: cycle q0 → q1 → q2")
    assert errors[0].endswith("q2999 → q0")
