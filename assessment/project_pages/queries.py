"""Reads for the home page, the project page and the project's public badge."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from paydown import consensus

from assessment.access import User, roles_by_team, visible_teams
from assessment.models import Answer, Assessment, LatestResult, Settlement
from assessment.queries import counted_responses
from banks.models import Question
from banks.queries import DEFAULT_BANK, scale_of
from projects.models import Membership, Project, Team


@dataclass(frozen=True)
class TeamWithProjects:
    team: Team
    role: str
    projects: list[Project]

    @property
    def can_manage(self) -> bool:
        return self.role == Membership.Role.MANAGER


def home_teams(user: User) -> list[TeamWithProjects]:
    """The home page: the user's teams with their projects and the user's role, in three queries
    whatever their number."""
    teams = visible_teams(user).prefetch_related(
        Prefetch("projects", queryset=Project.objects.order_by("name"))
    )
    roles = roles_by_team(user)
    return [
        TeamWithProjects(team=team, role=roles[team.pk], projects=list(team.projects.all()))
        for team in teams.order_by("name")
    ]


def project_assessments(project: Project) -> dict:
    """The project page's lists: assessments in progress with their team progress, then the
    submitted ones, newest first, each with its bank."""
    assessments = list(
        project.assessments.select_related("version__bank", "started_by").order_by("-created")
    )
    progress = progress_by_assessment(assessments)
    return {
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
