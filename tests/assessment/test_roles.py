"""Respondents' roles compared (issue #17): per category, the mean level of each role with at
least two respondents, the widest gaps as sentences, and nothing that singles one person out."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import roles, services
from projects.models import Profile
from tests import factories

LABELS = {"data-scientist": "Data scientists", "platform": "Platform engineers", "other": "Other"}
CATEGORIES = [("data", "Data"), ("ops", "Operations")]


def compare(per_role, cells, unstated=0):
    return roles.compare(
        respondents_per_role=per_role,
        cells=cells,
        categories=CATEGORIES,
        labels=LABELS,
        unstated=unstated,
    )


def test_two_roles_of_two_are_compared_and_the_wide_gap_is_said():
    comparison = compare(
        {"data-scientist": 2, "platform": 3},
        [
            ("data", "data-scientist", 2.0, 2),
            ("data", "platform", 2.5, 3),
            ("ops", "data-scientist", 1.0, 2),
            ("ops", "platform", 3.0, 3),
        ],
    )

    assert comparison.shown
    assert comparison.roles == [
        ("data-scientist", "Data scientists"),
        ("platform", "Platform engineers"),
    ]
    assert comparison.rows[1] == (
        "Operations",
        [roles.Cell(Decimal("1.0"), 2), roles.Cell(Decimal("3.0"), 3)],
    )
    assert comparison.gaps == [
        roles.Gap("Operations", "Platform engineers", "Data scientists", Decimal("2.0"))
    ]


@pytest.mark.parametrize(
    ("per_role", "cells", "shown", "not_shown"),
    [
        # One data scientist: their answers would be theirs alone.
        ({"data-scientist": 1, "platform": 2}, [("data", "platform", 2, 2)], False, 1),
        # Three roles, one of them alone: the other two are compared, the one is left out.
        (
            {"data-scientist": 2, "platform": 2, "other": 1},
            [("data", "data-scientist", 1, 2), ("data", "platform", 2, 2), ("data", "other", 4, 1)],
            True,
            1,
        ),
    ],
)
def test_a_role_with_fewer_than_two_respondents_is_left_out(per_role, cells, shown, not_shown):
    comparison = compare(per_role, cells, unstated=0)

    assert comparison.shown is shown
    assert "other" not in dict(comparison.roles)
    assert comparison.not_shown == not_shown


def test_a_category_only_one_of_a_role_answered_shows_no_cell():
    comparison = compare(
        {"data-scientist": 2, "platform": 2},
        [("data", "data-scientist", 1, 1), ("data", "platform", 3, 2)],
    )

    assert comparison.rows[0] == ("Data", [None, roles.Cell(Decimal("3.0"), 2)])
    assert comparison.gaps == []  # one cell is no comparison


@pytest.fixture
def team_with_roles(published, project1, team1, alice, bob):
    """Two data scientists (alice, dan) answer data-a at 0; two platform engineers (bob, eve)
    at 2; fay states no role."""
    dan, eve, fay = (factories.make_user(n) for n in ("dan", "eve", "fay"))
    for user in (dan, eve, fay):
        factories.add_member(team1, user)
    for user, role in (
        (alice, "data-scientist"),
        (dan, "data-scientist"),
        (bob, "platform"),
        (eve, "platform"),
    ):
        Profile.objects.update_or_create(user=user, defaults={"respondent_role": role})
    assessment = services.start_assessment(
        project=project1, version=published, started_by=bob, title="Q4"
    )
    for user, level in ((alice, 0), (dan, 0), (bob, 2), (eve, 2), (fay, 1)):
        factories.answer(assessment, user, {"data-a": level, "data-b": 1, "code-a": 1})
    return assessment


def test_the_discussion_page_says_which_role_rates_higher(client_for, alice, team_with_roles):
    response = client_for(alice).get(reverse("assessment:discuss", args=[team_with_roles.pk]))

    comparison = response.context["page"].roles
    assert [row[0] for row in comparison.rows] == ["Data", "Code"]
    assert comparison.rows[0][1] == [roles.Cell(Decimal("0.5"), 2), roles.Cell(Decimal("1.5"), 2)]
    assert (
        "Data: Platform engineer or SRE answers are 1.0 levels above Data scientist answers, "
        "on average."
    ) in response.text
    assert comparison.not_shown == 1  # fay


def test_the_results_page_compares_the_roles_too(client_for, bob, team_with_roles):
    services.submit_assessment(assessment=team_with_roles, by=bob, allow_open_items=True)

    response = client_for(bob).get(reverse("assessment:results", args=[team_with_roles.pk]))

    assert response.context["page"].roles.gaps[0].higher == "Platform engineer or SRE"
    assert 'id="role-levels"' in response.text
