"""PDF reports: content, integrity hash, reproducibility, permissions, background jobs, exports."""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from assessment import access, services
from assessment.models import Answer, ReportJob
from assessment.reports import pdf as reports
from tests.assessment.answering import post_answer


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def submitted(client_for, alice, bob, assessment):
    client = client_for(alice)
    post_answer(
        client,
        assessment,
        "data-a",
        "2",
        notes="Schema checked in CI.",
        links="https://ci.example/schema",
    )
    post_answer(client, assessment, "data-b", "1")
    post_answer(client, assessment, "code-a", "0")
    return services.submit_assessment(assessment=assessment, by=bob)


def test_the_report_holds_the_project_categories_questions_and_hash(client_for, alice, submitted):
    client = client_for(alice)

    response = client.get(reverse("assessment:assessment_report", args=[submitted.pk]))
    pdf = response.getvalue()
    exported = client.get(
        reverse("assessment:results_export", args=[submitted.pk, "json"])
    ).getvalue()

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(pdf)
    assert "Query ranker" in text
    for category in ("Data", "Code"):
        assert category in text
    for question in submitted.version.questions.all():
        assert question.text in text
    assert "Schema checked in CI." in text
    digest = hashlib.sha256(exported).hexdigest()
    assert digest in text.replace(" ", "") or digest in text
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

    assert "Query ranker" in pdf_text(output.read_bytes())


def test_report_permissions(client_for, carol, alice, assessment, submitted):
    url = reverse("assessment:assessment_report", args=[submitted.pk])

    assert client_for(carol).get(url).status_code == 404
    in_progress = services.start_assessment(
        project=submitted.project, version=submitted.version, started_by=alice, title="Open"
    )
    assert (
        client_for(alice)
        .get(reverse("assessment:assessment_report", args=[in_progress.pk]))
        .status_code
        == 404
    )


def test_small_portfolio_report_is_served_directly(client_for, bob, submitted):
    response = client_for(bob).get(reverse("assessment:portfolio_report"), {"bank": "tiny"})

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.getvalue())
    assert "Query ranker" in text
    assert "Where one investment helps most projects" in text


def test_large_portfolio_report_runs_as_a_background_job(
    client_for, bob, alice, submitted, monkeypatch
):
    from assessment.reports import views as report_views

    monkeypatch.setattr(report_views, "SYNC_REPORT_LIMIT", 0)
    client = client_for(bob)

    page = client.get(reverse("assessment:portfolio_report"), {"bank": "tiny"})
    start = client.post(reverse("assessment:start_portfolio_report") + "?bank=tiny")
    job = ReportJob.objects.get()
    status = client.get(reverse("assessment:report_job", args=[job.pk]))
    download = client.get(reverse("assessment:report_job_download", args=[job.pk]))

    assert "Prepare the PDF" in page.text
    assert start["Location"] == reverse("assessment:report_job", args=[job.pk])
    assert (job.status, job.progress, job.params["bank"]) == ("done", 100, "tiny")
    assert "Download the PDF" in status.text
    assert "Query ranker" in pdf_text(download.getvalue())
    assert client_for(alice).get(reverse("assessment:report_job", args=[job.pk])).status_code == 404


def test_portfolio_report_is_for_managers(client_for, alice, submitted):
    assert client_for(alice).get(reverse("assessment:portfolio_report")).status_code == 403
    assert (
        client_for(alice).get(reverse("assessment:portfolio_export", args=["csv"])).status_code
        == 403
    )


def test_portfolio_exports_carry_the_dashboard_numbers(client_for, bob, submitted):
    client = client_for(bob)

    data = json.loads(
        client.get(
            reverse("assessment:portfolio_export", args=["json"]), {"bank": "tiny"}
        ).getvalue()
    )
    csv_text = (
        client.get(reverse("assessment:portfolio_export", args=["csv"]), {"bank": "tiny"})
        .getvalue()
        .decode()
    )

    row = next(p for p in data["projects"] if p["project"] == submitted.project.slug)
    assert row["overall"] == float(submitted.result.overall)
    assert row["categories"]["data"]["score"] == 75.0
    assert data["schema"] == "paydown.portfolio/1"
    assert csv_text.splitlines()[0].startswith("project,name,team,overall")
    assert submitted.project.slug in csv_text


def test_a_portfolio_report_of_200_projects_builds(bob, team1, published):
    from assessment.dashboard import queries as portfolio
    from projects.models import Project
    from tests.assessment.test_dashboard import assess

    projects = Project.objects.bulk_create(
        Project(team=team1, name=f"Model {n:03d}", slug=f"model-{n:03d}") for n in range(200)
    )
    for n, project in enumerate(projects[::10]):
        assess(project, published, bob, {"data-a": n % 3, "code-a": (n + 1) % 3})
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
