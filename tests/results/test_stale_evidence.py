"""Stale evidence (issue #15) where results are read: the results page and the audit PDF judge the
evidence stored at submit as of their date; the dashboard counts each project's share."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import time_machine
from django.urls import reverse

from assessment import services
from assessment.models import AssessmentResult
from assessment.reports import pdf
from tests import factories
from tests.dashboard.test_dashboard import DASHBOARD_QUERIES, portfolio_rows
from tests.pages import pdf_text, squeeze

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
RELINKED = T0 + timedelta(days=150)  # data-b's link replaced: a piece confirmed then
# The small bank sets no limit: 180 days. Then data-a's two links (confirmed at T0) are stale,
# data-b's new one is not.
LATER = T0 + timedelta(days=200)
LEVELS = {"data-a": 2, "data-b": 1, "code-a": 0}


def save(assessment, respondent, links: dict[str, str]) -> None:
    """Answer every question through the questionnaire's service, which keeps the evidence rows."""
    for key, level in LEVELS.items():
        services.record_answer(
            assessment=assessment,
            question_id=assessment.version.questions.get(key=key).pk,
            respondent=respondent,
            answer=services.AnswerInput(value=Decimal(level), links=links.get(key, "")),
        )


def submit_with_aging_evidence(assessment, respondent, manager):
    """Two links on data-a confirmed at T0, and data-b's link replaced at RELINKED, when it is
    submitted."""
    with time_machine.travel(T0, tick=False):
        save(assessment, respondent, {"data-a": "https://a.example\nhttps://b.example"})
    with time_machine.travel(RELINKED, tick=False):
        save(
            assessment,
            respondent,
            {"data-a": "https://a.example\nhttps://b.example", "data-b": "https://c.example"},
        )
        return services.submit_assessment(assessment=assessment, by=manager)


def test_the_results_page_marks_evidence_older_than_its_limit_and_counts_it(
    client_for, assessment, alice, bob, django_assert_num_queries
):
    submitted = submit_with_aging_evidence(assessment, alice, bob)

    with time_machine.travel(LATER, tick=False):
        client = client_for(alice)
        # The page's pinned queries (tests/results/test_results_page.py), the snapshots among
        # them: however much evidence there is, no more.
        with django_assert_num_queries(12):
            response = client.get(reverse("assessment:results", args=[submitted.pk]))

    text = squeeze(response.text)
    assert (
        '<p class="stale-evidence-note">2 of 3 pieces of evidence are stale (older than their '
        "limit since last confirmed); the next assessment asks to re-attest them.</p>"
    ) in text
    stale_panel = text.split('id="stale-evidence"')[1].split("</section>")[0]
    assert (
        '<li>How is data-a handled? <span class="badge warn">2 pieces of stale evidence · '
        "oldest confirmed 5 Jan 2026</span></li>"
    ) in stale_panel
    assert "data-b" not in stale_panel and "code-a" not in stale_panel


def test_the_results_page_of_fresh_evidence_marks_nothing(client_for, assessment, alice, bob):
    submitted = submit_with_aging_evidence(assessment, alice, bob)

    with time_machine.travel(T0 + timedelta(days=170), tick=False):
        response = client_for(alice).get(reverse("assessment:results", args=[submitted.pk]))

    assert response.status_code == 200
    assert "stale" not in response.text.lower()
    assert 'id="stale-evidence"' not in response.text


def test_the_audit_report_marks_stale_evidence_as_of_its_date(assessment, alice, bob):
    submitted = submit_with_aging_evidence(assessment, alice, bob)
    stored_hash = AssessmentResult.objects.get(assessment=submitted).integrity_sha256

    with time_machine.travel(LATER, tick=False):
        text = pdf_text(pdf.assessment_report_pdf(submitted))

    assert (
        "As of 24 July 2026, 2 of 3 pieces of evidence are stale (older than their limit since "
        "last confirmed); the next assessment asks to re-attest them."
    ) in text
    data_a = text.split("How is data-a handled?")[1].split("How is data-b handled?")[0]
    assert "2 pieces of stale evidence · oldest confirmed 5 Jan 2026" in data_a
    data_b = text.split("How is data-b handled?")[1].split("How is code-a handled?")[0]
    assert "stale" not in data_b
    # The date only changes what the report says, never the export it vouches for.
    assert stored_hash == pdf.integrity_hash(submitted)
    assert stored_hash in text.replace(" ", "")


def test_the_report_of_fresh_evidence_marks_nothing(assessment, alice, bob):
    submitted = submit_with_aging_evidence(assessment, alice, bob)

    with time_machine.travel(T0 + timedelta(days=170), tick=False):
        text = pdf_text(pdf.assessment_report_pdf(submitted))

    assert "stale" not in text


def test_the_dashboard_shows_each_projects_share_of_stale_evidence(
    client_for, alice, bob, team1, published, project1, django_assert_num_queries
):
    with time_machine.travel(T0, tick=False):
        stale = services.start_assessment(
            project=project1, version=published, started_by=alice, title="Old evidence"
        )
    submit_with_aging_evidence(stale, alice, bob)
    fresh_project = factories.make_project(team1, "Fresh model")
    bare_project = factories.make_project(team1, "Bare model")
    with time_machine.travel(RELINKED, tick=False):
        fresh = services.start_assessment(
            project=fresh_project, version=published, started_by=alice, title="New evidence"
        )
        save(fresh, alice, {"code-a": "https://d.example"})
        services.submit_assessment(assessment=fresh, by=bob)
        factories.make_result(bare_project, published, bob, LEVELS)  # no evidence at all

    with time_machine.travel(LATER, tick=False):
        client = client_for(bob)
        with django_assert_num_queries(DASHBOARD_QUERIES):
            response = client.get("/dashboard/", {"bank": "tiny", "sort": "name"})

    # Project, team, overall, data, code, stale evidence, last assessed.
    shares = {row[0]: row[5] for row in portfolio_rows(response.text)}
    assert shares == {"Bare model": "—", "Fresh model": "0 %", "Query ranker": "67 %"}
    assert 'title="2 of 3 pieces">67 %</span>' in response.text
