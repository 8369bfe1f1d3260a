"""Starting an assessment: the bank to use, its title, and carrying the previous answers over."""

from decimal import Decimal

from django.urls import reverse

from assessment import services
from assessment.models import Answer, Assessment
from banks import files
from banks import services as bank_services
from tests import factories
from tests.banks.bank_data import small_bank
from tests.pages import squeeze


def start_url(project) -> str:
    return reverse("assessment:assessment_start", args=[project.slug])


def test_the_form_offers_the_latest_published_version_of_each_bank(
    client_for, alice, project1, shipped_banks, published
):
    files.import_data(small_bank(version=2))  # a newer draft is not offered

    # The page's own form: the footer's language switcher has options too.
    html = squeeze(client_for(alice).get(start_url(project1)).text).split("<footer")[0]

    options = [
        f'<option value="{shipped_banks["ml-technical-debt-v3"].pk}" selected>ML technical debt (v3)</option>',
        f'<option value="{shipped_banks["ml-test-score"].pk}">ML Test Score (v1)</option>',
        f'<option value="{published.pk}">Tiny bank (v1)</option>',
    ]
    assert all(option in html for option in options)
    assert html.count("<option") == 3
    assert 'value="Query ranker assessment"' in html
    assert 'name="carry_over"' not in html  # nothing submitted yet to carry over


# session
# user
# project with team (access)
# latest published versions with their banks
# does the project have a submitted assessment (carry over)
# versions of the choice field with their banks (the widget's required check reads the first)
# versions of the choice field with their banks again (the options)
START_QUERIES = 7


def test_the_start_page_runs_seven_queries(
    client_for, alice, project1, published, django_assert_num_queries
):
    client = client_for(alice)

    with django_assert_num_queries(START_QUERIES):
        response = client.get(start_url(project1))

    assert f'<option value="{published.pk}" selected>Tiny bank (v1)</option>' in response.text


def test_the_start_page_runs_as_many_queries_for_three_banks_as_for_one(
    client_for, alice, project1, published, shipped_banks, django_assert_num_queries
):
    client = client_for(alice)

    with django_assert_num_queries(START_QUERIES):
        response = client.get(start_url(project1))

    assert response.text.split("<footer")[0].count("<option") == 3


def test_member_starts_an_assessment(client_for, alice, project1, published):
    response = client_for(alice).post(start_url(project1), {"version": published.pk, "title": "Q1"})

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == assessment.get_absolute_url()
    assert (assessment.project, assessment.version, assessment.started_by) == (
        project1,
        published,
        alice,
    )
    assert (assessment.title, assessment.status, assessment.carried_from) == (
        "Q1",
        "in_progress",
        None,
    )
    assert not Answer.objects.exists()


def test_starting_runs_nine_queries(
    client_for, alice, project1, published, django_assert_num_queries
):
    client = client_for(alice)

    # session
    # user
    # project with team (access)
    # latest published versions with their banks
    # does the project have a submitted assessment (carry over)
    # the chosen version, among the offered ones (form validation)
    # savepoint
    # insert the assessment
    # release savepoint
    with django_assert_num_queries(9):
        response = client.post(start_url(project1), {"version": published.pk, "title": "Q1"})

    assert response["Location"] == Assessment.objects.get().get_absolute_url()


def test_start_refuses_a_draft_version(client_for, alice, project1, published, draft):
    draft = files.import_data(small_bank(slug="other", name="Other bank"))

    response = client_for(alice).post(start_url(project1), {"version": draft.pk, "title": "Q1"})

    assert response.status_code == 200
    assert (
        '<p class="error" id="id_version_error">Select a valid choice. '
        "That choice is not one of the available choices.</p>"
    ) in response.text
    assert not Assessment.objects.exists()


def test_start_refuses_an_older_published_version(client_for, alice, project1, published):
    newer = bank_services.publish_version(version=bank_services.new_draft_from(version=published))

    refused = client_for(alice).post(start_url(project1), {"version": published.pk, "title": "x"})
    started = client_for(alice).post(start_url(project1), {"version": newer.pk, "title": "x"})

    assert refused.status_code == 200
    assert started.status_code == 302
    assert Assessment.objects.get().version == newer


def test_start_needs_a_title(client_for, alice, project1, published):
    response = client_for(alice).post(start_url(project1), {"version": published.pk, "title": ""})

    assert '<p class="error" id="id_title_error">This field is required.</p>' in response.text
    assert not Assessment.objects.exists()


def test_start_is_404_for_another_team(client_for, carol, project1, published):
    client = client_for(carol)

    assert client.get(start_url(project1)).status_code == 404
    assert (
        client.post(start_url(project1), {"version": published.pk, "title": "x"}).status_code == 404
    )
    assert not Assessment.objects.exists()


def test_carry_over_is_offered_and_ticked_once_an_assessment_is_submitted(
    client_for, bob, submitted
):
    html = client_for(bob).get(start_url(submitted.project)).text

    assert (
        '<input type="checkbox" name="carry_over" aria-describedby="id_carry_over_helptext"'
        ' id="id_carry_over" checked>'
    ) in html


def test_reassessment_carries_team_answers_and_evidence_over(client, alice, bob, assessment):
    factories.answer(
        assessment,
        alice,
        {"data-a": 2, "data-b": 2, "code-a": 2},
        notes={"data-a": "Schema in repo."},
        links={"data-a": "https://x.example/schema"},
    )
    factories.answer(assessment, bob, {"data-a": 1}, notes={"data-a": "Only partly."})
    services.submit_assessment(assessment=assessment, by=bob)
    client.force_login(bob)

    response = client.post(
        start_url(assessment.project),
        {"version": assessment.version.pk, "title": "Q4", "carry_over": "on"},
    )

    again = Assessment.objects.get(title="Q4")
    assert response["Location"] == again.get_absolute_url()
    assert again.carried_from == assessment
    carried = {a.question.key: a for a in again.answers.select_related("question")}
    assert set(carried) == {"data-a", "data-b", "code-a"}
    assert carried["data-a"].level_value == Decimal(1)  # median of 2 and 1: the lower middle
    assert carried["data-a"].notes == "Schema in repo.\n\nOnly partly."
    assert carried["data-a"].link_list == ["https://x.example/schema"]
    assert all(a.carried_over and a.respondent == bob for a in carried.values())


def test_unticking_carry_over_starts_empty(client_for, bob, submitted):
    response = client_for(bob).post(
        start_url(submitted.project), {"version": submitted.version.pk, "title": "Fresh"}
    )

    fresh = Assessment.objects.get(title="Fresh")
    assert response["Location"] == fresh.get_absolute_url()
    assert fresh.carried_from is None
    assert not fresh.answers.exists()


def test_starting_with_carry_over_runs_seventeen_queries(
    client_for, bob, submitted, django_assert_num_queries
):
    client = client_for(bob)
    url = start_url(submitted.project)
    data = {"version": submitted.version.pk, "title": "Q4", "carry_over": "on"}

    # session
    # user
    # project with team (access)
    # latest published versions with their banks
    # does the project have a submitted assessment (carry over)
    # the chosen version, among the offered ones (form validation)
    # savepoint
    # the previous submitted assessment with its version
    # insert the assessment
    # the previous answers with questions and respondents
    # the previous settlements with questions
    # the questions of the new assessment's version
    # is the new assessment submitted (the answers' guard on bulk_create)
    # insert the carried answers
    # the previous answers' evidence (none here, so nothing to insert)
    # insert their team answers (to confirm)
    # release savepoint
    with django_assert_num_queries(17):
        client.post(url, data)

    assert Assessment.objects.get(title="Q4").answers.count() == 3
