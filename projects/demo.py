"""Demo data: two teams, their projects and four users, created idempotently."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from projects.models import Membership, Profile, Project, Team

DEMO_PASSWORD = "paydown-demo"

TEAMS = [
    ("search-ranking", "Search & Ranking"),
    ("risk-models", "Risk Models"),
]

# team slug, slug, name, kind, description, risk tier (a tier key of the default bank's version 2)
PROJECTS = [
    (
        "search-ranking",
        "query-ranker",
        "Query ranker",
        Project.Kind.RANKING,
        "Learning-to-rank model ordering product search results; retrained weekly on click logs.",
        "customer-facing",
    ),
    (
        "search-ranking",
        "spell-correction",
        "Spell correction",
        Project.Kind.NLP,
        "Sequence model suggesting corrected queries; served at the edge with a 20 ms budget.",
        "customer-facing",
    ),
    (
        "search-ranking",
        "related-items",
        "Related items",
        Project.Kind.RANKING,
        "Embedding-based recommendations on product pages, built from co-view sessions.",
        "internal",
    ),
    (
        "risk-models",
        "fraud-scoring",
        "Fraud scoring",
        Project.Kind.ANOMALY,
        "Gradient-boosted model scoring card transactions in real time; analysts review the top 1%.",
        "customer-facing",
    ),
    (
        "risk-models",
        "credit-limits",
        "Credit limits",
        Project.Kind.REGRESSION,
        "Monthly batch model proposing credit limits; every change is reviewed by a risk officer.",
        "regulated",
    ),
]

# username, team slug, role, the role each answers from (Profile.respondent_role); None team for
# the site administrator. Risk Models answers from two roles of two people each, so its results
# compare how the roles see each category (issue #18: the demo showed no team with several roles).
USERS = [
    ("alice", "search-ranking", Membership.Role.MEMBER, ""),
    ("bob", "search-ranking", Membership.Role.MANAGER, ""),
    ("carol", "risk-models", Membership.Role.MEMBER, Profile.RespondentRole.DATA_SCIENTIST),
    ("dave", "risk-models", Membership.Role.MANAGER, Profile.RespondentRole.ML_ENGINEER),
    ("erin", "risk-models", Membership.Role.MEMBER, Profile.RespondentRole.DATA_SCIENTIST),
    ("frank", "risk-models", Membership.Role.MEMBER, Profile.RespondentRole.ML_ENGINEER),
    ("admin", None, None, ""),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    description: str


@transaction.atomic
def seed_teams_and_projects() -> list[DemoLogin]:
    """Create or refresh the demo teams, projects and users; returns the logins to print."""
    teams = {}
    for slug, name in TEAMS:
        teams[slug], _ = Team.objects.update_or_create(slug=slug, defaults={"name": name})
    for team_slug, slug, name, kind, description, risk_tier in PROJECTS:
        Project.objects.update_or_create(
            slug=slug,
            defaults={
                "team": teams[team_slug],
                "name": name,
                "kind": kind,
                "description": description,
                "risk_tier": risk_tier,
            },
        )

    user_model = get_user_model()
    logins = []
    for username, team_slug, role, respondent_role in USERS:
        is_admin = team_slug is None
        user, _ = user_model.objects.update_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "first_name": username.capitalize(),
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if is_admin:
            logins.append(DemoLogin(username, "site administrator: all teams, question banks"))
            continue
        team = teams[team_slug]
        Membership.objects.update_or_create(team=team, user=user, defaults={"role": role})
        if respondent_role:
            Profile.objects.update_or_create(
                user=user, defaults={"respondent_role": respondent_role}
            )
        answers_as = f", answers as {respondent_role.label}" if respondent_role else ""
        logins.append(DemoLogin(username, f"{role} of {team.name}{answers_as}"))
    return logins
