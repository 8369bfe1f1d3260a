"""The portfolio's kept rows (each project's latest result per bank, and each team's counts of
scores and gaps) always agree with the stored results, whatever was submitted, moved or deleted;
and percentiles read from the counts agree with ranking every project."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import services
from assessment.dashboard.queries import Histogram
from assessment.models import (
    Answer,
    Assessment,
    AssessmentResult,
    LatestResult,
    TeamGapCount,
    TeamScoreCount,
)
from banks import files
from banks import services as bank_services
from projects.models import Project
from tests import factories
from tests.banks.bank_data import small_bank


def kept() -> tuple[dict, Counter, Counter]:
    """The rows as plain values: {(project, bank): (team, result, overall, scores, gaps)}, and
    the counts (zero counts left out)."""
    latest = {
        (row.project_id, row.bank_id): (
            row.team_id,
            row.result_id,
            row.overall,
            {k: None if v is None else Decimal(v) for k, v in row.scores.items()},
            set(row.gaps),
        )
        for row in LatestResult.objects.all()
    }
    scores = Counter(
        {
            (c.team_id, c.bank_id, c.column, c.score): c.projects
            for c in TeamScoreCount.objects.filter(projects__gt=0)
        }
    )
    gaps = Counter(
        {
            (c.team_id, c.bank_id, c.question_key): c.projects
            for c in TeamGapCount.objects.filter(projects__gt=0)
        }
    )
    return latest, scores, gaps


def recomputed() -> tuple[dict, Counter, Counter]:
    """The same, from every stored result: the newest per project and bank, counted per team."""
    newest = {}
    for result in AssessmentResult.objects.select_related(
        "assessment__project", "version"
    ).order_by("assessment__submitted_at", "pk"):
        newest[result.assessment.project_id, result.version.bank_id] = result
    latest, scores, gaps = {}, Counter(), Counter()
    for (project_id, bank_id), result in newest.items():
        team_id = result.assessment.project.team_id
        categories = dict(result.categories.values_list("key", "score"))
        missing = {
            q.question_key
            for q in result.questions.all()
            if not q.not_applicable and (q.value is None or q.value <= 1)
        }
        latest[project_id, bank_id] = (team_id, result.pk, result.overall, categories, missing)
        columns = {"": result.overall, **categories}
        scores.update((team_id, bank_id, c, s) for c, s in columns.items() if s is not None)
        gaps.update((team_id, bank_id, key) for key in missing)
    return latest, scores, gaps


@pytest.fixture
def other_bank(db):
    return bank_services.publish_version(
        version=files.import_data(small_bank(slug="other", name="Other bank"))
    )


def test_each_submit_makes_its_result_the_latest_of_its_project_on_its_bank(
    team1, bob, published, other_bank
):
    first, second = factories.make_project(team1), factories.make_project(team1)
    old = factories.make_result(first, published, bob, {"data-a": 2, "data-b": 2, "code-a": 2})
    elsewhere = factories.make_result(first, other_bank, bob, {"data-a": 1})
    new = factories.make_result(first, published, bob, {"data-a": 1, "data-b": 2})
    factories.make_result(second, published, bob, {"code-a": 2})

    latest, scores, gaps = kept()

    assert (latest, scores, gaps) == recomputed()
    assert latest[first.pk, published.bank_id][1] == new.pk != old.pk
    assert latest[first.pk, other_bank.bank_id][1] == elsewhere.pk
    # data-a at 1 and code-a unanswered (counted 0) are gaps; data-b at 2 is not.
    assert latest[first.pk, published.bank_id][3:] == (
        {"data": Decimal("75.0"), "code": Decimal("0.0")},
        {"data-a", "code-a"},
    )
    # The replaced result's counts were given back: one project per column, not two.
    assert scores[team1.pk, published.bank_id, "data", Decimal("100.0")] == 0
    assert scores[team1.pk, published.bank_id, "data", Decimal("75.0")] == 1


@pytest.mark.django_db(transaction=True)
def test_submits_at_once_in_one_team_lose_no_count(team1, bob, published):
    # Six projects of one team submit at the same moment, four for the first time and two
    # replacing an earlier result: every count change lands (on PostgreSQL the team's row lock
    # orders them; SQLite lets one writer in at a time).
    projects = [factories.make_project(team1) for _ in range(6)]
    for project in projects[:2]:
        factories.make_result(project, published, bob, {"data-a": 1})
    assessments = []
    for i, project in enumerate(projects):
        assessment = services.start_assessment(
            project=project, version=published, started_by=bob, title="At once"
        )
        factories.answer(assessment, bob, {"data-a": i % 3, "data-b": 2, "code-a": (i + 1) % 3})
        assessments.append(assessment.pk)
    start = threading.Barrier(len(assessments))

    def submit(assessment_id: int) -> None:
        try:
            start.wait()
            services.submit_assessment(
                assessment=Assessment.objects.get(pk=assessment_id), by=bob, allow_open_items=True
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(assessments)) as pool:
        list(pool.map(submit, assessments))

    latest, scores, gaps = kept()
    assert (latest, scores, gaps) == recomputed()
    assert sum(n for (_, _, column, _), n in scores.items() if column == "") == 6
    assert gaps[team1.pk, published.bank_id, "data-a"] == 4  # projects 0, 1, 3, 4 at 0 or 1


def test_a_not_applicable_answer_is_no_gap(project1, alice, bob, published):
    assessment = services.start_assessment(
        project=project1, version=published, started_by=alice, title="Q"
    )
    factories.answer(assessment, alice, {"data-a": 2, "code-a": 2})
    Answer.objects.create(
        assessment=assessment,
        question=published.questions.get(key="data-b"),
        respondent=alice,
        not_applicable=True,
        na_reason=Answer.NotApplicableReason.choices[0][0],
    )
    services.refresh_team_answers(assessment=assessment)
    services.submit_assessment(assessment=assessment, by=bob)

    assert kept()[0][project1.pk, published.bank_id][4] == set()
    assert kept() == recomputed()


def test_a_project_moved_to_another_team_takes_its_counts_along(
    team1, team2, bob, small_portfolio, django_assert_num_queries
):
    strong = small_portfolio["strong"]
    unassessed = Project.objects.get(name="Unassessed model")

    strong.team = team2
    strong.save()
    # Saved in the team it was read with: nothing to move, no query beyond the update.
    with django_assert_num_queries(1):
        unassessed.save()

    latest, scores, gaps = kept()
    assert (latest, scores, gaps) == recomputed()
    assert {team for (team, *_rest) in latest.values()} == {team1.pk, team2.pk}
    assert latest[strong.pk, strong.latest_results.get().bank_id][0] == team2.pk


def test_a_latest_result_deleted_gives_its_counts_back(small_portfolio):
    # Projects with assessments cannot be deleted; a bank can go, or a result with its rows.
    LatestResult.objects.filter(project=small_portfolio["weak"]).delete()

    latest, scores, gaps = kept()
    assert sum(scores.values()) == 2 * 3  # two projects' overall, data and code
    assert (small_portfolio["weak"].pk, small_portfolio["weak"].team_id) not in latest


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=st.lists(
        st.one_of(
            st.tuples(
                st.just("submit"),
                st.integers(0, 2),
                st.booleans(),
                st.fixed_dictionaries(
                    {},
                    optional={k: st.integers(0, 2) for k in ("data-a", "data-b", "code-a")},
                ),
            ),
            st.tuples(st.just("move"), st.integers(0, 2), st.booleans()),
        ),
        max_size=6,
    )
)
def test_the_kept_rows_always_equal_the_stored_results(
    team1, team2, bob, published, other_bank, operations
):
    projects = [factories.make_project(team1) for _ in range(3)]
    for operation, n, *rest in operations:
        project = Project.objects.get(pk=projects[n].pk)
        if operation == "submit":
            on_other, levels = rest
            factories.make_result(project, other_bank if on_other else published, bob, levels)
        else:
            project.team = team2 if rest[0] else team1
            project.save()

    assert kept() == recomputed()


def reference_percentile(scores: list[Decimal], score: Decimal) -> int:
    """Rank the portfolio: the share of scores below, ties counting half, rounded half to even."""
    below = sum(1 for s in scores if s < score)
    at = sum(1 for s in scores if s == score)
    return round(Fraction(100 * (2 * below + at), 2 * len(scores)))


one_score = st.integers(min_value=0, max_value=1000).map(lambda n: Decimal(n).scaleb(-1))


@given(st.lists(one_score, min_size=1, max_size=60), one_score)
def test_a_histogram_gives_the_percentile_of_ranking_every_project(portfolio, other):
    histogram = Histogram(sorted(Counter(portfolio).items()))

    for score in [*portfolio, other]:
        assert histogram.percentile(score) == reference_percentile(portfolio, score)
    assert sum(histogram.levels()) == len(portfolio)
    assert Histogram([]).percentile(other) is None
