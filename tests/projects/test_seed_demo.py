import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from assessment import queries
from assessment.models import Answer, Assessment
from banks.models import BankVersion
from projects.models import Membership, Project, Team
from tests.pages import table_headed


def snapshot():
    return {
        "teams": sorted(Team.objects.values_list("slug", "name")),
        "projects": sorted(Project.objects.values_list("slug", "team__slug")),
        "users": sorted(get_user_model().objects.values_list("username", "is_staff")),
        "memberships": sorted(
            Membership.objects.values_list("user__username", "team__slug", "role")
        ),
        "banks": sorted(BankVersion.objects.values_list("bank__slug", "number", "status")),
        "assessments": sorted(Assessment.objects.values_list("project__slug", "title", "status")),
        "answers": Answer.objects.count(),
    }


def test_seed_demo_is_idempotent_and_creates_the_cast(db, settings, capsys):
    settings.DEBUG = True

    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")

    assert snapshot() == first
    assert ("alice", "search-ranking", "member") in first["memberships"]
    assert ("bob", "search-ranking", "manager") in first["memberships"]
    assert ("carol", "risk-models", "member") in first["memberships"]
    assert ("admin", True) in first["users"]
    assert len(first["teams"]) == 2
    assert get_user_model().objects.get(username="carol").check_password("paydown-demo")
    assert ("ml-technical-debt", 1, "published") in first["banks"]
    assert ("ml-test-score", 1, "published") in first["banks"]
    assert "paydown-demo" in capsys.readouterr().out


def test_seed_demo_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert Team.objects.count() == 0

    call_command("seed_demo", "--force")
    assert Team.objects.count() == 2


def test_seed_demo_starts_an_assessment_two_respondents_disagree_on(db, settings):
    settings.DEBUG = True

    call_command("seed_demo")

    assessment = Assessment.objects.get(status="in_progress")
    respondents = set(assessment.answers.values_list("respondent__username", flat=True))
    assert respondents == {"alice", "bob"}
    teams = queries.consensus_by_question(assessment, queries.team_answers(assessment))
    assert sum(team.discuss for team in teams.values()) >= 2


def test_seed_demo_gives_every_project_a_year_of_history_and_tracked_actions(db, settings):
    settings.DEBUG = True

    call_command("seed_demo")

    for project in Project.objects.all():
        submitted = project.assessments.filter(status="submitted")
        assert 4 <= submitted.count() <= 8, project.slug
        assert all(a.result.overall is not None for a in submitted)
        dates = sorted(submitted.values_list("submitted_at", flat=True))
        assert (dates[-1] - dates[0]).days >= 300
        assert project.actions.exists()
    overall = [
        a.result.overall
        for a in Project.objects.get(slug="query-ranker")
        .assessments.filter(status="submitted")
        .order_by("submitted_at")
    ]
    assert overall[-1] > overall[0]  # progress, however uneven


def test_seed_demo_builds_a_large_portfolio_on_request(db, settings):
    settings.DEBUG = True

    call_command("seed_demo", "--projects", "12", "--history", "2")

    generated = Project.objects.filter(slug__startswith="demo-model-")
    assert generated.count() == 12
    assert all(p.assessments.filter(status="submitted").count() == 2 for p in generated)


def test_the_demo_dashboard_shows_a_stale_project_to_bob(db, settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    client.force_login(get_user_model().objects.get(username="bob"))

    html = client.get("/dashboard/", {"staleness": "stale"}).text

    rows = table_headed(html, "Compare", "Project")
    assert [(row[1], row[2]) for row in rows] == [("Related items", "Search & Ranking")]
    assert rows[0][-1].endswith(" stale")
