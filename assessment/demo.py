"""Demo assessments: an in-progress questionnaire that two respondents partly disagree on."""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from assessment import services
from assessment.models import Assessment, BankVersion
from projects.models import Project

IN_PROGRESS_TITLE = "Q4 2026 review"


@transaction.atomic
def seed_in_progress_assessment() -> Assessment | None:
    """Answer part of the default bank for the query ranker as alice and bob; skip if present."""
    project = Project.objects.filter(slug="query-ranker").first()
    version = (
        BankVersion.objects.published()
        .filter(bank__slug="ml-technical-debt")
        .order_by("-number")
        .first()
    )
    if project is None or version is None:
        return None
    if project.assessments.filter(title=IN_PROGRESS_TITLE).exists():
        return None
    users = get_user_model().objects.in_bulk(["alice", "bob"], field_name="username")
    assessment = services.start_assessment(
        project=project, version=version, started_by=users["bob"], title=IN_PROGRESS_TITLE
    )
    rng = random.Random(2026)
    questions = list(version.questions.order_by("category__order", "order"))
    for index, question in enumerate(questions[:30]):
        alice_level = rng.choice([1, 2, 2, 3])
        # Every tenth question: bob sees it two levels apart, so the team must discuss it.
        if index % 10 == 3:
            bob_level = alice_level - 2 if alice_level >= 2 else alice_level + 2
        else:
            bob_level = alice_level + rng.choice([-1, 0, 0, 1])
        for username, level in (("alice", alice_level), ("bob", max(0, bob_level))):
            if username == "bob" and index >= 24:
                continue  # bob has not reached the last questions yet
            services.record_answer(
                assessment=assessment,
                question_id=question.pk,
                respondent=users[username],
                answer=services.AnswerInput(
                    value=Decimal(level),
                    notes="Checked in the pipeline config."
                    if level >= 3 and username == "alice"
                    else "",
                ),
                previous=None,
            )
    return assessment
