"""Log-in, sessions, CSRF, the content security policy and escaping of user-given names."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from assessment import services
from assessment.models import Answer, AssessmentResult, ReportJob, TrackedAction
from assessment.results import queries as result_queries
from projects.models import Project


@pytest.mark.parametrize(
    "url",
    ["/", "/projects/query-ranker/", "/teams/team-1/projects/new/", "/accounts/password/",
     "/dashboard/", "/assessments/1/results/", "/projects/query-ranker/backlog/", "/reports/1/"],
)  # fmt: skip
def test_pages_require_login(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_login_page_is_public(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def hostile_names(submitted, published, team1, project1, alice, bob):
    """Every name a user can type, set to a script: team, project, assessment titles, the backlog
    action (copied from the plan) and an open assessment for the questionnaire."""
    team1.name = f"Team {HOSTILE}"
    team1.save(update_fields=["name"])
    project1.name = f"Project {HOSTILE}"
    project1.save(update_fields=["name"])
    type(submitted).objects.filter(pk=submitted.pk).update(title=f"Review {HOSTILE}")
    # The report and exports print the names stored at submit: as if they had been typed before.
    AssessmentResult.objects.filter(assessment=submitted).update(
        project_name=project1.name, team_name=team1.name, title=f"Review {HOSTILE}"
    )
    services.track_action(
        assessment=submitted, action=result_queries.plan_action(submitted, "code-a")
    )
    still_open = services.start_assessment(
        project=project1, version=published, started_by=alice, title=f"Open {HOSTILE}"
    )
    return {"submitted": submitted, "open": still_open, "project": project1}


def name_pages(objects) -> dict[str, str]:
    """One page of each family that shows a user-given name."""
    submitted, still_open, project = objects["submitted"], objects["open"], objects["project"]
    return {
        "home": reverse("projects:home"),
        "project": reverse("projects:project_detail", args=[project.slug]),
        "project edit": reverse("projects:project_edit", args=[project.slug]),
        "questionnaire": reverse("assessment:questionnaire", args=[still_open.pk]),
        "discuss": reverse("assessment:discuss", args=[still_open.pk]),
        "submit": reverse("assessment:submit", args=[still_open.pk]),
        "results": reverse("assessment:results", args=[submitted.pk]),
        "plan": reverse("assessment:plan", args=[submitted.pk]),
        "history": reverse("assessment:history", args=[project.slug]),
        "compare": reverse("assessment:compare", args=[project.slug])
        + f"?a={submitted.pk}&b={submitted.pk}",
        "backlog": reverse("assessment:backlog", args=[project.slug]),
        "dashboard": reverse("assessment:dashboard") + "?bank=tiny",
    }


@pytest.mark.parametrize(
    "page",
    ["home", "project", "project edit", "questionnaire", "discuss", "submit", "results", "plan",
     "history", "compare", "backlog", "dashboard"],
)  # fmt: skip
def test_hostile_names_are_shown_escaped_on_every_page(client_for, bob, hostile_names, page):
    response = client_for(bob).get(name_pages(hostile_names)[page])

    assert response.status_code == 200
    assert HOSTILE not in response.text
    assert escape(HOSTILE) in response.text


def test_hostile_names_are_escaped_on_the_member_summary(client_for, alice, hostile_names):
    response = client_for(alice).get(reverse("assessment:dashboard"))

    assert HOSTILE not in response.text
    assert f"Project {escape(HOSTILE)}" in response.text


def test_hostile_names_are_text_in_the_pdf_report(client_for, alice, hostile_names):
    submitted = hostile_names["submitted"]

    response = client_for(alice).get(reverse("assessment:assessment_report", args=[submitted.pk]))

    reader = PdfReader(io.BytesIO(response.getvalue()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert f"Project {HOSTILE}" in text  # drawn as text, not swallowed as a tag


@pytest.mark.parametrize(
    "page",
    ["home", "questionnaire", "discuss", "results", "plan", "history", "backlog", "dashboard"],
)
def test_pages_have_no_inline_scripts_or_styles(client_for, bob, hostile_names, page):
    html = client_for(bob).get(name_pages(hostile_names)[page]).text

    scripts = re.findall(r"<script[^>]*>", html)
    # Code comes from files; json_script's blocks (type="application/json") are data.
    assert [tag for tag in scripts if " src=" not in tag and "application/json" not in tag] == []
    assert " style=" not in html
    assert "<style" not in html


def test_repeated_failed_logins_are_throttled(client, alice, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "alice", "password": "pw-for-tests"})

    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.content
    assert "_auth_user_id" not in client.session


def test_correct_login_succeeds_and_lands_on_home(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "pw-for-tests"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("projects:home")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_logout_is_a_post_and_ends_the_session(client_for, alice):
    client = client_for(alice)

    refused = client.get(reverse("logout"))

    assert refused.status_code == 405
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert client.get(reverse("projects:home")).status_code == 200

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("projects:home"))["Location"].startswith(reverse("login"))


def test_password_change_works(client_for, alice):
    client = client_for(alice)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-for-tests",
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-new-long-passphrase-42")


@pytest.fixture
def csrf_client(db):
    """A client that checks CSRF tokens as a browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


def state() -> tuple:
    """Everything the posts below could change."""
    return (
        list(Answer.objects.values_list("pk", "level_value")),
        list(TrackedAction.objects.values_list("pk", "status", "owner_id")),
        list(Project.objects.values_list("pk", "name")),
        ReportJob.objects.count(),
    )


def test_posts_without_a_csrf_token_are_refused_and_change_nothing(
    csrf_client, alice, bob, submitted, assessment, project1
):
    still_open = services.start_assessment(
        project=project1, version=submitted.version, started_by=alice, title="Open"
    )
    action, _ = services.track_action(
        assessment=submitted, action=result_queries.plan_action(submitted, "code-a")
    )
    csrf_client.force_login(bob)
    before = state()
    posts = [
        (reverse("assessment:save_answer", args=[still_open.pk, "data-a"]), {"choice": "2"}),
        (reverse("assessment:track_action", args=[submitted.pk]), {"question": "data-b"}),
        (reverse("assessment:update_action", args=[project1.slug, action.pk]), {"status": "done"}),
        (reverse("assessment:start_portfolio_report") + "?bank=tiny", {}),
        (reverse("projects:project_edit", args=[project1.slug]), {"name": "Renamed"}),
        (reverse("projects:project_create", args=[project1.team.slug]), {"name": "New"}),
        (reverse("logout"), {}),
    ]

    for url, data in posts:
        for headers in ({}, {"HX-Request": "true"}):
            response = csrf_client.post(url, data, headers=headers)
            assert response.status_code == 403, url
            assert "CSRF" in response.text or "security token" in response.text, url

    assert state() == before
    assert csrf_client.session["_auth_user_id"] == str(bob.pk)  # not logged out either


def test_the_pages_tokens_let_the_same_posts_through(csrf_client, alice, bob, submitted, project1):
    still_open = services.start_assessment(
        project=project1, version=submitted.version, started_by=alice, title="Open"
    )
    csrf_client.force_login(bob)

    # A form's hidden field, as a browser without JavaScript sends it.
    plan = csrf_client.get(reverse("assessment:plan", args=[submitted.pk])).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', plan)[1]
    tracked = csrf_client.post(
        reverse("assessment:track_action", args=[submitted.pk]),
        {"question": "data-b", "csrfmiddlewaretoken": token},
    )
    # The header on <body> that htmx adds to every request.
    page = csrf_client.get(reverse("assessment:questionnaire", args=[still_open.pk])).text
    header = re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'>", page)[1]
    saved = csrf_client.post(
        reverse("assessment:save_answer", args=[still_open.pk, "data-a"]),
        {"choice": "2", "notes": "", "links": "", "na_reason": "", "na_detail": ""},
        headers={"HX-Request": "true", "X-CSRFToken": header},
    )

    assert tracked.status_code == 302
    assert TrackedAction.objects.get().question_key == "data-b"
    assert saved.status_code == 200
    assert Answer.objects.get(assessment=still_open).level_value == 2


def test_the_menu_shows_what_each_user_may_open(client_for, client, alice, admin_user):
    member = client_for(alice).get(reverse("projects:home")).text
    staff = client_for(admin_user).get(reverse("projects:home")).text
    client.logout()
    anonymous = client.get(reverse("login")).text

    assert "<summary>alice</summary>" in member
    assert f'<a href="{reverse("assessment:dashboard")}"' in member
    assert "Question banks" not in member
    assert f'<a href="{reverse("admin:index")}">Question banks</a>' in staff
    assert "user-menu" not in anonymous and "Dashboard" not in anonymous
