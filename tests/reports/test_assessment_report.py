"""The audit report off the request path: rendered once by the worker into the storage, named by
the result's integrity hash, served from there; a progress page (202) that polls until then."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection
from django.urls import reverse

from assessment import services
from assessment.models import Answer, AssessmentResult, ReportJob
from assessment.reports import pdf as reports
from assessment.reports import tasks
from tests import factories
from tests.pages import HTMX, pdf_text


def report_url(assessment) -> str:
    return reverse("assessment:assessment_report", args=[assessment.pk])


def test_the_hash_stored_at_submit_is_the_sha256_of_the_results_download(
    client_for, alice, submitted
):
    exported = (
        client_for(alice)
        .get(reverse("assessment:results_export", args=[submitted.pk, "json"]))
        .getvalue()
    )

    stored = AssessmentResult.objects.get(assessment=submitted).integrity_sha256
    assert stored == hashlib.sha256(exported).hexdigest()
    assert stored == reports.integrity_hash(submitted)  # recomputed from the stored rows


def test_the_report_is_rendered_once_then_served_from_the_storage(
    client_for, alice, bob, submitted, renders, django_assert_num_queries
):
    url = report_url(submitted)
    first = client_for(alice).get(url)  # the immediate queue of the tests renders at once
    result = AssessmentResult.objects.get(assessment=submitted)
    name = f"reports/assessments/{result.integrity_sha256}.pdf"

    client = client_for(bob)
    # session
    # user
    # the result ⋈ assessment, project, its report job, where the user may see the project
    # the audit log's entry for the download
    with django_assert_num_queries(4):
        second = client.get(url)

    assert len(renders) == 1
    assert first.status_code == second.status_code == 200
    assert second["Content-Type"] == "application/pdf"
    assert second["Content-Disposition"] == (
        f'attachment; filename="{submitted.project.slug}-assessment-{submitted.pk}-report.pdf"'
    )
    assert first.getvalue() == second.getvalue() == default_storage.open(name).read()
    job = ReportJob.objects.get()
    assert (job.kind, job.result, job.status, job.file.name) == ("assessment", result, "done", name)


def test_a_render_finding_the_file_in_the_storage_does_not_render_again(alice, submitted, renders):
    job = tasks.queue_assessment_report(result=submitted.result, requested_by=alice)
    ReportJob.objects.filter(pk=job.pk).update(status="queued", file="")

    tasks.render_assessment_report.call(job.pk)

    assert len(renders) == 1
    job.refresh_from_db()
    assert (job.status, job.file.name) == ("done", reports.assessment_report_name(submitted.result))


def test_until_it_is_rendered_the_report_answers_202_with_a_progress_page(
    client_for, alice, submitted, dummy_tasks, django_assert_num_queries
):
    client = client_for(alice)
    url = report_url(submitted)

    # session
    # user
    # the result ⋈ assessment, project, its report job (none yet), where the user may see it
    # savepoint
    # its job, locked (none)
    # savepoint, insert the job, release (get_or_create)
    # the job again, as the queue may have left it
    # release savepoint
    with django_assert_num_queries(10):
        response = client.get(url)

    assert response.status_code == 202
    assert response["Content-Type"].startswith("text/html")
    assert f'hx-get="{url}" hx-trigger="every 1s"' in response.text
    assert f'<a href="{url}">Refresh</a>' in response.text  # without JavaScript
    assert "Queued" in response.text
    job = ReportJob.objects.get()
    assert (job.kind, job.result_id, job.status) == ("assessment", submitted.result.pk, "queued")
    assert [(r.task.name, r.args) for r in dummy_tasks.results] == [
        ("render_assessment_report", [job.pk])
    ]


def test_repeated_requests_and_polls_queue_one_render(
    client_for, alice, bob, submitted, dummy_tasks
):
    url = report_url(submitted)
    for client in (client_for(alice), client_for(bob)):
        for _ in range(2):
            assert client.get(url).status_code == 202
            assert client.get(url, headers=HTMX).status_code == 200

    assert ReportJob.objects.count() == 1
    assert len(dummy_tasks.results) == 1


def test_the_database_allows_one_job_per_result(alice, submitted):
    ReportJob.objects.create(requested_by=alice, kind="assessment", result=submitted.result)

    with pytest.raises(IntegrityError):
        ReportJob.objects.create(requested_by=alice, kind="assessment", result=submitted.result)


def test_a_poll_answers_the_status_panel_until_the_file_is_there(
    client_for, alice, submitted, dummy_tasks, django_assert_num_queries
):
    client = client_for(alice)
    url = report_url(submitted)
    client.get(url)
    job = ReportJob.objects.get()
    ReportJob.objects.filter(pk=job.pk).update(status="running", progress=20, message="Laying out")

    # session
    # user
    # the result ⋈ assessment, project, its report job (a poll only reads)
    with django_assert_num_queries(3):
        running = client.get(url, headers=HTMX)
    tasks.render_assessment_report.call(job.pk)  # the worker
    ready = client.get(url, headers=HTMX)

    assert running.status_code == 200
    assert running.text.lstrip().startswith('<div id="report-status" class="panel"')
    assert "<html" not in running.text
    assert "Rendering · Laying out" in running.text
    assert '<progress id="report-progress" max="100" value="20">' in running.text
    assert 'hx-trigger="every 1s"' in running.text
    assert 'hx-trigger="every 1s"' not in ready.text  # finished: the panel stops polling
    assert f'<a class="button primary" href="{url}">Download the PDF</a>' in ready.text
    assert client.get(url)["Content-Type"] == "application/pdf"


def test_a_failed_render_says_so_and_a_post_tries_again(
    client_for, alice, submitted, renders, monkeypatch
):
    def broken(html: str) -> bytes:
        raise RuntimeError("weasyprint fell over")

    client = client_for(alice)
    url = report_url(submitted)
    with monkeypatch.context() as patch:
        patch.setattr(reports, "render_pdf", broken)
        failed = client.get(url)
        polled = client.get(url, headers=HTMX)
        again = client.get(url)  # a plain reload does not retry a failed render

    assert failed.status_code == 200
    assert "The report could not be rendered." in failed.text
    assert f'<form method="post" action="{url}"' in failed.text
    assert 'hx-trigger="every 1s"' not in failed.text + polled.text
    assert again.status_code == 200 and "could not be rendered" in again.text
    assert ReportJob.objects.get().status == "failed"

    retried = client.post(url)

    assert retried.status_code == 302 and retried["Location"] == url
    assert ReportJob.objects.get().status == "done"
    assert client.get(url)["Content-Type"] == "application/pdf"
    assert len(renders) == 1  # the renders that failed never reached the counter


def test_a_report_whose_file_went_missing_is_rendered_again(client_for, alice, submitted, renders):
    client = client_for(alice)
    url = report_url(submitted)
    client.get(url)
    default_storage.delete(ReportJob.objects.get().file.name)

    response = client.get(url)

    assert response["Content-Type"] == "application/pdf"
    assert len(renders) == 2


def test_submitting_queues_the_report(
    client_for, alice, assessment, django_capture_on_commit_callbacks
):
    factories.answer(assessment, alice, {"data-a": 2, "data-b": 1, "code-a": 0})

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(reverse("assessment:submit", args=[assessment.pk]))

    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert (job.kind, job.status, job.requested_by) == ("assessment", "done", alice)
    assert job.file.name == reports.assessment_report_name(AssessmentResult.objects.get())
    assert default_storage.exists(job.file.name)


@pytest.mark.parametrize("method", ["get", "htmx", "post"])
def test_a_member_of_another_team_gets_404(client_for, carol, submitted, method):
    client = client_for(carol)
    url = report_url(submitted)

    if method == "post":
        response = client.post(url)
    else:
        response = client.get(url, headers=HTMX if method == "htmx" else {})

    assert response.status_code == 404
    assert ReportJob.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/assessments/0/report.pdf",
        "/assessments/999999/report.pdf",
        "/assessments/99999999999999999999999/report.pdf",
        "/assessments/-1/report.pdf",
        "/assessments/1e3/report.pdf",
    ],
)
def test_bad_ids_are_404(client_for, alice, submitted, path):
    assert client_for(alice).get(path).status_code == 404
    assert client_for(alice).post(path).status_code == 404


def test_an_open_assessment_has_no_report(client_for, alice, submitted):
    still_open = services.start_assessment(
        project=submitted.project, version=submitted.version, started_by=alice, title="Open"
    )

    assert client_for(alice).get(report_url(still_open)).status_code == 404
    assert ReportJob.objects.count() == 0


def test_the_report_reads_the_snapshot_not_the_live_answers(alice, submitted, renders):
    before = reports.assessment_report_pdf(submitted)

    data_a = Answer.objects.get(assessment=submitted, question__key="data-a").pk
    with connection.cursor() as cursor:  # what no code path may do after submit, done in SQL
        cursor.execute(
            "UPDATE assessment_answer SET level_value = 0, notes = %s, links = %s WHERE id = %s",
            ["Changed after submit", "https://tampered.example", data_a],
        )
        cursor.execute(
            "DELETE FROM assessment_answer WHERE assessment_id = %s AND id <> %s",
            [submitted.pk, data_a],
        )
    after = reports.assessment_report_pdf(submitted)

    text = pdf_text(after)
    assert text == pdf_text(before)
    assert "Schema checked in CI." in text and "https://ci.example/schema" in text
    assert "Changed after submit" not in text and "tampered" not in text
    result = AssessmentResult.objects.get(assessment=submitted)
    assert result.integrity_sha256 == reports.integrity_hash(submitted)
    assert result.integrity_sha256 in text.replace(" ", "").replace("\n", "")
