"""The people and assessments of a topology run, written on the primary through the ORM.

Four teams of five projects. Each project has one submitted assessment (its audit PDF queued for
the workers when submitted) and one open assessment that ten of the team's members answer during
the run: 200 respondents on 20 assessments. One manager per team reads the dashboard. Everyone
gets a session made the way Django's test client's force_login makes one, so the run times the
app, not 200 password hashes."""

import random
from dataclasses import dataclass, field
from decimal import Decimal

TEAMS = 4
PROJECTS_PER_TEAM = 5
RESPONDENTS_PER_ASSESSMENT = 10


@dataclass
class Respondent:
    username: str
    session: str
    assessment_id: int


@dataclass
class Cast:
    respondents: list[Respondent] = field(default_factory=list)
    managers: list[tuple[str, str]] = field(default_factory=list)  # (username, session key)
    question_keys: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    submitted_results: list[int] = field(default_factory=list)


def session_for(user) -> str:
    """A signed-in session for the user, stored by the configured engine (cached_db with Redis)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def build(seed: int = 19) -> Cast:
    from django.contrib.auth import get_user_model

    from assessment import services
    from assessment.models import Answer, Assessment
    from assessment.reports import tasks as report_tasks
    from banks import files
    from banks.models import BankVersion
    from banks.queries import DEFAULT_BANK, scale_of
    from projects.models import Membership, Project, Team

    rng = random.Random(seed)
    files.load_shipped_banks()
    version = (
        BankVersion.objects.published().filter(bank__slug=DEFAULT_BANK).order_by("-number").first()
    )
    questions = list(version.questions.order_by("category__order", "order"))
    scale = scale_of(version)
    cast = Cast(
        question_keys=[q.key for q in questions],
        choices=[f"{value.normalize():f}" for value in scale],
    )
    user_model = get_user_model()
    for t in range(TEAMS):
        team = Team.objects.create(name=f"Topology team {t + 1}", slug=f"topology-{t + 1}")
        manager = user_model.objects.create_user(f"manager{t + 1}", password=None)
        Membership.objects.create(team=team, user=manager, role=Membership.Role.MANAGER)
        cast.managers.append((manager.username, session_for(manager)))
        for p in range(PROJECTS_PER_TEAM):
            project = Project.objects.create(
                team=team, name=f"Model {t + 1}.{p + 1}", slug=f"model-{t + 1}-{p + 1}"
            )
            members = []
            for r in range(RESPONDENTS_PER_ASSESSMENT):
                user = user_model.objects.create_user(f"r{t + 1}-{p + 1}-{r + 1}", password=None)
                Membership.objects.create(team=team, user=user, role=Membership.Role.MEMBER)
                members.append(user)
            earlier = Assessment.objects.create(project=project, version=version, title="Spring")
            Answer.objects.bulk_create(
                Answer(
                    assessment=earlier,
                    question=question,
                    respondent=members[0],
                    level_value=Decimal(rng.randrange(len(scale))),
                )
                for question in questions
            )
            submitted = services.submit_assessment(
                assessment=earlier, by=manager, allow_open_items=True
            )
            cast.submitted_results.append(submitted.result.pk)
            # Its audit PDF, queued as the submit page queues it: the workers render them.
            report_tasks.queue_assessment_report(result=submitted.result, requested_by=manager)
            current = services.start_assessment(
                project=project, version=version, started_by=manager, title="Autumn"
            )
            cast.respondents += [
                Respondent(user.username, session_for(user), current.pk) for user in members
            ]
    return cast
