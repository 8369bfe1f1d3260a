"""Two respondents deciding on the same scan suggestion at once, with real threads: one decision
lands, the other is refused, and only the winner's answer and evidence are written."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from assessment import services
from assessment.models import Answer, Assessment, Evidence, ScanSuggestion
from assessment.services import scans
from tests.questionnaire.test_scan_suggestions import DVC, scan_document


def decide(assessment_id: int, suggestion_id: int, user) -> str:
    try:
        assessment = Assessment.objects.get(pk=assessment_id)
        suggestion = ScanSuggestion.objects.select_related("scan").get(pk=suggestion_id)
        scans.decide(assessment=assessment, suggestion=suggestion, by=user, decision="accept")
        return "decided"
    except scans.SuggestionDecided:
        return "refused"
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_accepts_one_lands(published, project1, alice, bob):
    assessment = services.start_assessment(
        project=project1, version=published, started_by=alice, title="Race"
    )
    scans.attach_scan(
        assessment=assessment, document=scan_document(**{"data-a": (2, "high", DVC)}), by=alice
    )
    suggestion = ScanSuggestion.objects.get()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda u: decide(assessment.pk, suggestion.pk, u), [alice, bob]))

    assert sorted(outcomes) == ["decided", "refused"]
    winner = ScanSuggestion.objects.get().decided_by
    assert list(Answer.objects.values_list("respondent", "level_value")) == [
        (winner.pk, Decimal(2))
    ]
    assert set(Evidence.objects.values_list("added_by", flat=True)) == {winner.pk}
