from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from paydown import scoring

from assessment import queries
from assessment.models import Answer, Assessment, AssessmentResult
from assessment.results import queries as results
from banks.models import BankVersion
from projects.models import Membership, Project, Team
from tests.pages import squeeze, table_headed


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
    out = capsys.readouterr().out
    assert "paydown-demo" in out
    # The label names the version; "(Published)" after it said the status twice (issue #18).
    assert "Loaded question bank ML Test Score v1.\n" in out
    assert "(Published)" not in out


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


# --- bank version 2 in the demo (issue #13) ------------------------------------------------------


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")


def latest_result(slug: str):
    return (
        Project.objects.get(slug=slug)
        .assessments.filter(status="submitted")
        .order_by("-submitted_at")
        .first()
        .result
    )


def test_the_history_crosses_from_bank_version_1_to_version_2(demo):
    for project in Project.objects.all():
        numbers = list(
            project.assessments.filter(status="submitted")
            .order_by("submitted_at")
            .values_list("version__number", flat=True)
        )
        assert numbers[-1] == 2 and set(numbers[:-1]) == {1}, project.slug


def test_the_demo_has_a_project_whose_gated_level_is_below_its_mean_band(demo, client):
    result = latest_result("fraud-scoring")
    band, band_name, _ = scoring.maturity_level(result.overall)
    client.force_login(get_user_model().objects.get(username="carol"))

    html = squeeze(client.get(reverse("assessment:results", args=[result.assessment_id])).text)

    assert result.method_version == 2 and result.level < band
    assert f"The mean alone would read level {band} ({band_name})." in html
    monitoring = result.questions.get(question_key="ops-prediction-monitoring")
    assert "<strong>Level 2 is held back:</strong>" in html
    assert f"“{monitoring.text}” is at 0 (critical: it must be at 1 or above)" in html


def test_the_internal_project_s_plan_holds_only_questions_below_its_tier_s_targets(demo):
    project = Project.objects.get(slug="related-items")
    result = latest_result("related-items")
    internal = next(t for t in result.version.tiers if t["key"] == "internal")
    page = results.plan_page(result.assessment)

    assert project.risk_tier == "internal" and page.actions
    for action in page.actions:
        question = result.questions.get(question_key=action.question_key)
        target = D(internal["targets"][question.category_key])
        if question.critical:
            target = max(target, D(internal["critical_target"]))
        assert (question.value or 0) < target, action.question_key
    # Its accepted risk is listed apart, with who accepted it and why.
    (accepted,) = page.accepted
    assert accepted.risk.by == "bob" and "merchandising" in accepted.risk.reason


def test_every_version_1_result_in_the_demo_scores_the_same_again(demo):
    results_on_v1 = AssessmentResult.objects.filter(version__number=1).prefetch_related(
        "categories", "questions"
    )
    assert results_on_v1.count() >= 15

    for stored in results_on_v1:
        card = scoring.score(results.bank_input(stored))
        assert (card.overall, card.level, card.level_name) == (
            stored.overall,
            stored.level,
            stored.level_name,
        ), stored.pk
        assert {c.key: c.score for c in card.categories} == {
            c.key: c.score for c in stored.categories.all()
        }


def test_every_project_was_created_before_its_first_assessment(demo):
    for project in Project.objects.all():
        first = project.assessments.order_by("created").first()
        if first is not None:
            assert project.created < first.created, project.slug


# --- the demo tells the story (issue #18) --------------------------------------------------------


def test_no_two_assessments_of_a_project_share_a_title(demo):
    for project in Project.objects.all():
        titles = list(project.assessments.values_list("title", flat=True))
        assert len(titles) == len(set(titles)), (project.slug, titles)


def test_credit_limits_stays_stale_for_good_and_its_manager_sees_it(demo, client):
    project = Project.objects.get(slug="credit-limits")
    call_command("seed_demo")  # seeding again reassesses nothing

    last = project.assessments.filter(status="submitted").order_by("-submitted_at").first()
    assert (timezone.now() - last.submitted_at).days > project.cadence_days
    assert not project.assessments.exclude(status="submitted").exists()
    client.force_login(get_user_model().objects.get(username="dave"))
    rows = table_headed(
        client.get("/dashboard/", {"staleness": "stale"}).text, "Compare", "Project"
    )
    assert [(row[1], row[2]) for row in rows] == [("Credit limits", "Risk Models")]


def test_the_demo_has_a_gated_level_and_an_accepted_risk(demo):
    gated = latest_result("fraud-scoring")
    assert gated.method_version == 2
    assert gated.level < scoring.maturity_level(gated.overall)[0]
    assert Project.objects.get(slug="related-items").accepted_risks.count() == 1


def test_risk_models_answers_from_two_roles_and_its_results_compare_them(demo, client):
    roles = set(
        Membership.objects.filter(team__slug="risk-models").values_list(
            "user__profile__respondent_role", "role"
        )
    )
    assert roles == {
        ("data-scientist", "member"),
        ("ml-engineer", "manager"),
        ("ml-engineer", "member"),
    }
    result = latest_result("fraud-scoring")
    client.force_login(get_user_model().objects.get(username="carol"))

    html = client.get(reverse("assessment:results", args=[result.assessment_id])).text

    rows = table_headed(html, "Category", "Data scientist", "ML engineer")
    assert [row[0] for row in rows][:2] == ["Data", "Code"]
    data_scientists, ml_engineers = (float(cell.split()[0]) for cell in rows[0][1:3])
    assert data_scientists >= ml_engineers + 1  # they see their own data practices better
    assert "Data: Data scientist answers are" in squeeze(html)  # the gap worth a sentence
