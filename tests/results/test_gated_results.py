"""Method version 2 end to end (issue #13): a bank declares it, a submit stores the gated level,
what held the next level back and the method, and the results page names the gate."""

import copy
from decimal import Decimal

import pytest
from paydown import scoring

from assessment import services
from assessment.models import AssessmentResult
from assessment.reports import pdf
from assessment.results.queries import bank_input, load_result
from banks import files
from banks import services as bank_services
from tests import factories
from tests.banks.bank_data import gated_bank, small_bank
from tests.pages import pdf_text, squeeze, table_headed


@pytest.fixture
def gated(db):
    return bank_services.publish_version(
        version=files.import_data(files.load(files.dump(gated_bank())))
    )


def submit(project, version, user, levels: dict[str, int]) -> AssessmentResult:
    return factories.make_result(project, version, user, levels)


def test_the_file_round_trips_with_the_method_and_its_fields(gated):
    exported = files.load(files.export_version(gated))

    assert exported["method"] == {"version": 2, "gate_share": 0.8}
    question = exported["categories"][1]["questions"][0]
    assert (question["critical"], question["na_precondition"]) == (
        True,
        "The system makes no online predictions.",
    )
    first = exported["categories"][0]["questions"][0]
    assert first["levels"][3]["evidence"] == "Link the CI job."
    assert first["remediation"][0]["effort_weeks"] == 0.5
    again = files.import_data({**exported, "version": 2})
    assert files.load(files.export_version(again)) == {**exported, "version": 2}


def test_a_version_1_file_exports_without_the_method_2_fields(db):
    version = files.import_data(files.load(files.dump(small_bank())))

    text = files.export_version(version)

    for word in ("method:", "critical", "na_precondition", "evidence", "effort_weeks"):
        assert word not in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d.update(scoring="ml-test-score"),
            "method version 2 is for the maturity method",
        ),
        (lambda d: d.update(scale=[0, 1, 2]), "method version 2 needs the levels [0, 1, 2, 3, 4]"),
        (
            lambda d: d["categories"][1]["questions"][0].pop("na_precondition"),
            "categories[1].questions[0].na_precondition: with method version 2 a question allows "
            "N/A only under a stated precondition",
        ),
        (lambda d: d.update(method={"version": 2, "gate_share": 0.3}), "method.gate_share"),
        (lambda d: d.update(method={"version": 3}), "method.version"),
    ],
)
def test_a_method_2_file_is_refused_with_a_reason(db, change, message):
    data = copy.deepcopy(gated_bank())
    change(data)

    with pytest.raises(files.BankFileError) as refused:
        files.load(files.dump(data))

    assert any(message in error for error in refused.value.errors), refused.value.errors


def test_too_little_weight_at_a_level_holds_it_back_and_the_page_says_so(
    client_for, alice, project1, gated
):
    # Mean: data (3×4 + 3×4 + 3×0) / 9 → 66.7, operations 100, overall 83.4 ("4 Optimized" by
    # the banded mean); by gates, 7 of the 10 weights at 1 or above is short of 80 %: level 0.
    levels = {"data-a": 4, "data-b": 4, "data-c": 0, "ops-monitoring": 4}

    result = submit(project1, gated, alice, levels)

    stored = AssessmentResult.objects.get(pk=result.pk)
    assert (stored.method_version, stored.gate_share, stored.level, stored.overall) == (
        2,
        Decimal("0.80"),
        0,
        Decimal("83.4"),  # (66.7 + 100) ÷ 2
    )
    assert stored.held_back_by == {
        "level": 1,
        "share": "0.700",
        "share_needed": "0.80",
        "critical": [],
    }
    html = squeeze(client_for(alice).get(f"/assessments/{stored.assessment_id}/results/").text)
    assert "Level 0 · Ad hoc" in html
    assert "a level needs 80 % of the applicable weight" in html
    assert (
        "Level 1 is held back:</strong> 70.0 % of the weight is at level 1 or above, 80 % needed."
        in html
    )


def test_the_critical_question_is_named_when_it_holds_the_level(client_for, alice, project1, gated):
    # 9 of 10 weights at 4 pass every share gate; the critical question at 1 stops level 3.
    levels = {"data-a": 4, "data-b": 4, "data-c": 4, "ops-monitoring": 1}

    result = submit(project1, gated, alice, levels)

    assert (result.level, result.held_back_by["level"]) == (2, 3)
    assert result.held_back_by["critical"] == ["ops-monitoring"]
    html = squeeze(client_for(alice).get(f"/assessments/{result.assessment_id}/results/").text)
    assert (
        "Level 3 is held back:</strong> “How is ops-monitoring handled?” is at 1 (critical: it must be at 2"
        " or above)." in html
    )


def test_a_version_1_result_says_nothing_of_gates(client_for, alice, project1, published):
    result = submit(project1, published, alice, {"data-a": 2})

    assert (result.method_version, result.held_back_by) == (1, {})
    html = client_for(alice).get(f"/assessments/{result.assessment_id}/results/").text
    assert "given by gates" not in html


def test_rescoring_a_stored_method_2_result_gives_the_same_level(alice, project1, gated):
    result = submit(
        project1, gated, alice, {"data-a": 4, "data-b": 4, "data-c": 4, "ops-monitoring": 1}
    )

    card = scoring.score(bank_input(load_result(result.assessment)))
    assert (card.level, card.gated.held_back_by.as_data()) == (result.level, result.held_back_by)


def test_the_audit_pdf_names_the_gate(alice, project1, gated):
    levels = {"data-a": 4, "data-b": 4, "data-c": 4, "ops-monitoring": 1}
    result = submit(project1, gated, alice, levels)

    text = " ".join(pdf_text(pdf.assessment_report_pdf(result.assessment)).split())
    assert "Level 3 is held back: “How is ops-monitoring handled?” is at 1" in text


def test_a_category_mostly_not_applicable_is_never_a_plain_score(
    client_for, alice, project1, published
):
    # Issue #13, finding 2: marking questions N/A must not turn a weak category into a plain 100.
    assessment = services.start_assessment(
        project=project1, version=published, started_by=alice, title="Gaming"
    )
    factories.answer(assessment, alice, {"data-a": "na", "data-b": 2, "code-a": 1})
    services.submit_assessment(assessment=assessment, by=alice)
    assessment.refresh_from_db()

    html = squeeze(client_for(alice).get(f"/assessments/{assessment.pk}/results/").text)
    pdf_body = " ".join(pdf_text(pdf.assessment_report_pdf(assessment)).split())

    # data: data-a N/A, data-b at the top (2 of 2) → 100, but over half of its questions are N/A.
    assert (
        '<th scope="row">Data</th><td class="num" data-label="Score">100.0 <span class="badge warn">low confidence: 50 % N/A</span></td>'
        in html
    )
    assert (
        '<th scope="row">Code</th><td class="num" data-label="Score">50.0</td>' in html
    )  # nothing N/A: no mark
    assert "Data 100.0 low confidence: 50 % N/A" in pdf_body


def test_history_shows_where_the_scoring_method_changed(client_for, alice, project1):
    before = gated_bank()
    del before["method"]
    first = bank_services.publish_version(version=files.import_data(files.load(files.dump(before))))
    second = bank_services.publish_version(
        version=files.import_data(files.load(files.dump(gated_bank(version=2))))
    )
    levels = {"data-a": 4, "data-b": 4, "data-c": 4, "ops-monitoring": 1}
    submit(project1, first, alice, levels)
    submit(project1, second, alice, levels)

    html = client_for(alice).get(f"/projects/{project1.slug}/history/").text

    rows = table_headed(html, "Assessment", "Submitted", "Bank")
    assert [row[2] for row in rows] == [
        "Gated bank v1",
        "Gated bank v2 scoring method 2 from here",
    ]
    assert [row[4] for row in rows] == ["—", "+0.0"]  # the mean is computed alike: comparable


def test_an_ml_test_score_with_na_tests_shows_the_raw_and_the_adjusted_score(
    client_for, alice, project1, shipped_banks
):
    version = shipped_banks["ml-test-score"]
    assessment = services.start_assessment(
        project=project1, version=version, started_by=alice, title="MTS"
    )
    questions = list(version.questions.select_related("category").order_by("pk"))
    na = {}  # the first test of each section that allows N/A
    for question in questions:
        if question.allow_na:
            na.setdefault(question.category.key, question)
    not_applicable = {q.key for q in na.values()}
    levels = {q.key: "na" if q.key in not_applicable else 1 for q in questions}
    factories.answer(assessment, alice, levels)
    services.submit_assessment(assessment=assessment, by=alice)

    html = squeeze(client_for(alice).get(f"/assessments/{assessment.pk}/results/").text)

    # Every applicable test at 1: a section with an N/A test has 6 raw points, 7 adjusted.
    assert len(na) >= 1
    assert "adjusted for N/A: 7.00" in html
    assert "the raw score (6.0) counts them as no points" in html
    rows = table_headed(html, "Section", "Points", "Tests counted", "Adjusted for N/A")
    section = next(row for row in rows if row[2] == "6 / 7")
    assert section[1:] == ["6.00", "6 / 7", "7.00"]
    assessment.refresh_from_db()
    pdf_body = " ".join(pdf_text(pdf.assessment_report_pdf(assessment)).split())
    assert "the raw score (6.0) counts them as no points" in pdf_body
    assert "and the lowest is 7.00" in pdf_body
