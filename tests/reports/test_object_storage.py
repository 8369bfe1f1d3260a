"""Reports kept in an S3-compatible bucket (issue #19): moto's server stands in for the object
store; a download is a redirect to a short-lived presigned link, after the same access check and
audit entry as a local file."""

from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import boto3
import pytest
import requests
from django.core.files.storage import default_storage
from django.urls import reverse
from moto.server import ThreadedMotoServer

from assessment.models import ReportJob
from assessment.reports import pdf as reports
from assessment.reports import views as report_views
from audit.models import Entry
from tests.test_settings import run_manage


@pytest.fixture(scope="module")
def s3_endpoint():
    """An S3-compatible server on a free loopback port, for this module's tests."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh bucket, and the default storage switched to it as production's settings do."""
    name = f"paydown-test-{uuid4().hex[:12]}"
    settings.AWS_ACCESS_KEY_ID = "testing"
    settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    settings.AWS_STORAGE_BUCKET_NAME = name
    # Last: Django drops its cached storages when STORAGES changes, so the S3 backend is made
    # afresh from all the settings above.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=name)
    return client, name


def stored_bytes(bucket, key: str) -> bytes:
    client, name = bucket
    return client.get_object(Bucket=name, Key=key)["Body"].read()


def report_url(assessment) -> str:
    return reverse("assessment:assessment_report", args=[assessment.pk])


def downloads_of(filename: str) -> list[str]:
    return list(
        Entry.objects.filter(action="download", subject=filename).values_list("actor", flat=True)
    )


def test_the_default_storage_is_the_bucket_with_short_signed_links(bucket, settings):
    assert default_storage.bucket_name == bucket[1]
    assert (default_storage.querystring_auth, default_storage.querystring_expire) == (True, 60)
    assert default_storage.default_acl is None  # the bucket's own private ACL, never public-read
    assert settings.AWS_QUERYSTRING_EXPIRE == 60


def test_the_audit_report_is_stored_in_the_bucket_and_downloaded_through_a_presigned_link(
    client_for, alice, submitted, bucket, s3_endpoint, renders
):
    response = client_for(alice).get(report_url(submitted))  # the immediate queue renders at once

    job = ReportJob.objects.get()
    key = reports.assessment_report_name(submitted.result)
    assert (job.status, job.file.name) == ("done", key)
    stored = stored_bytes(bucket, key)
    assert stored.startswith(b"%PDF-")
    assert len(renders) == 1
    assert response.status_code == 302
    link = urlsplit(response["Location"])
    query = parse_qs(link.query)
    assert f"{link.scheme}://{link.netloc}" == s3_endpoint
    assert link.path == f"/{bucket[1]}/{key}"
    assert query["X-Amz-Expires"] == ["60"]
    assert query["X-Amz-Signature"][0]
    filename = f"{submitted.project.slug}-assessment-{submitted.pk}-report.pdf"
    assert query["response-content-disposition"] == [f'attachment; filename="{filename}"']
    assert downloads_of(filename) == ["alice"]
    # What the browser does with the redirect: the object store answers with the file itself.
    fetched = requests.get(response["Location"], timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == stored
    assert fetched.headers["Content-Type"] == "application/pdf"
    assert fetched.headers["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_a_link_lasts_aws_querystring_expire_seconds(
    client_for, alice, submitted, bucket, settings
):
    settings.AWS_QUERYSTRING_EXPIRE = 15

    response = client_for(alice).get(report_url(submitted))

    assert parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"] == ["15"]


def test_serving_from_the_bucket_costs_the_queries_of_a_local_file(
    client_for, alice, bob, submitted, bucket, django_assert_num_queries
):
    client_for(alice).get(report_url(submitted))
    client = client_for(bob)

    # session
    # user
    # the result ⋈ assessment, project, its report job, where the user may see the project
    # the audit log's entry for the download
    # (the object's existence is one HEAD request to the store, the link is signed here)
    with django_assert_num_queries(4):
        response = client.get(report_url(submitted))

    assert response.status_code == 302
    assert "X-Amz-Signature=" in response["Location"]


def test_another_team_gets_404_and_no_link(client_for, alice, carol, submitted, bucket):
    client_for(alice).get(report_url(submitted))
    entries = Entry.objects.filter(action="download").count()

    response = client_for(carol).get(report_url(submitted))

    assert response.status_code == 404
    assert "Location" not in response
    assert Entry.objects.filter(action="download").count() == entries


def test_a_report_gone_from_the_bucket_is_rendered_again(
    client_for, alice, submitted, bucket, renders
):
    client = client_for(alice)
    client.get(report_url(submitted))
    key = reports.assessment_report_name(submitted.result)
    bucket[0].delete_object(Bucket=bucket[1], Key=key)

    response = client.get(report_url(submitted))

    assert response.status_code == 302
    assert len(renders) == 2
    assert requests.get(response["Location"], timeout=10).content == stored_bytes(bucket, key)


@pytest.fixture
def queued(monkeypatch):
    monkeypatch.setattr(report_views, "SYNC_REPORT_LIMIT", 0)


def test_a_portfolio_job_is_downloaded_from_the_bucket_by_its_owner_only(
    client_for, bob, alice, small_portfolio, queued, bucket
):
    client = client_for(bob)
    client.post(reverse("assessment:start_portfolio_report") + "?bank=tiny")  # runs at once here
    job = ReportJob.objects.get()
    url = reverse("assessment:report_job_download", args=[job.pk])

    response = client.get(url)

    assert response.status_code == 302
    fetched = requests.get(response["Location"], timeout=10)
    assert fetched.content == stored_bytes(bucket, f"reports/portfolio/{job.pk}.pdf")
    assert fetched.content.startswith(b"%PDF-")
    assert fetched.headers["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    assert client_for(alice).get(url).status_code == 404
    assert downloads_of(job.filename) == ["bob"]


def test_a_portfolio_job_whose_object_has_gone_is_404(
    client_for, bob, small_portfolio, queued, bucket
):
    client = client_for(bob)
    client.post(reverse("assessment:start_portfolio_report") + "?bank=tiny")
    job = ReportJob.objects.get()
    bucket[0].delete_object(Bucket=bucket[1], Key=job.file.name)

    response = client.get(reverse("assessment:report_job_download", args=[job.pk]))

    assert response.status_code == 404
    assert downloads_of(job.filename) == []


def test_a_bucket_in_the_environment_switches_the_default_storage_to_s3():
    shown = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; from django.core.files.storage import default_storage as d;"
        "print(s.STORAGES['default']['BACKEND'], d.bucket_name, d.endpoint_url, d.querystring_expire,"
        " d.file_overwrite, d.default_acl, sep='|')",
        env={
            "DEBUG": "1",
            "AWS_STORAGE_BUCKET_NAME": "paydown-reports",
            "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "AWS_QUERYSTRING_EXPIRE": "30",
        },
    )
    local = run_manage(
        "shell", "-c", "from django.conf import settings as s; print(s.STORAGES['default'])",
        env={"DEBUG": "1"},
    )  # fmt: skip

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == (
        "storages.backends.s3.S3Storage|paydown-reports|http://127.0.0.1:9000|30|True|None"
    )
    assert "django.core.files.storage.FileSystemStorage" in local.stdout
