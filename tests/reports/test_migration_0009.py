"""Migration 0009: earlier results get the hash of their export; portfolio PDFs stored in the
database move to the default storage."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from assessment.models import AssessmentResult, ReportJob

BEFORE = [("assessment", "0008_answer_history_notes")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_earlier_results_get_their_hash_and_job_pdfs_move_to_the_storage(
    client_for, alice, bob, submitted
):
    # Results stored before 0009 were of schema 1 or 2: schema 3's fields came after it.
    AssessmentResult.objects.filter(assessment=submitted).update(export_schema=2)
    exported = (
        client_for(alice)
        .get(reverse("assessment:results_export", args=[submitted.pk, "json"]))
        .getvalue()
    )
    old = migrate(BEFORE)
    job = old.get_model("assessment", "ReportJob").objects.create(
        requested_by_id=bob.pk, status="done", pdf=b"%PDF-1.7 stored in the database"
    )

    migrate(latest())

    result = AssessmentResult.objects.get(assessment=submitted)
    assert result.integrity_sha256 == hashlib.sha256(exported).hexdigest()
    moved = ReportJob.objects.get(pk=job.pk)
    assert moved.file.name == f"reports/portfolio/{job.pk}.pdf"
    with default_storage.open(moved.file.name) as stored:
        assert stored.read() == b"%PDF-1.7 stored in the database"
