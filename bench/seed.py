"""The data `make bench` measures on, built in bulk: a 48-question bank, two teams answering an
open assessment (5 and 100 respondents), submitted assessments for results and PDFs, and two
portfolios (small and large) for the dashboard.

Runs inside bench/run.py with Django set up on bench.settings. Rows go in with bulk_create: the
services would take minutes for 10,000 projects. The few assessments whose results and PDFs are
timed are submitted through the real service, so their stored results are exactly what the app
stores.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from paydown import scoring

from assessment import services
from assessment.models import (
    Answer,
    Assessment,
    AssessmentResult,
    CategoryResult,
    QuestionResult,
    ReportJob,
)
from assessment.services import portfolio as portfolio_rows
from assessment.services import submission
from banks import files
from banks import services as bank_services
from banks.models import BankVersion, Category, Question
from banks.queries import DEFAULT_BANK, scale_of
from projects.models import Membership, Project, Team

PASSWORD = "bench-password"
QUESTIONS_PER_CATEGORY = 8  # 6 categories × 8 = 48 questions, 5 levels each
PROFILES = 200  # distinct scored answer sets the portfolio's projects cycle through
NOTE = (
    "Checked with the on-call runbook and the last two incident reviews; the owner is the "
    "platform team, see the linked dashboard for the current state."
)


@dataclass
class Cast:
    """Who and what the figures use; primary keys and user names only, so it outlives the ORM."""

    version_id: int = 0
    question_keys: list[str] = field(default_factory=list)
    # Open assessments answered by 5 and 100 respondents: {team size: assessment id}.
    open_assessments: dict[int, int] = field(default_factory=dict)
    # Respondents per team size, the first one autosaves and reads the questionnaire.
    respondents: dict[int, list[str]] = field(default_factory=dict)
    # What each respondent's answers hold now: {(assessment id, user, key): (level, notes)}.
    answers: dict[tuple[int, str, str], tuple[int, str]] = field(default_factory=dict)
    results_assessment: int = 0  # submitted: its results page is timed
    report_assessments: list[int] = field(default_factory=list)  # submitted, no PDF yet
    reader: str = ""  # a member of the submitted assessments' team
    managers: dict[int, str] = field(default_factory=dict)  # {portfolio size: manager}


def create_floor_table(table: str) -> None:
    """The floor view's table; the bench's own, so no app gets a bench migration."""
    quoted = connection.ops.quote_name(table)
    key = (
        "BIGSERIAL PRIMARY KEY"
        if connection.vendor == "postgresql"
        else "INTEGER PRIMARY KEY AUTOINCREMENT"
    )
    timestamp = "TIMESTAMP WITH TIME ZONE" if connection.vendor == "postgresql" else "DATETIME"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quoted}")
        cursor.execute(
            f"CREATE TABLE {quoted} (id {key}, user_id INTEGER NOT NULL, "
            f"value VARCHAR(100) NOT NULL, created {timestamp} NOT NULL)"
        )


def bank() -> BankVersion:
    """The default bank cut to 8 questions per category, imported and published as any bank is.

    It keeps the default bank's slug, so the dashboard shows it without a filter."""
    data = yaml.safe_load(files.SHIPPED_BANKS[0].read_text())
    assert data["slug"] == DEFAULT_BANK
    for category in data["categories"]:
        category["questions"] = category["questions"][:QUESTIONS_PER_CATEGORY]
    kept = {q["key"] for c in data["categories"] for q in c["questions"]}
    for category in data["categories"]:
        for question in category["questions"]:
            question["prerequisites"] = [k for k in question.get("prerequisites", []) if k in kept]
    data["changelog"] = "Bench: the first 8 questions of each category."
    files.load(yaml.safe_dump(data, allow_unicode=True))  # validates, as an import would
    with transaction.atomic():
        return bank_services.publish_version(version=files.import_data(data))


def users(names: list[str]) -> dict[str, int]:
    """Users with one cheap, shared password hash; returns {name: pk}."""
    user_model = get_user_model()
    hashed = make_password(PASSWORD)
    user_model.objects.bulk_create(user_model(username=n, password=hashed) for n in names)
    return dict(user_model.objects.filter(username__in=names).values_list("username", "pk"))


def team(slug: str, members: dict[str, int], *, role: str = Membership.Role.MEMBER) -> Team:
    created = Team.objects.create(name=slug.replace("-", " ").title(), slug=slug)
    Membership.objects.bulk_create(
        Membership(team=created, user_id=pk, role=role) for pk in members.values()
    )
    return created


def _answers(
    assessment: Assessment, questions: list[Question], members: dict[str, int], rng: random.Random
) -> list[Answer]:
    """Every member answers every question; a third of the answers carry a note."""
    return [
        Answer(
            assessment=assessment,
            question=question,
            respondent_id=pk,
            level_value=Decimal(rng.randrange(5)),
            notes=NOTE if rng.random() < 1 / 3 else "",
            confirmed_at=timezone.now(),
            confirmed_by_id=pk,
        )
        for pk in members.values()
        for question in questions
    ]


def open_assessment(
    version: BankVersion, project: Project, members: dict[str, int], cast: Cast, rng: random.Random
) -> Assessment:
    questions = list(version.questions.order_by("category__order", "order"))
    assessment = Assessment.objects.create(
        project=project, version=version, title=f"{project.name} assessment"
    )
    rows = Answer.objects.bulk_create(_answers(assessment, questions, members, rng))
    names = {pk: name for name, pk in members.items()}
    keys = {q.pk: q.key for q in questions}
    for row in rows:
        cast.answers[(assessment.pk, names[row.respondent_id], keys[row.question_id])] = (
            int(row.level_value),
            row.notes,
        )
    return assessment


def submitted_assessment(
    version: BankVersion, project: Project, members: dict[str, int], rng: random.Random, n: int
) -> Assessment:
    """Answered by every member and submitted through the service (results, marks, snapshots)."""
    questions = list(version.questions.order_by("category__order", "order"))
    assessment = Assessment.objects.create(
        project=project, version=version, title=f"{project.name} assessment {n}"
    )
    Answer.objects.bulk_create(_answers(assessment, questions, members, rng))
    by = get_user_model().objects.get(pk=next(iter(members.values())))
    return services.submit_assessment(assessment=assessment, by=by, allow_open_items=True)


def _profiles(version: BankVersion, rng: random.Random) -> list[tuple]:
    """PROFILES scored answer sets: (scorecard, [(question, value)]) computed by the app's scoring."""
    categories = list(Category.objects.filter(version=version).order_by("order", "pk"))
    questions = list(
        Question.objects.filter(version=version)
        .select_related("category")
        .order_by("category__order", "order", "pk")
    )
    profiles = []
    for _ in range(PROFILES):
        skill = rng.random() * 4  # a project is uneven, around a level of its own
        values = [Decimal(min(4, max(0, round(rng.gauss(skill, 1.2))))) for _question in questions]
        card = scoring.score(
            scoring.BankInput(
                method=version.scoring_method,
                scale=scale_of(version),
                categories=[scoring.CategoryInput(c.key, c.name, c.weight) for c in categories],
                questions=[
                    scoring.QuestionInput(q.key, q.category.key, q.weight, v)
                    for q, v in zip(questions, values, strict=True)
                ],
            )
        )
        profiles.append((card, list(zip(questions, values, strict=True))))
    return profiles


def portfolio(
    version: BankVersion, owner: Team, size: int, rng: random.Random, *, chunk: int = 1000
) -> None:
    """`size` projects, each with one submitted assessment and its stored result, as a submit
    stores it (result, 6 category rows, 48 question rows); a quarter of them stale."""
    profiles = _profiles(version, rng)
    now = timezone.now()
    for start in range(0, size, chunk):
        numbers = range(start, min(size, start + chunk))
        projects = Project.objects.bulk_create(
            Project(team=owner, name=f"{owner.name} model {n:05d}", slug=f"{owner.slug}-{n:05d}")
            for n in numbers
        )
        assessments = Assessment.objects.bulk_create(
            Assessment(
                project=p,
                version=version,
                title=f"{p.name} assessment",
                status=Assessment.Status.SUBMITTED,
                submitted_at=now - timedelta(days=rng.randrange(120), minutes=rng.randrange(1440)),
            )
            for p in projects
        )
        chosen = [profiles[rng.randrange(PROFILES)] for _ in assessments]
        results = AssessmentResult.objects.bulk_create(
            AssessmentResult(
                **submission.result_fields(card),
                assessment=a,
                version=version,
                respondents=3,
                project_name=p.name,
                team_name=owner.name,
                title=a.title,
            )
            for a, p, (card, _values) in zip(assessments, projects, chosen, strict=True)
        )
        categories = CategoryResult.objects.bulk_create(
            row
            for r, (card, _values) in zip(results, chosen, strict=True)
            for row in submission.category_results(r, card)
        )
        questions = QuestionResult.objects.bulk_create(
            (
                QuestionResult(
                    result=r,
                    question_key=q.key,
                    category_key=q.category.key,
                    order=i,
                    text=q.text,
                    weight=q.weight,
                    value=value,
                )
                for r, (_card, values) in zip(results, chosen, strict=True)
                for i, (q, value) in enumerate(values)
            ),
            batch_size=2000,
        )
        # Each project's only result is its latest: the dashboard's rows, as a submit keeps them.
        per_category, per_question = len(categories) // len(results), len(questions) // len(results)
        portfolio_rows.record_new_latest(
            [
                portfolio_rows.latest_for(
                    r,
                    categories[i * per_category : (i + 1) * per_category],
                    questions[i * per_question : (i + 1) * per_question],
                )
                for i, r in enumerate(results)
            ]
        )


def build(*, portfolio_sizes: tuple[int, int], report_assessments: int, seed: int = 12) -> Cast:
    """Everything the figures need, in one empty database."""
    rng = random.Random(seed)
    cast = Cast()
    version = bank()
    cast.version_id = version.pk
    cast.question_keys = list(
        version.questions.order_by("category__order", "order").values_list("key", flat=True)
    )

    for size in (5, 100):
        names = [f"r{size}-{i:03d}" for i in range(size)]
        members = users(names)
        owner = team(f"answering-{size}", members)
        project = Project.objects.create(team=owner, name=f"Ranker {size}", slug=f"ranker-{size}")
        cast.open_assessments[size] = open_assessment(version, project, members, cast, rng).pk
        cast.respondents[size] = names

    # Reports and results: a 5-person team's submitted assessments, each with its own answers,
    # so every PDF is a distinct document.
    names = [f"reader-{i}" for i in range(5)]
    members = users(names)
    owner = team("reporting", members)
    project = Project.objects.create(team=owner, name="Fraud scorer", slug="fraud-scorer")
    cast.reader = names[0]
    submitted = [
        submitted_assessment(version, project, members, rng, n).pk
        for n in range(report_assessments + 1)
    ]
    cast.results_assessment, cast.report_assessments = submitted[0], submitted[1:]
    # A submit may queue its audit report at once; the bench queues each itself, while it times.
    ReportJob.objects.all().delete()
    DBTaskResult.objects.all().delete()

    for size in portfolio_sizes:
        name = f"manager-{size}"
        managers = users([name])
        owner = team(f"portfolio-{size}", managers, role=Membership.Role.MANAGER)
        portfolio(version, owner, size, rng)
        cast.managers[size] = name
    return cast
