from django.urls import reverse

from banks.models import Question


def test_staff_preview_shows_every_question_and_level(
    client_for, admin_user, shipped_banks, django_assert_max_num_queries
):
    version = shipped_banks["ml-technical-debt"]
    client = client_for(admin_user)

    # session, user, version+bank, categories, questions, levels
    with django_assert_max_num_queries(6):
        response = client.get(version.get_preview_url())

    assert response.status_code == 200
    for question in Question.objects.filter(version=version):
        assert f'id="question-{question.key}"' in response.text
    assert (
        response.text.count('type="radio"') >= 5 * Question.objects.filter(version=version).count()
    )
    assert "Not applicable" in response.text


def test_preview_is_staff_only(client_for, bob, shipped_banks):
    url = shipped_banks["ml-test-score"].get_preview_url()

    assert client_for(bob).get(url).status_code == 404


def test_preview_of_unknown_version_is_404(client_for, admin_user, db):
    url = reverse("assessment:bank_preview", args=["nope", 3])

    assert client_for(admin_user).get(url).status_code == 404
