"""Comparisons stay within one bank: deltas, "change since", trends and tracked-action verdicts never
set one bank's results against another's."""

import pytest
from django.urls import reverse

from assessment.models import TrackedAction
from banks import files
from banks import services as bank_services
from tests import factories
from tests.banks.bank_data import small_bank


@pytest.fixture
def other_bank(db):
    """A second bank whose questions share no key with the small one but one (code-a)."""
    data = small_bank(slug="other", name="Other bank")
    data["categories"][0]["questions"][0]["key"] = "data-x"
    data["categories"][0]["questions"][1]["key"] = "data-y"
    data["categories"][0]["questions"][1]["prerequisites"] = ["data-x"]
    return bank_services.publish_version(version=files.import_data(data))


@pytest.fixture
def two_banks(project1, published, other_bank, bob):
    """project1 assessed on the small bank, then on the other bank."""
    first = factories.make_result(project1, published, bob, {"data-a": 1}, title="Debt review")
    done = TrackedAction.Status.DONE
    factories.make_tracked_action(
        project1, first.assessment, title="Version the data", from_value=1, to_value=2, status=done
    )
    factories.make_tracked_action(
        project1, first.assessment, "code-a", title="Test the code", from_value=0, status=done
    )
    second = factories.make_result(project1, other_bank, bob, {"code-a": 0}, title="Other review")
    return first, second


def test_results_on_a_second_bank_say_first_assessment_on_this_bank(client_for, alice, two_banks):
    _first, second = two_banks

    html = client_for(alice).get(reverse("assessment:results", args=[second.assessment.pk])).text

    assert "first assessment on this bank" in html
    assert "Change since" not in html
    assert "since the previous assessment" not in html


def test_tracked_actions_of_another_bank_get_no_verdict(client_for, alice, two_banks):
    _first, second = two_banks

    html = client_for(alice).get(reverse("assessment:results", args=[second.assessment.pk])).text

    assert "Done but not improved" not in html
    assert "Version the data" not in html and "Test the code" not in html


def test_a_tracked_question_missing_from_the_next_version_is_not_checked(
    client_for, alice, bob, project1, published
):
    first = factories.make_result(project1, published, bob, {"data-a": 1}, title="First")
    factories.make_tracked_action(
        project1,
        first.assessment,
        "gone-from-v2",
        category_key="data",
        title="A question the next version dropped",
        from_value=1,
        to_value=2,
        status=TrackedAction.Status.DONE,
    )
    second = factories.make_result(project1, published, bob, {"data-a": 1}, title="Second")

    html = client_for(alice).get(reverse("assessment:results", args=[second.assessment.pk])).text

    assert "Not checked — question not in this assessment" in html
    assert "Done but not improved" not in html


def test_history_shows_one_bank_at_a_time(client_for, alice, project1, two_banks):
    client = client_for(alice)
    url = reverse("assessment:history", args=[project1.slug])

    latest = client.get(url).text
    small = client.get(url, {"bank": "tiny"}).text

    assert "Other review" in latest and "Debt review" not in latest
    assert "Debt review" in small and "Other review" not in small
    assert 'href="?bank=tiny"' in latest and 'href="?bank=other"' in latest


def test_two_assessments_on_different_banks_are_not_compared(client_for, alice, two_banks):
    first, second = two_banks
    project = first.assessment.project

    response = client_for(alice).get(
        reverse("assessment:compare", args=[project.slug]),
        {"a": first.assessment_id, "b": second.assessment_id},
    )

    assert response.status_code == 200
    assert "different question banks" in response.text
    assert 'class="up"' not in response.text and 'class="down"' not in response.text
