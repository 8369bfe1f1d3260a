import pytest
from playwright.sync_api import expect

from assessment.models import ReportJob
from assessment.reports import tasks
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_the_pdf_report_shows_progress_then_arrives(page, bob, submitted, settings):
    # The queue keeps the render for "the worker", run below while the page polls.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    log_in(page, "bob")
    page.goto(f"/assessments/{submitted.pk}/results/")

    page.get_by_role("link", name="PDF report").click()
    expect(page.get_by_role("heading", name="Audit report")).to_be_visible()
    expect(page.get_by_text("Queued")).to_be_visible()
    job = ReportJob.objects.get(result__assessment=submitted)
    tasks.render_assessment_report.call(job.pk)  # the worker

    link = page.get_by_role("link", name="Download the PDF")
    expect(link).to_be_visible(timeout=5000)
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename == (
        f"{submitted.project.slug}-assessment-{submitted.pk}-report.pdf"
    )


def test_without_javascript_the_progress_page_refreshes_by_its_link(
    new_page, bob, submitted, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = new_page(javascript=False)
    log_in(page, "bob")
    page.goto(f"/assessments/{submitted.pk}/results/")
    page.get_by_role("link", name="PDF report").click()
    expect(page.get_by_text("Queued")).to_be_visible()
    tasks.render_assessment_report.call(ReportJob.objects.get().pk)

    with page.expect_download() as download:
        page.get_by_role("link", name="Refresh").click()

    assert download.value.suggested_filename.endswith("-report.pdf")


def test_background_report_page_shows_progress_then_offers_the_file(page, bob, submitted):
    job = ReportJob.objects.create(
        requested_by=bob,
        params={"bank": "tiny"},
        progress=40,
        status="running",
        message="Drawing charts",
    )
    log_in(page, "bob")
    page.goto(f"/reports/{job.pk}/")
    expect(page.get_by_text("Rendering · Drawing charts")).to_be_visible()

    ReportJob.objects.filter(pk=job.pk).update(
        status="done", progress=100, message="Ready", file="reports/p.pdf", filename="p.pdf"
    )

    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible(timeout=5000)
    assert page.locator("#job-progress").get_attribute("value") == "100"
