"""Scores where people look (issue #18): the home and project pages show each project's level,
score, a small trend of its last scores, when it was last assessed and when it is due; the
project page's submitted assessments carry their scores."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from banks import files
from banks import services as bank_services
from tests import factories
from tests.banks.bank_data import small_bank
from tests.pages import squeeze


@pytest.fixture
def default_bank(db):
    """A small bank under the default bank's slug: the one standings read."""
    return bank_services.publish_version(
        version=files.import_data(small_bank(slug="ml-technical-debt", name="ML technical debt"))
    )


@pytest.fixture
def assessed(default_bank, project1, bob):
    """Three results, 100, 60 and 30 days ago, scoring 0, 50 and 100."""
    now = timezone.now()
    for days, level in ((100, 0), (60, 1), (30, 2)):
        with time_machine.travel(now - timedelta(days=days), tick=False):
            factories.make_result(
                project1, default_bank, bob, {"data-a": level, "data-b": level, "code-a": level}
            )
    return project1


def test_home_shows_score_level_trend_last_assessed_and_next_due(client_for, alice, assessed):
    html = squeeze(client_for(alice).get("/").text)

    card = html.split(f'href="/projects/{assessed.slug}/"')[1].split("</li>")[0]
    assert "<strong>100.0</strong>" in card
    assert 'points="2.0,18.0 40.0,10.0 78.0,2.0"' in card  # oldest first, on 0–100
    assert "Last scores, oldest first: 0.0, 50.0, 100.0" in card
    last = (timezone.now() - timedelta(days=30)).date()
    due = last + timedelta(days=90)
    assert f"Last assessed {last:%-d %b %Y}" in card
    assert f"next due {due:%-d %b %Y}" in card


def test_a_project_never_assessed_says_so_and_is_due_a_cadence_after_creation(
    client_for, alice, team1, default_bank
):
    with time_machine.travel(timezone.now() - timedelta(days=100), tick=False):
        factories.make_project(team1, "Old idea")

    html = squeeze(client_for(alice).get("/").text)

    card = html.split("Old idea")[1].split("</li>")[0]
    assert "Not assessed yet" in card
    assert "reassessment due since" in card


def test_the_project_page_shows_the_standing_and_each_submitted_assessments_score(
    client_for, alice, assessed
):
    html = squeeze(
        client_for(alice).get(reverse("projects:project_detail", args=[assessed.slug])).text
    )

    assert "<strong>100.0</strong>" in html
    assert html.count("· score ") == 3
    assert "score 50.0" in html and "score 0.0" in html


def test_the_home_page_names_the_role_in_the_pages_language(client_for, alice, project1):
    client = client_for(alice)
    client.post(reverse("set_language"), {"language": "de"})

    assert '<span class="badge">Mitglied</span>' in client.get("/").text
