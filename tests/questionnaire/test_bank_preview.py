"""The bank preview: a version's questionnaire as respondents will see it, for staff only."""

from django.urls import reverse

from banks.models import Level, Question
from tests.pages import squeeze


def test_staff_preview_shows_every_question_and_level(client_for, admin_user, shipped_banks):
    version = shipped_banks["ml-technical-debt"]
    questions = Question.objects.filter(version=version)

    html = squeeze(client_for(admin_user).get(version.get_preview_url()).text)

    for question in questions:
        assert f'<article class="question" id="question-{question.key}">' in html
    levels = Level.objects.filter(question__version=version).count()
    not_applicable = questions.filter(allow_na=True).count()
    dont_know = questions.count()  # every question may be answered "don't know"
    assert html.count('type="radio"') == levels + not_applicable + dont_know
    assert html.count('value="na"') == not_applicable > 0
    assert html.count('value="dont_know"') == dont_know
    assert "54 questions · " in html
    assert "Answers here are not saved." in html
    assert "/questions/" not in html and "hx-post" not in html  # nothing posts an answer


def test_the_preview_runs_six_queries(
    client_for, admin_user, shipped_banks, django_assert_num_queries
):
    version = shipped_banks["ml-technical-debt"]
    client = client_for(admin_user)
    url = version.get_preview_url()

    # session
    # user
    # the version with its bank
    # categories (prefetch)
    # questions (prefetch)
    # levels (prefetch)
    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.text.count('<article class="question"') == 54


def test_a_draft_can_be_previewed(client_for, admin_user, draft):
    html = client_for(admin_user).get(draft.get_preview_url()).text

    assert "Preview (Draft): this is what respondents will see." in html
    assert html.count('<article class="question"') == 3


def test_preview_is_staff_only(client_for, bob, shipped_banks):
    url = shipped_banks["ml-test-score"].get_preview_url()

    assert client_for(bob).get(url).status_code == 404


def test_preview_of_unknown_version_is_404(client_for, admin_user, shipped_banks):
    client = client_for(admin_user)

    assert client.get(reverse("assessment:bank_preview", args=["nope", 1])).status_code == 404
    url = reverse("assessment:bank_preview", args=["ml-test-score", 3])
    assert client.get(url).status_code == 404
