"""Concurrent autosaves: respondents never overwrite each other; the same answer keeps the latest."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from assessment import services
from assessment.models import Answer, Assessment
from tests import factories


def save(assessment_id: int, question_id: int, user, value: int) -> None:
    try:
        assessment = Assessment.objects.get(pk=assessment_id)
        services.record_answer(
            assessment=assessment,
            question_id=question_id,
            respondent=user,
            answer=services.AnswerInput(value=Decimal(value)),
            previous=None,
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
