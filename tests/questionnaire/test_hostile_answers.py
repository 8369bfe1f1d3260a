"""Bad input to the answer endpoint: a clear 4xx, and the saved answer untouched."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import services
from assessment.models import Answer, AnswerChange


@pytest.fixture
def saved(assessment, alice):
    """alice's saved answer to data-a: level 2 with notes and a link."""
    question = assessment.version.questions.get(key="data-a")
    services.record_answer(
        assessment=assessment,
        question_id=question.pk,
        respondent=alice,
        answer=services.AnswerInput(
            value=Decimal(2), notes="Versioned in DVC.", links="https://example.com/dvc"
        ),
    )
    return Answer.objects.get(assessment=assessment, respondent=alice, question=question)


def answer_state(answer: Answer) -> tuple:
    answer.refresh_from_db()
    return (answer.level_value, answer.not_applicable, answer.notes, answer.links)


def url(assessment) -> str:
    return reverse("assessment:save_answer", args=[assessment.pk, "data-a"])


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"choice": ""}', "application/json"),
        ("choice=", "text/plain"),
        ("<answer><choice/></answer>", "application/xml"),
        ("", ""),
    ],
)
def test_a_body_that_is_not_a_form_is_refused_and_erases_nothing(
    client_for, alice, assessment, saved, body, content_type
):
    before = answer_state(saved)

    response = client_for(alice).generic("POST", url(assessment), body, content_type=content_type)

    assert response.status_code == 415
    assert "takes a web form" in response.text and "Nothing was saved." in response.text
    assert answer_state(saved) == before
    assert AnswerChange.objects.count() == 1  # the first save only


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "x-unknown"])
def test_a_form_in_another_charset_is_refused_with_400(
    client_for, alice, assessment, saved, charset
):
    before = answer_state(saved)

    response = client_for(alice).generic(
        "POST",
        url(assessment),
        b"choice=0&notes=&links=",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )

    assert response.status_code == 400
    assert f"not “{charset}”" in response.text
    assert answer_state(saved) == before


def test_a_form_without_the_answer_fields_is_a_400_not_a_clear(
    client_for, alice, assessment, saved
):
    before = answer_state(saved)

    response = client_for(alice).post(url(assessment), {}, headers={"HX-Request": "true"})

    assert response.status_code == 400
    assert 'id="status-data-a"' in response.text
    assert "the form sent no choice, notes, links" in response.text
    assert answer_state(saved) == before


def test_notes_saved_without_a_level_keep_the_saved_level(client_for, alice, assessment, saved):
    response = client_for(alice).post(
        url(assessment),
        {"choice": "", "notes": "Also tagged in git.", "links": ""},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert answer_state(saved) == (Decimal(2), False, "Also tagged in git.", "")


@pytest.mark.parametrize("choice", ["sNaN", "NaN", "-Infinity", "Infinity", "1e999", "3", "-1"])
def test_a_level_outside_the_scale_is_422_with_the_answer_kept(
    client_for, alice, assessment, saved, choice
):
    before = answer_state(saved)

    response = client_for(alice).post(
        url(assessment),
        {"choice": choice, "notes": "", "links": ""},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert "not one of this question" in response.text
    assert answer_state(saved) == before


@pytest.mark.parametrize("choice", ["sNaN", "NaN", "Infinity"])
def test_settling_on_a_non_number_is_refused(client_for, bob, assessment, choice):
    response = client_for(bob).post(
        reverse("assessment:settle", args=[assessment.pk, "data-a"]), {"choice": choice}
    )

    assert response.status_code == 302
    assert not assessment.settlements.exists()


def test_a_save_after_the_submit_is_409_naming_who_submitted(
    client_for, alice, bob, assessment, saved
):
    services.submit_assessment(assessment=assessment, by=bob, allow_open_items=True)
    before = answer_state(saved)

    htmx = client_for(alice).post(
        url(assessment),
        {"choice": "0", "notes": "Late", "links": ""},
        headers={"HX-Request": "true"},
    )
    plain = client_for(alice).post(url(assessment), {"choice": "0", "notes": "Late", "links": ""})

    assert htmx.status_code == 409
    assert 'id="status-data-a"' in htmx.text and "bob submitted this assessment" in htmx.text
    assert plain.status_code == 409
    assert "bob submitted this assessment" in plain.text
    assert "Late" in plain.text  # what was sent is shown back, to copy
    assert answer_state(saved) == before


def test_comments_and_settlements_after_the_submit_are_409(client_for, bob, assessment):
    services.submit_assessment(assessment=assessment, by=bob, allow_open_items=True)
    client = client_for(bob)

    comment = client.post(
        reverse("assessment:add_comment", args=[assessment.pk, "data-a"]), {"text": "Late"}
    )
    settle = client.post(
        reverse("assessment:settle", args=[assessment.pk, "data-a"]), {"choice": "1"}
    )
    again = client.post(reverse("assessment:submit", args=[assessment.pk]))

    assert (comment.status_code, settle.status_code, again.status_code) == (409, 409, 409)
    assert not assessment.comments.exists() and not assessment.settlements.exists()
