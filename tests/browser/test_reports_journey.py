import pytest
from playwright.sync_api import expect

from assessment.models import ReportJob
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_pdf_report_link_serves_a_pdf(page, bob, submitted):
    log_in(page, "bob")
    page.goto(f"/assessments/{submitted.pk}/results/")

    href = page.get_by_role("link", name="PDF report").get_attribute("href")
    response = page.request.get(href)

    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"


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
        status="done", progress=100, message="Ready", pdf=b"%PDF-1.7 test", filename="p.pdf"
    )

    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible(timeout=5000)
    assert page.locator("#job-progress").get_attribute("value") == "100"
