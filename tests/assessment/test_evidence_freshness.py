"""Evidence as dated rows (issue #15): links become rows that keep their dates from save to save,
go stale after their question's limit, carry over with their age, and are re-attested."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from assessment import freshness, services
from assessment.models import Answer, Evidence
from assessment.services import evidence as evidence_services
from banks.models import BankVersion, Question

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def save(assessment, respondent, levels: dict[str, int], links: dict[str, str] | None = None):
    """Answer through the service that the questionnaire uses, which keeps the evidence rows."""
    for key, level in levels.items():
        services.record_answer(
            assessment=assessment,
            question_id=assessment.version.questions.get(key=key).pk,
            respondent=respondent,
            answer=services.AnswerInput(value=Decimal(level), links=(links or {}).get(key, "")),
        )


ALL = {"data-a": 2, "data-b": 1, "code-a": 0}


def rows(assessment, key="data-a"):
    return list(
        Evidence.objects.filter(answer__assessment=assessment, answer__question__key=key)
        .order_by("text")
        .values_list("text", "confirmed_at", "stale_after")
    )


def test_a_link_becomes_a_row_that_keeps_its_date_until_it_is_removed(assessment, alice):
    with time_machine.travel(T0, tick=False):
        save(assessment, alice, {"data-a": 1}, {"data-a": "https://a.example"})
    later = T0 + timedelta(days=30)
    with time_machine.travel(later, tick=False):
        save(assessment, alice, {"data-a": 2}, {"data-a": "https://a.example\nhttps://b.example"})
    assert rows(assessment) == [
        ("https://a.example", T0, T0 + timedelta(days=180)),  # kept, so still dated T0
        ("https://b.example", later, later + timedelta(days=180)),
    ]
    save(assessment, alice, {"data-a": 2}, {"data-a": "https://b.example"})
    assert [text for text, *_ in rows(assessment)] == ["https://b.example"]
    assert Evidence.objects.get().added_by == alice


def test_the_questions_limit_beats_the_versions_which_beats_the_default(draft):
    question = draft.questions.get(key="data-a")
    assert evidence_services.question_max_age(question.pk) == freshness.DEFAULT_MAX_AGE_DAYS
    BankVersion.objects.filter(pk=draft.pk).update(evidence_max_age_days=90)
    assert evidence_services.question_max_age(question.pk) == 90
    Question.objects.filter(pk=question.pk).update(evidence_max_age_days=30)
    assert evidence_services.question_max_age(question.pk) == 30


@pytest.mark.parametrize(("days_later", "stale"), [(179, False), (181, True)])
def test_evidence_is_stale_once_older_than_its_limit(assessment, alice, days_later, stale):
    with time_machine.travel(T0, tick=False):
        save(assessment, alice, {"data-a": 2}, {"data-a": "https://a.example"})
    (row,) = Evidence.objects.all()
    assert row.is_stale(T0 + timedelta(days=days_later)) is stale


def test_re_attesting_confirms_every_piece_of_the_questions_evidence_now(assessment, alice, bob):
    with time_machine.travel(T0, tick=False):
        save(assessment, alice, {"data-a": 2}, {"data-a": "https://a.example"})
        save(assessment, bob, {"data-a": 2}, {"data-a": "https://b.example"})
        save(assessment, bob, {"data-b": 2}, {"data-b": "https://other.example"})
    now = T0 + timedelta(days=200)
    with time_machine.travel(now, tick=False):
        assert (
            evidence_services.reattest(
                assessment=assessment, question_id=Question.objects.get(key="data-a").pk, by=bob
            )
            == 2
        )
    assert {(t, c, s) for t, c, s in rows(assessment)} == {
        ("https://a.example", now, now + timedelta(days=180)),
        ("https://b.example", now, now + timedelta(days=180)),
    }
    assert rows(assessment, "data-b")[0][1] == T0  # another question's evidence is left alone
    assert set(
        Evidence.objects.filter(confirmed_at=now).values_list("confirmed_by", flat=True)
    ) == {bob.pk}


def test_carry_over_brings_evidence_with_its_age_so_a_reassessment_sees_it_stale(
    assessment, alice, bob
):
    with time_machine.travel(T0, tick=False):
        save(assessment, alice, ALL, {"data-a": "https://a.example"})
        services.submit_assessment(assessment=assessment, by=bob)
    with time_machine.travel(T0 + timedelta(days=200), tick=False):
        again = services.start_assessment(
            project=assessment.project,
            version=assessment.version,
            started_by=bob,
            title="Next",
            carry_over=True,
        )
    carried = Answer.objects.get(assessment=again, question__key="data-a")
    assert carried.links == "https://a.example"
    assert rows(again) == [("https://a.example", T0, T0 + timedelta(days=180))]
    assert carried.evidence.get().is_stale(T0 + timedelta(days=200))


def test_the_submit_snapshot_keeps_the_evidence_dates(assessment, alice, bob):
    with time_machine.travel(T0, tick=False):
        save(assessment, alice, ALL, {"data-a": "https://a.example"})
        services.submit_assessment(assessment=assessment, by=bob)
    snapshot = assessment.result.answers.get(question_key="data-a")
    assert snapshot.evidence == [
        {
            "kind": "link",
            "text": "https://a.example",
            "source": "typed",
            "confirmed_at": T0.isoformat(),
            "stale_after": (T0 + timedelta(days=180)).isoformat(),
        }
    ]
    assert freshness.item_is_stale(snapshot.evidence[0], T0 + timedelta(days=181))
    assert not freshness.item_is_stale(snapshot.evidence[0], T0 + timedelta(days=179))
