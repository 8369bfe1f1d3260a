"""A scan in the browser (issue #15): upload the JSON that `paydown scan` wrote, see the suggestion
on its question, accept it, and find the scan's files as dated evidence of the answer; stale
evidence is re-attested from the questionnaire."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment import services
from assessment.models import Answer, Evidence
from tests.browser.conftest import log_in
from tests.cli.command import paydown
from tests.cli.test_scan_command import REPOS

pytestmark = pytest.mark.browser


def test_upload_a_scan_accept_a_suggestion_and_see_its_evidence(
    page, tmp_path, shipped_banks, project1, alice
):
    assessment = services.start_assessment(
        project=project1,
        version=shipped_banks["ml-technical-debt-v2"],
        started_by=alice,
        title="Q1",
    )
    scan_file = tmp_path / "scan.json"
    made = paydown(
        "scan", str(REPOS / "dvc-mlflow"), "--format", "json", "-o", str(scan_file), cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    log_in(page, "alice")
    page.goto(f"/assessments/{assessment.pk}/")

    page.get_by_role("link", name="Attach a scan").click()
    page.get_by_label("Scan (JSON)").set_input_files(str(scan_file))
    page.get_by_role("button", name="Attach the scan").click()

    expect(
        page.get_by_text("Scan attached: 15 suggestions wait on their questions.")
    ).to_be_visible()
    card = page.locator("#question-data-training-snapshots")
    page.goto(assessment.question_url("data-training-snapshots"))
    expect(card).to_contain_text("Suggested by scan: level 3 (high) — 2 files")
    card.get_by_text("What the scan found").click()
    expect(card).to_contain_text("dvc.lock:1")
    card.get_by_role("button", name="Accept level 3 with its evidence").click()

    expect(page.get_by_text("Suggestion accepted")).to_be_visible()
    expect(card).not_to_contain_text("Suggested by scan")
    expect(card.locator('input[name="choice"][value="3"]')).to_be_checked()
    expect(card).to_contain_text("2 pieces of evidence, the oldest confirmed")
    answer = Answer.objects.get(assessment=assessment, question__key="data-training-snapshots")
    assert answer.level_value == 3
    assert sorted(answer.evidence.values_list("text", flat=True)) == [
        "data/raw.csv.dvc:1 (data-training-snapshots-dvc-tracked-data) — scan of dvc-mlflow",
        "dvc.lock:1 (data-training-snapshots-dvc-lock) — scan of dvc-mlflow",
    ]
    assert page.console_problems == []


def test_stale_evidence_is_marked_and_re_attested_from_the_questionnaire(page, assessment, alice):
    services.record_answer(
        assessment=assessment,
        question_id=assessment.version.questions.get(key="data-a").pk,
        respondent=alice,
        answer=services.AnswerInput(value=Decimal(2), links="https://wiki.example/schema"),
    )
    long_ago = timezone.now() - timedelta(days=400)
    Evidence.objects.update(confirmed_at=long_ago, stale_after=long_ago + timedelta(days=180))
    log_in(page, "alice")
    page.goto(assessment.question_url("data-a"))
    card = page.locator("#question-data-a")
    expect(card).to_contain_text("stale evidence")

    card.get_by_role("button", name="Re-attest the evidence").click()

    expect(page.get_by_text("Re-attested 1 piece of evidence.")).to_be_visible()
    expect(card).not_to_contain_text("stale evidence")
    row = Evidence.objects.get()
    assert row.confirmed_at > long_ago + timedelta(days=399)
    assert row.confirmed_by == alice
    assert json.dumps(page.console_problems) == "[]"
