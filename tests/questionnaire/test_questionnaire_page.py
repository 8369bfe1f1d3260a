"""The questionnaire page: every question with the user's answer, the team's, progress and access."""

import re

import pytest
from django.urls import reverse

from assessment import services
from tests import factories
from tests.factories import post_answer
from tests.pages import HTMX, checked_choices, squeeze, table_headed


@pytest.fixture
def big(alice, bob, shipped_banks, project1):
    """An assessment of the 54-question default bank: alice answered three, bob one of them."""
    assessment = services.start_assessment(
        project=project1, version=shipped_banks["ml-technical-debt"], started_by=alice, title="Big"
    )
    factories.answer(
        assessment,
        alice,
        {"data-schema": 3, "data-versioning": 3, "code-tests": 3},
        notes={"data-schema": "evidence"},
    )
    factories.answer(assessment, bob, {"data-schema": 0})
    services.add_comment(
        assessment=assessment,
        question_id=assessment.version.questions.get(key="data-schema").pk,
        author=bob,
        text="Where is the schema?",
    )
    return assessment


QUESTIONNAIRE_QUERIES = 14


def test_questionnaire_page_runs_fourteen_queries_for_54_questions(
    client_for, alice, big, django_assert_num_queries
):
    client = client_for(alice)

    # session
    # user
    # assessment with project, team, version, bank and submitter (access)
    # categories
    # questions (prefetch)
    # the user's own answers
    # progress per category from the team answers (the navigation)
    # how many respondents
    # the shown category's levels
    # the shown category's answers as counts per question and level
    # its comments as counts per question
    # its settlements with who settled
    # its evidence as counts per question: pieces, stale, the oldest confirmation
    # its open scan suggestions with their scans
    with django_assert_num_queries(QUESTIONNAIRE_QUERIES):
        response = client.get(big.get_absolute_url())

    html = squeeze(response.text)
    # One category a page: the first where alice has a question left (data); all six in the nav.
    data = big.version.questions.filter(category__key="data").count()
    assert html.count('<article class="question') == data < 54
    assert html.count("?category=") == 6 + 1  # the navigation, and "next"
    assert f'<a href="/assessments/{big.pk}/?category=data" aria-current="page">' in html
    assert html.count('<article class="question needs-discussion"') == 1
    assert "3 of 54 questions answered" in html
    assert "2 respondents" in html
    assert "Where is the schema?" not in html  # comments load with the team panel
    # answered by two, one comment (the count has its own id: a new comment updates it)
    assert '<span class="count">2 · <span id="comment-count-data-schema">1</span></span>' in html


def test_questionnaire_page_runs_fourteen_queries_for_3_questions(
    client_for, alice, assessment, django_assert_num_queries
):
    client = client_for(alice)

    # the same fourteen queries as for 54 questions: none per question
    with django_assert_num_queries(QUESTIONNAIRE_QUERIES):
        response = client.get(assessment.get_absolute_url())

    assert response.text.count('<article class="question') == 2  # data-a, data-b
    assert "0 of 3 questions answered" in response.text  # progress over every category
    with django_assert_num_queries(QUESTIONNAIRE_QUERIES):
        code = client.get(assessment.get_absolute_url(), {"category": "code"}).text
    assert 'id="question-code-a"' in code and code.count('<article class="question') == 1


def test_the_page_shows_the_category_asked_for_or_of_the_question_or_the_first_left(
    client_for, alice, assessment
):
    client = client_for(alice)
    url = assessment.get_absolute_url()

    def shown(**query) -> list[str]:
        return list(checked_choices(client.get(url, query).text))

    assert shown() == ["data-a", "data-b"]
    assert shown(category="code") == ["code-a"]
    assert shown(question="code-a") == ["code-a"]
    assert shown(category="no-such-thing") == ["data-a", "data-b"]  # unknown: the default
    factories.answer(assessment, alice, {"data-a": 1, "data-b": 2})
    assert shown() == ["code-a"]  # data is done: the first category with a question left


def test_questionnaire_keeps_every_answer_on_reload(client_for, alice, assessment):
    client = client_for(alice)
    post_answer(client, assessment, "data-a", "2", notes="Dashboards exist.")
    post_answer(client, assessment, "data-b", "na", na_reason="other_team")

    html = client.get(assessment.get_absolute_url(), {"category": "data"}).text

    assert checked_choices(html)["data-a"] == ["2"]
    assert checked_choices(html)["data-b"] == ["na"]
    assert '<option value="other_team" selected>' in html
    assert html.count(" checked") == 2  # nothing else is ticked
    assert ">Dashboards exist.</textarea>" in html
    assert "2 questions in scope" in html


def test_the_user_sees_the_team_as_counts_and_the_disagreement(client, alice, bob, assessment):
    factories.answer(assessment, alice, {"data-a": 0}, notes={"data-a": "No schema."})
    factories.answer(assessment, bob, {"data-a": 2})
    client.force_login(alice)

    page = client.get(assessment.get_absolute_url()).text
    html = squeeze(page)

    assert '<article class="question needs-discussion" id="question-data-a">' in html
    assert '<article class="question" id="question-data-b">' in html
    assert (
        '<span class="badge bad">Discuss</span> Team: level 0 <span class="muted">(0 × 1, 2 × 1)</span>'
        in html
    )
    assert "bob" not in page.split("<main")[1]  # names load with the team panel, not the page
    assert checked_choices(html)["data-a"] == ["0"]  # alice's own
    assert "1 to discuss</a>" in html


def test_the_team_panel_shows_everyones_answers_and_the_comments(client, alice, bob, assessment):
    factories.answer(assessment, alice, {"data-a": 0}, notes={"data-a": "No schema."})
    factories.answer(assessment, bob, {"data-a": 2})
    client.force_login(alice)
    url = reverse("assessment:question_team", args=[assessment.pk, "data-a"])

    page = client.get(assessment.get_absolute_url()).text
    panel = client.get(url, headers=HTMX).text
    full = client.get(url).text

    # questionnaire.js makes the panel load the link in place when opened.
    assert (
        f'<details class="team-panel" data-load><summary>Why it matters, team answers and comments <span class="count">2 · <span id="comment-count-data-a">0</span></span></summary><div><a href="{url}">'
        in page
    )
    assert table_headed(panel, "Respondent", "Answer") == [
        ["alice", "0 · L0", "No schema."],
        ["bob", "2 · L2", ""],
    ]
    assert "<html" not in panel and 'id="comments-data-a"' in panel
    assert "How is data-a handled?" in full and 'id="comments-data-a"' in full


def test_why_a_question_matters_loads_with_the_team_panel(client_for, alice, assessment):
    client = client_for(alice)
    url = reverse("assessment:question_team", args=[assessment.pk, "data-a"])

    page = client.get(assessment.get_absolute_url()).text
    panel = client.get(url, headers=HTMX).text
    full = client.get(url).text

    assert "Because it matters." not in page  # the card carries a link, not the text
    assert squeeze(panel).startswith(
        '<div class="why"> <p>Because it matters.</p> <ul class="references"><li>Sculley et al.'
        " 2015, §5</li></ul> </div>"
    )
    assert "How is data-a handled?" in full and "Because it matters." in full


def test_the_page_is_the_same_size_and_cost_for_2_and_30_respondents(
    client, alice, team1, project1, published, django_assert_num_queries
):
    pages = {}
    for size in (2, 30):
        assessment = services.start_assessment(
            project=project1, version=published, started_by=alice, title="Sized"
        )
        for n in range(size):
            user = factories.make_user()
            factories.add_member(team1, user)
            factories.answer(
                assessment,
                user,
                {"data-a": n % 2 * 2, "data-b": 1, "code-a": 2},
                notes={"data-a": "x"},
            )
        client.force_login(alice)
        with django_assert_num_queries(QUESTIONNAIRE_QUERIES):
            pages[size] = client.get(assessment.get_absolute_url()).text

    # What differs is counts, ids and the CSRF token; with those masked the pages are the same.
    def masked(html: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html))

    assert masked(pages[2]) == masked(pages[30])
    assert abs(len(pages[30]) - len(pages[2])) < 20
    assert "(0 × 15, 2 × 15)" in pages[30]


def test_carried_answers_are_marked_until_confirmed(client_for, bob, carried_over):
    client = client_for(bob)
    html = squeeze(client.get(carried_over.get_absolute_url()).text)
    html += squeeze(client.get(carried_over.get_absolute_url(), {"category": "code"}).text)

    assert html.count('<span class="badge warn">Carried over · to confirm</span>') == 3
    for key in ("data-a", "data-b", "code-a"):
        assert f'<button type="submit" name="question" value="{key}"' in html
    assert "0 of 3 questions answered · <strong>3 to confirm</strong>" in html


def test_a_submitted_questionnaire_is_read_only(client_for, alice, submitted):
    html = squeeze(client_for(alice).get(submitted.get_absolute_url()).text)

    assert '<p class="banner" role="note">This assessment is submitted and read-only.</p>' in html
    assert html.count("<fieldset disabled>") == 2  # the data category's page
    assert "data-autosave" not in html and "hx-post" not in html
    assert "Save answer" not in html and "Add a comment" not in html
    assert f'href="/assessments/{submitted.pk}/results/">Results</a>' in html


def test_questionnaire_is_404_for_another_team(client_for, carol, assessment):
    assert client_for(carol).get(assessment.get_absolute_url()).status_code == 404


def test_a_user_of_no_team_gets_404(client, assessment):
    client.force_login(factories.make_user())

    assert client.get(assessment.get_absolute_url()).status_code == 404


def test_staff_can_see_any_assessment(client_for, admin_user, assessment):
    response = client_for(admin_user).get(assessment.get_absolute_url())

    assert response.status_code == 200
    assert "<h1>Q3 review</h1>" in response.text
