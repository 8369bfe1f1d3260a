"""POST /assessments/{id}/scans (issue #15): `paydown scan --push` attaches a scan through the API
as the upload page does; refusals are problem documents and change nothing."""

import json

from assessment.models import Answer, RepositoryScan, ScanSuggestion
from tests.api.test_api import problem, token_for
from tests.questionnaire.test_scan_suggestions import DVC, scan_document


def post_scan(client, assessment, token, raw: bytes):
    return client.post(
        f"/api/v1/assessments/{assessment.pk}/scans",
        data=raw,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_pushed_scan_waits_on_its_questions_and_answers_nothing(client, alice, assessment):
    document = scan_document(**{"data-a": (2, "high", DVC), "gone": (1, "low", DVC)})
    response = post_scan(client, assessment, token_for(alice), json.dumps(document).encode())

    assert response.status_code == 201
    body = response.json()
    assert (body["suggestions"], body["ignored"]) == (1, ["gone: not a question of version 1"])
    assert RepositoryScan.objects.get().pk == body["id"]
    suggestion = ScanSuggestion.objects.get()
    assert (suggestion.question.key, suggestion.level_value, suggestion.status) == (
        "data-a",
        2,
        "open",
    )
    assert not Answer.objects.exists()


def test_an_invalid_scan_is_a_422_problem_and_changes_nothing(client, alice, assessment):
    response = post_scan(client, assessment, token_for(alice), b'{"schema": "paydown.scan/1"}')
    assert response.status_code == 422
    assert any("'bank' is a required property" in e["message"] for e in problem(response)["errors"])
    assert not RepositoryScan.objects.exists()


def test_the_answer_scope_is_needed_and_other_teams_get_404(client, alice, carol, assessment):
    raw = json.dumps(scan_document(**{"data-a": (2, "high", DVC)})).encode()
    assert post_scan(client, assessment, token_for(alice, ["read"]), raw).status_code == 403
    assert post_scan(client, assessment, token_for(carol), raw).status_code == 404
    assert not RepositoryScan.objects.exists()


def test_a_submitted_assessment_takes_no_scan(client, alice, submitted):
    raw = json.dumps(scan_document(**{"data-a": (2, "high", DVC)})).encode()
    response = post_scan(client, submitted, token_for(alice), raw)
    assert response.status_code == 409
    assert not RepositoryScan.objects.exists()
