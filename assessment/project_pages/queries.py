"""Reads for the home page, the project page and the project's public badge."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from paydown import consensus

from assessment import sparkline
from assessment.access import User, roles_by_team, visible_teams
from assessment.models import Answer, Assessment, AssessmentResult, LatestResult, Settlement
from assessment.queries import counted_responses
from banks.localize import Texts
from banks.models import Question
from banks.queries import DEFAULT_BANK, scale_of
from projects.models import Membership, Project, Team


@dataclass(frozen=True)
class Standing:
    """Where a project stands on the default bank, for the lists people look at first: its latest
    level and score, the trend of its last scores, when it was assessed and when it is due."""

    level: int | None
    level_name: str
    overall: Decimal | None
    assessed_at: datetime | None
    due: date
    trend: str  # sparkline points, oldest first; "" with fewer than two results
    scores: tuple[Decimal, ...] = ()  # the trend's scores, oldest first (its text alternative)

    @property
    def overdue(self) -> bool:
        return self.due <= timezone.localdate()


TREND_LENGTH = 8  # results in a project's small trend line


def standings(projects: list[Project]) -> dict[int, Standing]:
    """Each project's standing, in two queries however many projects and however long their
    histories: the latest results' rows, and the last few scores of each by a window."""
    ids = [p.pk for p in projects]
    latest = {
        row[0]: row[1:]
        for row in LatestResult.objects.filter(
            project_id__in=ids, bank__slug=DEFAULT_BANK
        ).values_list(
            "project_id", "result__level", "result__level_name", "overall", "submitted_at"
        )
    }
    recent = (
        AssessmentResult.objects.filter(
            assessment__project_id__in=ids, version__bank__slug=DEFAULT_BANK
        )
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=F("assessment__project_id"),
                order_by=F("assessment__submitted_at").desc(),
            )
        )
        .filter(recency__lte=TREND_LENGTH)
        .order_by("assessment__submitted_at")
        .values_list("assessment__project_id", "overall")
    )
    trends: dict[int, list] = defaultdict(list)
    for project_id, overall in recent:
        trends[project_id].append(overall)
    found = {}
    for project in projects:
        level, name, overall, assessed_at = latest.get(project.pk, (None, "", None, None))
        since = (assessed_at or project.created).date()
        found[project.pk] = Standing(
            level=level,
            level_name=name,
            overall=overall,
            assessed_at=assessed_at,
            due=since + timedelta(days=project.cadence_days),
            trend=sparkline.points(trends[project.pk]),
            scores=tuple(s for s in trends[project.pk] if s is not None),
        )
    return found


@dataclass(frozen=True)
class TeamWithProjects:
    team: Team
    role: str
    projects: list[tuple[Project, Standing]] = field(default_factory=list)

    @property
    def can_manage(self) -> bool:
        return self.role == Membership.Role.MANAGER

    @property
    def role_label(self) -> str:
        return Membership.Role(self.role).label if self.role else ""


def home_teams(user: User) -> list[TeamWithProjects]:
    """The home page: the user's teams with their projects, each with where it stands, and the
    user's role: five queries whatever their number and history."""
    teams = list(
        visible_teams(user)
        .prefetch_related(Prefetch("projects", queryset=Project.objects.order_by("name")))
        .order_by("name")
    )
    roles = roles_by_team(user)
    found = standings([project for team in teams for project in team.projects.all()])
    return [
        TeamWithProjects(
            team=team,
            role=roles[team.pk],
            projects=[(project, found[project.pk]) for project in team.projects.all()],
        )
        for team in teams
    ]


def project_assessments(project: Project) -> dict:
    """The project page's lists: assessments in progress with their team progress, then the
    submitted ones, newest first, each with its bank."""
    assessments = list(
        project.assessments.select_related("version__bank", "started_by", "result").order_by(
            "-created"
        )
    )
    for assessment in assessments:  # the bank's name in the page's language
        Texts(assessment.version).version(assessment.version)
    progress = progress_by_assessment(assessments)
    return {
        "standing": standings([project])[project.pk],
        "in_progress": [(a, progress[a.pk]) for a in assessments if a.is_open],
        "submitted": [a for a in assessments if not a.is_open],
    }


def progress_by_assessment(assessments: list[Assessment]) -> dict[int, consensus.Progress]:
    """Team progress of each open assessment, in three queries however many there are, reading
    answers as counts so the cost does not grow with the teams."""
    open_ones = [a for a in assessments if a.is_open]
    if not open_ones:
        return {}
    question_ids: dict[int, list[int]] = defaultdict(list)
    for question_id, version_id in Question.objects.filter(
        version_id__in={a.version_id for a in open_ones}
    ).values_list("id", "version_id"):
        question_ids[version_id].append(question_id)
    responses = counted_responses(
        Answer.objects.filter(assessment__in=open_ones), "assessment_id", "question_id"
    )
    settled = {
        (a_id, q_id): consensus.Settled(value, na)
        for a_id, q_id, value, na in Settlement.objects.filter(
            assessment__in=open_ones
        ).values_list("assessment_id", "question_id", "level_value", "not_applicable")
    }
    result = {}
    for assessment in open_ones:
        scale = scale_of(assessment.version)
        result[assessment.pk] = consensus.progress_of(
            consensus.consensus_of_counts(
                responses[(assessment.pk, q)], scale, settled.get((assessment.pk, q))
            )
            for q in question_ids[assessment.version_id]
        )
    return result


@dataclass(frozen=True)
class BadgeLevel:
    """What the badge may show of a project: its level on the default bank and its score."""

    level: int
    name: str
    overall: Decimal


def badge_project(slug: str) -> Project | None:
    """The project behind a badge URL, with only what the token check needs."""
    return Project.objects.only("pk", "badge_token").filter(slug=slug).first()


def badge_level(project: Project) -> BadgeLevel | None:
    """The level and score of the project's latest result on the default bank, whichever version
    it was on; None when it has none (or none with a level): one query."""
    row = (
        LatestResult.objects.filter(project=project, bank__slug=DEFAULT_BANK)
        .values_list("result__level", "result__level_name", "overall")
        .first()
    )
    if row is None or row[0] is None or row[2] is None:
        return None
    return BadgeLevel(level=row[0], name=row[1], overall=row[2])
