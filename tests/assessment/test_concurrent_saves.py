"""Concurrent autosaves and submits, with real threads: respondents never overwrite each other, the
same answer keeps the latest, and no answer lands after a submit."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from assessment import services
from assessment.models import (
    Answer,
    AnswerChange,
    AnswerSnapshot,
    Assessment,
    AssessmentResult,
    SubmittedAssessmentError,
)
from tests import factories


def save(assessment_id: int, question_id: int, user, value: int) -> None:
    try:
        assessment = Assessment.objects.get(pk=assessment_id)
        services.record_answer(
            assessment=assessment,
            question_id=question_id,
            respondent=user,
            answer=services.AnswerInput(value=Decimal(value)),
        )
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_by_different_respondents_all_land(published, project1):
    users = [factories.make_user() for _ in range(6)]
    assessment = services.start_assessment(
        project=project1, version=published, started_by=users[0], title="Concurrent"
    )
    question = published.questions.get(key="data-a")

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda i: save(assessment.pk, question.pk, users[i], i % 3), range(6)))

    saved = dict(Answer.objects.values_list("respondent_id", "level_value"))
    assert saved == {user.pk: Decimal(i % 3) for i, user in enumerate(users)}


@pytest.mark.django_db(transaction=True)
def test_the_same_answer_saved_many_times_keeps_one_row(published, project1):
    user = factories.make_user()
    assessment = services.start_assessment(
        project=project1, version=published, started_by=user, title="Concurrent"
    )
    question = published.questions.get(key="data-a")

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda value: save(assessment.pk, question.pk, user, value), [0, 1, 2, 1]))

    assert Answer.objects.filter(respondent=user).count() == 1
    assert Answer.objects.get().level_value in {Decimal(0), Decimal(1), Decimal(2)}


def submit_when(start: threading.Barrier, assessment_id: int, manager) -> str:
    """Submit (as a manager, open items allowed) once every thread is ready; the outcome."""
    try:
        start.wait()
        services.submit_assessment(
            assessment=Assessment.objects.get(pk=assessment_id), by=manager, allow_open_items=True
        )
        return "submitted"
    except SubmittedAssessmentError:
        return "refused"
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_no_answer_lands_after_a_submit_that_wins_the_race(published, project1):
    users = [factories.make_user() for _ in range(6)]
    manager = factories.make_user()
    assessment = services.start_assessment(
        project=project1, version=published, started_by=manager, title="Race"
    )
    questions = list(published.questions.order_by("pk"))
    start = threading.Barrier(len(users) + 1)
    acknowledged: list[tuple[int, int, Decimal]] = []  # (user, question, value) that saved
    refused = []

    def keep_saving(index: int) -> None:
        user = users[index]
        try:
            start.wait()
            for round_ in range(12):
                question = questions[(index + round_) % len(questions)]
                value = Decimal((index + round_) % 3)
                try:
                    services.record_answer(
                        assessment=Assessment.objects.get(pk=assessment.pk),
                        question_id=question.pk,
                        respondent=user,
                        answer=services.AnswerInput(value=value),
                    )
                except SubmittedAssessmentError as error:
                    refused.append(error)
                    return
                acknowledged.append((user.pk, question.pk, value))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(users) + 1) as pool:
        futures = [pool.submit(keep_saving, i) for i in range(len(users))]
        futures.append(pool.submit(submit_when, start, assessment.pk, manager))
        for future in futures:
            future.result()

    submitted = Assessment.objects.get(pk=assessment.pk)
    assert submitted.status == Assessment.Status.SUBMITTED
    assert not Answer.objects.filter(updated_at__gt=submitted.submitted_at).exists()
    assert not AnswerChange.objects.filter(changed_at__gt=submitted.submitted_at).exists()
    # Every acknowledged save is in the per-respondent snapshot stored at submit.
    names = {user.pk: user.get_username() for user in users}
    keys = {question.pk: question.key for question in questions}
    latest = {(names[u], keys[q]): value for u, q, value in acknowledged}
    stored = {
        (row.respondent, row.question_key): row.value
        for row in AnswerSnapshot.objects.filter(result__assessment=submitted)
    }
    assert stored == latest
    assert all(error.submitted_by == manager.get_username() for error in refused)


@pytest.mark.django_db(transaction=True)
def test_of_two_submits_at_once_one_wins_and_the_other_is_told(published, project1):
    manager = factories.make_user()
    assessment = services.start_assessment(
        project=project1, version=published, started_by=manager, title="Twice"
    )
    start = threading.Barrier(2)

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(lambda _: submit_when(start, assessment.pk, manager), range(2)))

    assert outcomes == ["refused", "submitted"]
    assert AssessmentResult.objects.filter(assessment=assessment).count() == 1
