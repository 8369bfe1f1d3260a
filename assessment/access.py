"""Who may see and change what: the one door every view goes through to load an object.

Everything is built on `visible_projects()`: an object is visible when its project is. A lookup
that misses answers 404 whether the object does not exist or belongs to another team, so ids leak
nothing. Manager-only actions answer 403 to members of the team (they can see the page exists).
No other module filters by membership.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from assessment.models import (
    Assessment,
    AssessmentResult,
    ReportJob,
    ScanSuggestion,
    SubmittedAssessmentError,
    TrackedAction,
)
from audit.models import Entry
from banks import queries as bank_queries
from banks.models import BankVersion, Question
from projects import services as project_services
from projects.models import ApiToken, Invitation, Membership, Project, SignInLink, Team

User = AbstractBaseUser | AnonymousUser


def visible_teams(user: User) -> QuerySet[Team]:
    """Teams whose projects the user may see: their own, or all for staff."""
    if user.is_staff:
        return Team.objects.all()
    return Team.objects.filter(memberships__user=user)


def visible_projects(user: User) -> QuerySet[Project]:
    if user.is_staff:
        return Project.objects.all()
    return Project.objects.filter(team__memberships__user=user)


def role_in(user: User, team: Team) -> str | None:
    """The user's role in the team, or None; staff count as managers everywhere."""
    if user.is_staff:
        return Membership.Role.MANAGER
    return Membership.objects.filter(team=team, user=user).values_list("role", flat=True).first()


def roles_by_team(user: User) -> defaultdict[int, str]:
    """The user's role per team id, in one query; staff are managers of every team."""
    if user.is_staff:
        return defaultdict(lambda: Membership.Role.MANAGER)
    memberships = Membership.objects.filter(user=user).values_list("team_id", "role")
    return defaultdict(lambda: None, memberships)


def can_manage(user: User, team: Team) -> bool:
    return role_in(user, team) == Membership.Role.MANAGER


def require_manager(user: User, team: Team, message: str) -> None:
    if not can_manage(user, team):
        raise PermissionDenied(message)


def team_members(team_id: int) -> QuerySet:
    """The users of a team, by name: owners of tracked actions, respondents of demo history."""
    return get_user_model().objects.filter(memberships__team_id=team_id).order_by("username")


def team_managers(team_id: int) -> QuerySet:
    """The managers of a team, by name."""
    return (
        get_user_model()
        .objects.filter(memberships__team_id=team_id, memberships__role=Membership.Role.MANAGER)
        .order_by("username")
    )


def managed_teams(user: User) -> list[Team]:
    """Teams whose dashboard the user may open: all for staff, else the ones they manage."""
    teams = Team.objects.order_by("name")
    if user.is_staff:
        return list(teams)
    return list(teams.filter(memberships__user=user, memberships__role=Membership.Role.MANAGER))


def get_managed_teams(user: User) -> list[Team]:
    """The managed teams for portfolio reports and exports; 403 for someone who manages none."""
    teams = managed_teams(user)
    if not teams:
        raise PermissionDenied(_("Portfolio reports and exports are for the teams' managers."))
    return teams


def get_team_for_user(user: User, slug: str) -> Team:
    return get_object_or_404(visible_teams(user), slug=slug)


def memberships_of(team: Team) -> QuerySet[Membership]:
    return team.memberships.select_related("user").order_by("user__username")


def memberships_of_user(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("team").order_by("team__name")


def open_invitations_of(team: Team, now) -> QuerySet[Invitation]:
    return team.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    )


def get_membership_to_manage(user: User, team_slug: str, membership_id: int) -> Membership:
    """A membership of a team the user sees (else 404) and manages (else 403)."""
    team = get_team_for_user(user, team_slug)
    require_manager(user, team, _("Only the team's managers change roles and members."))
    return get_object_or_404(team.memberships.select_related("user", "team"), pk=membership_id)


def get_invitation_to_manage(user: User, team_slug: str, invitation_id: int) -> Invitation:
    team = get_team_for_user(user, team_slug)
    require_manager(user, team, _("Only the team's managers withdraw invitations."))
    return get_object_or_404(team.invitations, pk=invitation_id)


def invitation_by_token(token: str) -> Invitation:
    """The invitation whose link carries this token (its digest is what is kept); 404 for any
    other string. The link is the credential, for whoever follows it."""
    return get_object_or_404(
        Invitation.objects.select_related("team", "invited_by"),
        digest=project_services.token_digest(token),
    )


def sign_in_link_by_token(token: str) -> SignInLink:
    return get_object_or_404(
        SignInLink.objects.select_related("user"), digest=project_services.token_digest(token)
    )


def get_project_for_user(user: User, slug: str) -> Project:
    return get_object_or_404(visible_projects(user).select_related("team"), slug=slug)


def get_assessment_for_user(user: User, pk: int) -> Assessment:
    """The assessment with its project, team, version and bank: one query."""
    assessments = Assessment.objects.select_related(
        "project__team", "version__bank", "submitted_by"
    )
    return get_object_or_404(assessments.filter(project__in=visible_projects(user)), pk=pk)


def require_open(assessment: Assessment) -> None:
    """Answers, comments, settlements and submit change only an open assessment; the services
    check again under the assessment's lock, since a submit may land in between."""
    if not assessment.is_open:
        raise SubmittedAssessmentError.of(assessment)


def get_open_assessment_for_user(user: User, pk: int) -> Assessment:
    assessment = get_assessment_for_user(user, pk)
    require_open(assessment)
    return assessment


def lock_open_assessment_for_user(user: User, pk: int) -> Assessment:
    """The assessment locked for a write, inside the caller's transaction: 404 when the user may
    not see it, SubmittedAssessmentError when it is no longer open. One query for access, lock
    and the open check, so autosave pays for the lock only once (services reuse it)."""
    try:
        return Assessment.objects.filter(project__in=visible_projects(user)).lock_open(pk)
    except Assessment.DoesNotExist:
        raise Http404 from None


def get_submitted_assessment_for_user(user: User, pk: int) -> Assessment:
    """Results, plans, exports and reports exist only once an assessment is submitted."""
    return _submitted(get_assessment_for_user(user, pk))


def _submitted(assessment: Assessment) -> Assessment:
    if assessment.is_open:
        raise Http404(_("This assessment has no results until it is submitted."))
    return assessment


def get_submitted_result_for_user(user: User, pk: int) -> AssessmentResult:
    """The stored result of submitted assessment `pk` with its assessment, project and audit
    report job (if any): one query. Only submitted assessments have a result."""
    results = AssessmentResult.objects.select_related("assessment__project", "report_job")
    visible = results.filter(assessment__project__in=visible_projects(user))
    # By the assessment's own key, whose lookup turns an id too large for the column into a 404.
    return get_object_or_404(visible, assessment__pk=pk)


def get_question_of_assessment(assessment: Assessment, key: str) -> Question:
    """A question of the assessment's own bank version; a key of any other version is a 404."""
    return get_object_or_404(Question, version_id=assessment.version_id, key=key)


def get_open_suggestion(assessment: Assessment, suggestion_id: int) -> ScanSuggestion:
    """An undecided scan suggestion of this (already authorized) assessment; 404 for another
    assessment's, or one decided or superseded meanwhile."""
    return get_object_or_404(
        ScanSuggestion.objects.select_related("scan"),
        pk=suggestion_id,
        assessment=assessment,
        status=ScanSuggestion.Status.OPEN,
    )


def get_tracked_action_for_user(user: User, slug: str, action_id: int) -> TrackedAction:
    project = get_project_for_user(user, slug)
    return get_object_or_404(project.actions.select_related("project__team"), pk=action_id)


def get_report_job_for_user(user: User, job_id: int) -> ReportJob:
    """Portfolio report jobs belong to the user who asked for them; everyone else gets 404. (An
    audit report's job is reached through its assessment: `get_submitted_result_for_user`.)"""
    jobs = ReportJob.objects.filter(kind=ReportJob.Kind.PORTFOLIO)
    return get_object_or_404(jobs, pk=job_id, requested_by_id=user.pk)


def get_version_for_preview(user: User, slug: str, number: int) -> BankVersion:
    """A bank version's preview, for staff who curate banks; 404 for everyone else."""
    if not user.is_staff:
        raise Http404
    # Categories, questions and levels in bank order: four queries.
    versions = bank_queries.versions_with_content("levels")
    return get_object_or_404(versions, bank__slug=slug, number=number)


# --- API tokens (issue #14): the same lookups, narrowed to what a token may reach -----------------


def api_token(raw: str, now) -> ApiToken | None:
    """The live token with this text (by its digest), with its user and project; None when it is
    unknown, revoked, expired, or its user is inactive."""
    token = (
        ApiToken.objects.select_related("user", "project")
        .filter(digest=project_services.token_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    return token


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first, with the project each reaches."""
    return user.api_tokens.select_related("project")


def get_api_token_for_user(user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens; anyone else's id answers 404, as a missing one does."""
    return get_object_or_404(user.api_tokens, pk=token_id)


def token_projects(token: ApiToken) -> QuerySet[Project]:
    """What the user may see, and of that only the token's project when it names one."""
    projects = visible_projects(token.user)
    return projects.filter(pk=token.project_id) if token.project_id else projects


def get_project_for_token(token: ApiToken, slug: str) -> Project:
    return get_object_or_404(token_projects(token).select_related("team"), slug=slug)


def get_assessment_for_token(token: ApiToken, pk: int) -> Assessment:
    assessments = Assessment.objects.select_related(
        "project__team", "version__bank", "submitted_by"
    )
    return get_object_or_404(assessments.filter(project__in=token_projects(token)), pk=pk)


def get_tracked_action_for_token(token: ApiToken, slug: str, action_id: int) -> TrackedAction:
    project = get_project_for_token(token, slug)
    actions = project.actions.select_related("project__team", "owner", "source")
    return get_object_or_404(actions, pk=action_id)


def get_submitted_assessment_for_token(token: ApiToken, pk: int) -> Assessment:
    return _submitted(get_assessment_for_token(token, pk))


def lock_open_assessment_for_token(token: ApiToken, pk: int) -> Assessment:
    try:
        return Assessment.objects.filter(project__in=token_projects(token)).lock_open(pk)
    except Assessment.DoesNotExist:
        raise Http404 from None


# --- the audit log (issue #17) --------------------------------------------------------------------


def get_project_to_audit(user: User, slug: str) -> Project:
    """A project whose audit log the user may read: its team's managers and staff. Someone who
    may see the project but not manage it gets 403; anyone else 404."""
    project = get_project_for_user(user, slug)
    require_manager(user, project.team, _("The audit log is for the team's managers."))
    return project


def audit_entries_of_project(project: Project) -> QuerySet[Entry]:
    """The project's own entries and its team's (invitations, roles): who could answer for it."""
    return Entry.objects.filter(
        Q(project_id=project.pk) | Q(project_id=None, team_id=project.team_id)
    )


def all_audit_entries(user: User) -> QuerySet[Entry]:
    """Every entry, for staff; 404 for everyone else (the page is not theirs to know of)."""
    if not user.is_staff:
        raise Http404
    return Entry.objects.all()
