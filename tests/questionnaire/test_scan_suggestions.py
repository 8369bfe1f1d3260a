"""A repository scan attached to an assessment (issue #15): its suggestions wait on their
questions; accepting one saves the level and its files as dated evidence; nothing answers by
itself; bad uploads change nothing and get a 4xx with a message."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessment import services
from assessment.models import Answer, Evidence, RepositoryScan, ScanSuggestion
from tests import factories


def scan_document(**questions) -> dict:
    """A paydown.scan/1 document on the tiny bank; keyword: key=(level, confidence, evidence)."""
    items = [
        {
            "key": key,
            "category": "data",
            "status": "suggested",
            "suggested_level": level,
            "confidence": confidence,
            "files": len({e["path"] for e in evidence}),
            "rules": sorted({e["rule"] for e in evidence}),
            "evidence": evidence,
        }
        for key, (level, confidence, evidence) in questions.items()
    ]
    items.append(
        {
            "key": "code-a",
            "category": "code",
            "status": "not_detected",
            "suggested_level": None,
            "confidence": None,
            "files": 0,
            "rules": [],
            "evidence": [],
        }
    )
    return {
        "schema": "paydown.scan/1",
        "bank": {"slug": "tiny", "version": 1},
        "root": "churn-model",
        "revision": "a" * 40,
        "files_scanned": 42,
        "summary": {
            "questions": 3,
            "suggested": len(questions),
            "not_detected": 1,
            "no_signals": 0,
        },
        "questions": items,
    }


DVC = [
    {"path": "dvc.lock", "line": 1, "rule": "dvc-lock", "excerpt": "schema: '2.0'"},
    {"path": "data/raw.csv.dvc", "line": 2, "rule": "dvc-file", "excerpt": "outs:"},
]


def upload(client, assessment, content: bytes | dict, name: str = "scan.json"):
    raw = json.dumps(content).encode() if isinstance(content, dict) else content
    return client.post(
        reverse("assessment:upload_scan", args=[assessment.pk]),
        {"scan": SimpleUploadedFile(name, raw, content_type="application/json")},
    )


def state(assessment) -> dict:
    return {
        "answers": list(
            Answer.objects.filter(assessment=assessment).values_list(
                "question__key", "level_value", "links"
            )
        ),
        "evidence": list(Evidence.objects.values_list("text", "confirmed_at")),
        "scans": RepositoryScan.objects.count(),
        "suggestions": list(ScanSuggestion.objects.values_list("question__key", "status")),
    }


def test_a_scan_shows_its_suggestion_on_the_question_and_answers_nothing(
    client_for, alice, assessment
):
    client = client_for(alice)
    response = upload(client, assessment, scan_document(**{"data-a": (2, "high", DVC)}))
    assert response.status_code == 302
    assert not Answer.objects.filter(assessment=assessment).exists()  # a scan never answers

    page = client.get(assessment.question_url("data-a")).text
    assert "Suggested by scan: level 2 (high) — 2 files" in page
    assert "dvc.lock:1" in page and "data/raw.csv.dvc:2" in page
    assert f"scan of churn-model@{'a' * 12}" in page
    assert page.count('class="scan-suggestion"') == 1  # code-a was not detected: no suggestion


def test_accepting_saves_the_level_and_the_files_as_dated_evidence(client_for, alice, assessment):
    client = client_for(alice)
    upload(client, assessment, scan_document(**{"data-a": (2, "high", DVC)}))
    suggestion = ScanSuggestion.objects.get()
    factories.post_answer(client, assessment, "data-a", "1", links="https://wiki.example/data")

    response = client.post(
        reverse("assessment:decide_suggestion", args=[assessment.pk, suggestion.pk]),
        {"decision": "accept"},
    )

    assert response.status_code == 302
    answer = Answer.objects.get(assessment=assessment, respondent=alice)
    assert answer.level_value == Decimal(2)
    assert answer.links == "https://wiki.example/data"  # the respondent's own links stay
    assert answer.confirmed_at is not None
    notes = sorted(answer.evidence.filter(kind="note").values_list("text", "source", "added_by"))
    assert notes == [
        (f"data/raw.csv.dvc:2 (dvc-file) — scan of churn-model@{'a' * 12}", "scan", alice.pk),
        (f"dvc.lock:1 (dvc-lock) — scan of churn-model@{'a' * 12}", "scan", alice.pk),
    ]
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("accepted", alice)
    page = client.get(assessment.question_url("data-a")).text
    assert "Suggested by scan" not in page
    assert "3 pieces of evidence" in page


def test_keeping_only_the_evidence_leaves_the_level_and_dismissing_changes_nothing(
    client_for, alice, assessment
):
    client = client_for(alice)
    upload(
        client,
        assessment,
        scan_document(**{"data-a": (2, "high", DVC), "data-b": (1, "low", DVC[:1])}),
    )
    factories.post_answer(client, assessment, "data-a", "1")
    by_key = {s.question.key: s for s in ScanSuggestion.objects.select_related("question")}
    url = "assessment:decide_suggestion"
    client.post(reverse(url, args=[assessment.pk, by_key["data-a"].pk]), {"decision": "evidence"})
    client.post(reverse(url, args=[assessment.pk, by_key["data-b"].pk]), {"decision": "dismiss"})

    data_a = Answer.objects.get(assessment=assessment, question__key="data-a")
    assert data_a.level_value == Decimal(1)
    assert data_a.evidence.count() == 2
    assert not Answer.objects.filter(assessment=assessment, question__key="data-b").exists()
    assert dict(ScanSuggestion.objects.values_list("question__key", "status")) == {
        "data-a": "evidence",
        "data-b": "dismissed",
    }


def test_a_later_scan_supersedes_the_open_suggestions_only(client_for, alice, assessment):
    client = client_for(alice)
    upload(
        client, assessment, scan_document(**{"data-a": (1, "low", DVC), "data-b": (1, "low", DVC)})
    )
    first_b = ScanSuggestion.objects.get(question__key="data-b")
    client.post(
        reverse("assessment:decide_suggestion", args=[assessment.pk, first_b.pk]),
        {"decision": "dismiss"},
    )
    upload(
        client,
        assessment,
        scan_document(**{"data-a": (2, "high", DVC), "data-b": (2, "high", DVC)}),
    )
    assert sorted(ScanSuggestion.objects.values_list("question__key", "level_value", "status")) == [
        ("data-a", Decimal(1), "superseded"),
        ("data-a", Decimal(2), "open"),
        ("data-b", Decimal(1), "dismissed"),
        ("data-b", Decimal(2), "open"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not UTF-8"),
        ({"schema": "paydown.results/3"}, "not a scan of schema paydown.scan/1"),
        (
            scan_document(
                **{"data-a": (2, "high", [{"path": "", "line": 0, "rule": "r", "excerpt": ""}])}
            ),
            "questions[0].evidence[0]",
        ),
        (b"[" * 100_000, "not JSON"),
        (b" " * (2 * 1024 * 1024 + 1), "the limit is 2 MB"),
    ],
)
def test_a_bad_upload_is_refused_with_a_message_and_changes_nothing(
    client_for, alice, assessment, content, message
):
    client = client_for(alice)
    upload(client, assessment, scan_document(**{"data-a": (1, "low", DVC)}))
    before = state(assessment)

    response = upload(client, assessment, content)

    assert response.status_code == 400
    assert message in response.text
    assert state(assessment) == before


def test_a_scan_of_another_bank_is_refused(client_for, alice, assessment):
    document = scan_document(**{"data-a": (2, "high", DVC)})
    document["bank"]["slug"] = "ml-test-score"
    response = upload(client_for(alice), assessment, document)
    assert response.status_code == 400
    assert "this assessment answers “tiny”" in response.text
    assert not RepositoryScan.objects.exists()


def test_keys_and_levels_the_assessment_lacks_are_left_out_and_said(client_for, alice, assessment):
    client = client_for(alice)
    document = scan_document(**{"data-a": (7, "high", DVC), "no-such-key": (1, "low", DVC)})
    response = upload(client, assessment, document)
    assert response.status_code == 302
    assert not ScanSuggestion.objects.exists()
    page = client.get(assessment.get_absolute_url()).text
    assert "data-a: 7 is not one of its levels" in page
    assert "no-such-key: not a question of version 1" in page


def test_another_teams_assessment_and_another_assessments_suggestion_are_404(
    client_for, alice, carol, assessment, project2, published
):
    upload(client_for(alice), assessment, scan_document(**{"data-a": (2, "high", DVC)}))
    suggestion = ScanSuggestion.objects.get()
    other = services.start_assessment(
        project=project2, version=published, started_by=carol, title="Theirs"
    )
    before = state(assessment)
    carol_client = client_for(carol)
    assert upload(carol_client, assessment, scan_document()).status_code == 404
    decide = reverse("assessment:decide_suggestion", args=[other.pk, suggestion.pk])
    assert carol_client.post(decide, {"decision": "accept"}).status_code == 404
    assert state(assessment) == before


@pytest.mark.parametrize("decision", ["", "approve", "accept'--"])
def test_a_tampered_decision_is_a_400(client_for, alice, assessment, decision):
    client = client_for(alice)
    upload(client, assessment, scan_document(**{"data-a": (2, "high", DVC)}))
    suggestion = ScanSuggestion.objects.get()
    before = state(assessment)
    response = client.post(
        reverse("assessment:decide_suggestion", args=[assessment.pk, suggestion.pk]),
        {"decision": decision},
    )
    assert response.status_code == 400
    assert state(assessment) == before


def test_nothing_is_attached_or_decided_after_a_submit(client_for, alice, bob, assessment):
    client = client_for(alice)
    upload(client, assessment, scan_document(**{"data-a": (2, "high", DVC)}))
    suggestion = ScanSuggestion.objects.get()
    factories.answer(assessment, alice, {"data-a": 1, "data-b": 1, "code-a": 1})
    services.submit_assessment(assessment=assessment, by=bob)
    before = state(assessment)

    assert upload(
        client, assessment, scan_document(**{"data-b": (2, "high", DVC)})
    ).status_code in (404, 409)
    response = client.post(
        reverse("assessment:decide_suggestion", args=[assessment.pk, suggestion.pk]),
        {"decision": "accept"},
    )
    assert response.status_code in (404, 409)
    assert state(assessment) == before


@given(raw=st.binary(max_size=2000) | st.text(max_size=500).map(str.encode))
def test_random_bytes_never_break_the_upload(client_for, alice, assessment, raw):
    client = client_for(alice)
    before = state(assessment)
    response = upload(client, assessment, raw)
    assert response.status_code == 400
    assert state(assessment) == before


def test_a_suggestion_decided_meanwhile_is_a_404_and_changes_nothing(
    client_for, alice, bob, assessment
):
    upload(client_for(alice), assessment, scan_document(**{"data-a": (2, "high", DVC)}))
    suggestion = ScanSuggestion.objects.get()
    url = reverse("assessment:decide_suggestion", args=[assessment.pk, suggestion.pk])
    page = client_for(alice).get(assessment.question_url("data-a"))  # both had the page open
    assert "Suggested by scan" in page.text
    client_for(alice).post(url, {"decision": "dismiss"})
    before = state(assessment)

    # bob's page still showed it; access finds it decided: 404, as for any closed suggestion
    response = client_for(bob).post(url, {"decision": "accept"})

    assert response.status_code == 404
    assert state(assessment) == before
