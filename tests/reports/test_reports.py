"""PDF reports: the assessment's audit report, the portfolio report served directly or run as a
background job, and the jobs' pages and downloads."""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from assessment import access, services
from assessment.dashboard import queries as portfolio
from assessment.models import Answer, ReportJob
from assessment.reports import pdf as reports
from assessment.reports import views as report_views
from projects.models import Project
from tests import factories
from tests.pages import HTMX, pdf_text


def test_the_report_holds_the_project_categories_questions_and_hash(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)
    url = reverse("assessment:assessment_report", args=[submitted.pk])
    client.get(url)  # queued and, on the tests' immediate queue, rendered and stored at once

    # session
    # user
    # the result ⋈ assessment, project, its report job, where the user may see the project
    # the audit log's entry for the download
    with django_assert_num_queries(4):
        response = client.get(url)
    pdf = response.getvalue()
    exported = client.get(
        reverse("assessment:results_export", args=[submitted.pk, "json"])
    ).getvalue()

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{submitted.project.slug}-assessment-{submitted.pk}-report.pdf"'
    )
    text = pdf_text(pdf)
    assert "Query ranker" in text
    for category in ("Data", "Code"):
        assert category in text
    for question in submitted.version.questions.all():
        assert question.text in text
    assert "Schema checked in CI." in text
    assert "https://ci.example/schema" in text
    digest = hashlib.sha256(exported).hexdigest()
    assert digest in text.replace(" ", "")
    assert reports.integrity_hash(submitted) == digest
    assert PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_the_report_text_is_the_same_every_time(submitted):
    first = pdf_text(reports.assessment_report_pdf(submitted))
    second = pdf_text(reports.assessment_report_pdf(submitted))

    assert first == second


def test_the_report_of_the_default_bank_lists_all_54_questions(shipped_banks, project1, alice, bob):
    version = shipped_banks["ml-technical-debt"]
    assessment = services.start_assessment(
        project=project1, version=version, started_by=alice, title="Full"
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=q, respondent=alice, level_value=i % 5)
        for i, q in enumerate(version.questions.all())
    )
    assessment = services.submit_assessment(assessment=assessment, by=bob)

    text = pdf_text(reports.assessment_report_pdf(assessment))

    assert version.questions.count() == 54
    for question in version.questions.all():
        assert " ".join(question.text.split()) in text, question.key
    for name in (
        "Data",
        "Code",
        "Feedback loops",
        "Configuration",
        "Operations",
        "Skills and culture",
    ):
        assert name in text


def test_render_report_command_writes_the_pdf(submitted, tmp_path):
    output = tmp_path / "report.pdf"

    call_command("render_report", str(submitted.pk), "--output", str(output))

    assert pdf_text(output.read_bytes()) == pdf_text(reports.assessment_report_pdf(submitted))


def test_report_is_404_for_another_team_and_before_submit(client_for, carol, alice, submitted):
    in_progress = services.start_assessment(
        project=submitted.project, version=submitted.version, started_by=alice, title="Open"
    )

    url = reverse("assessment:assessment_report", args=[submitted.pk])
    assert client_for(carol).get(url).status_code == 404
    url = reverse("assessment:assessment_report", args=[in_progress.pk])
    assert client_for(alice).get(url).status_code == 404


# session
# user
# the teams the user manages
# the banks (filter choices)
# the category keys (sortable columns)
# the bank's categories (the table's columns)
# the visible projects (a count on the team index)
# the assessed and stale ones (a count on the latest results' index)
# the score histograms added up from the teams' counts (percentiles)
# every visible project with its latest result's scores, in order
# the questions most projects answer at level 1 or below, from the teams' counts
# the newest wording of those questions and the bank's advice for them
# (no trends: the report draws no trend chart)
PORTFOLIO_QUERIES = 12


def test_small_portfolio_report_is_served_directly(
    client_for, bob, small_portfolio, django_assert_num_queries
):
    client = client_for(bob)

    # and the bank's newest version with its name, for the cover; the audit log's entry
    with django_assert_num_queries(PORTFOLIO_QUERIES + 2):
        response = client.get(reverse("assessment:portfolio_report"), {"bank": "tiny"})

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="paydown-portfolio.pdf"'
    text = pdf_text(response.getvalue())
    assert "Portfolio of 3 projects" in text
    assert "REQUESTED BY bob" in text  # the style sets the labels in capitals
    assert "bank Tiny bank (newest version: 1)" in text
    assert "Weak model Search & Ranking 16.7 25.0 p25 0.0 p25" in text
    assert "Strong model Search & Ranking 100.0 100.0 p75 100.0 p75" in text
    assert "Unassessed model Search & Ranking — — — never" in text
    assert "Other team model" not in text
    assert "1 of 2 projects are at level 1 or below on: How is data-a handled?" in text


@pytest.fixture
def queued(monkeypatch):
    """Every portfolio is too large to render within the request."""
    monkeypatch.setattr(report_views, "SYNC_REPORT_LIMIT", 0)


def test_a_large_portfolio_report_offers_a_background_job(
    client_for, bob, small_portfolio, queued, django_assert_num_queries
):
    client = client_for(bob)

    with django_assert_num_queries(PORTFOLIO_QUERIES):
        response = client.get(reverse("assessment:portfolio_report"), {"bank": "tiny"})

    assert response["Content-Type"].startswith("text/html")
    assert "This report covers 3 projects." in response.text
    form_action = reverse("assessment:start_portfolio_report") + "?bank=tiny"
    assert f'<form method="post" action="{form_action}">' in response.text
    assert ReportJob.objects.count() == 0


def test_starting_a_report_queues_a_job_with_the_filters(
    client_for, bob, small_portfolio, queued, dummy_tasks, django_assert_num_queries
):
    client = client_for(bob)
    url = reverse("assessment:start_portfolio_report") + "?bank=tiny&min_score=50"

    # the portfolio report's queries (the filters are read the same way), except that with a
    # filter the visible, assessed and stale projects are one count over the join, then:
    # insert of the job
    with django_assert_num_queries(PORTFOLIO_QUERIES - 1 + 1):
        response = client.post(url)

    job = ReportJob.objects.get()
    assert response["Location"] == reverse("assessment:report_job", args=[job.pk])
    assert (job.requested_by, job.status, job.progress) == (bob, "queued", 0)
    assert (job.params["bank"], job.params["min_score"]) == ("tiny", "50")
    assert [(r.task.name, r.args) for r in dummy_tasks.results] == [
        ("render_portfolio_report", [job.pk])
    ]


def test_the_worker_renders_the_job_and_its_owner_downloads_it(
    client_for, bob, alice, small_portfolio, queued, django_assert_num_queries
):
    client = client_for(bob)
    client.post(reverse("assessment:start_portfolio_report") + "?bank=tiny")  # runs at once here
    job = ReportJob.objects.get()
    status_url = reverse("assessment:report_job", args=[job.pk])
    download_url = reverse("assessment:report_job_download", args=[job.pk])

    # session
    # user
    # the job, if the user asked for it
    with django_assert_num_queries(3):
        status = client.get(status_url)
    # session
    # user
    # the job, if the user asked for it (the PDF comes from the storage)
    # the audit log's entry for the download
    with django_assert_num_queries(4):
        download = client.get(download_url)

    assert (job.status, job.progress, job.message) == ("done", 100, "Ready")
    assert job.file.name == f"reports/portfolio/{job.pk}.pdf"
    assert default_storage.exists(job.file.name)
    content = download.getvalue()  # streamed: read once
    assert content == default_storage.open(job.file.name).read()
    assert "<html" in status.text
    assert f'<a class="button primary" href="{download_url}">Download the PDF</a>' in status.text
    assert 'hx-trigger="every 1s"' not in status.text  # finished: the page stops polling
    assert download["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    text = pdf_text(content)
    assert "Weak model Search & Ranking 16.7" in text
    assert client_for(alice).get(status_url).status_code == 404
    assert client_for(alice).get(download_url).status_code == 404


def test_a_running_job_polls_its_status_partial(client_for, bob, django_assert_num_queries):
    job = ReportJob.objects.create(
        requested_by=bob, params={"bank": "tiny"}, status="running", progress=40,
        message="Drawing charts",
    )  # fmt: skip
    client = client_for(bob)
    url = reverse("assessment:report_job", args=[job.pk])

    # session
    # user
    # the job, if the user asked for it
    with django_assert_num_queries(3):
        response = client.get(url, headers=HTMX)

    assert response.text.lstrip().startswith('<div id="job-status" class="panel"')
    assert "<html" not in response.text
    assert f'hx-get="{url}" hx-trigger="every 1s"' in response.text
    assert "Rendering · Drawing charts" in response.text
    assert '<progress id="job-progress" max="100" value="40">' in response.text
    download = client.get(reverse("assessment:report_job_download", args=[job.pk]))
    assert download.status_code == 404  # not ready yet


def test_a_failed_job_says_so_instead_of_spinning(
    client_for, bob, small_portfolio, queued, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("weasyprint fell over")

    monkeypatch.setattr(reports, "portfolio_report_pdf", broken)
    client = client_for(bob)

    client.post(reverse("assessment:start_portfolio_report") + "?bank=tiny")

    job = ReportJob.objects.get()
    assert (job.status, job.message, job.file.name) == ("failed", "Failed: RuntimeError", "")
    page = client.get(reverse("assessment:report_job", args=[job.pk]))
    assert "The report could not be rendered." in page.text
    assert 'hx-trigger="every 1s"' not in page.text


def test_portfolio_reports_are_for_managers(client_for, alice, small_portfolio):
    client = client_for(alice)

    assert client.get(reverse("assessment:portfolio_report")).status_code == 403
    assert client.post(reverse("assessment:start_portfolio_report")).status_code == 403
    assert ReportJob.objects.count() == 0


def test_a_portfolio_report_of_200_projects_builds(bob, team1, published):
    projects = Project.objects.bulk_create(
        Project(team=team1, name=f"Model {n:03d}", slug=f"model-{n:03d}") for n in range(200)
    )
    for n, project in enumerate(projects[::10]):
        factories.make_result(project, published, bob, {"data-a": n % 3, "code-a": (n + 1) % 3})
    data = portfolio.build(access.managed_teams(bob), portfolio.Filters(bank="tiny"))

    text = pdf_text(reports.portfolio_report_pdf(data, requested_by="bob"))

    assert "Portfolio of 200 projects" in text
    assert "Model 000" in text and "Model 199" in text


PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def test_report_html_embeds_data_images_but_fetches_no_url(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(__import__("base64").b64decode(PIXEL))
    html = (
        f'<p>Charts</p><img src="data:image/png;base64,{PIXEL}" alt="">'
        f'<img src="file://{secret}" alt=""><img src="http://127.0.0.1:9/x.png" alt="">'
    )

    reader = PdfReader(io.BytesIO(reports.render_pdf(html)))

    assert len(reader.pages[0].images) == 1  # the data: image only
