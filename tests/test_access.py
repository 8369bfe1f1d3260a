"""Every URL of the app, filled with team 1's objects: a member of team 2 gets 404, a member of
team 1 who is not a manager gets 403 on manager actions, and the owners get in.

The sweep walks the resolver, so a new URL fails here until it says how to fill its parameters
(FILL) or why it needs no object (NO_OBJECT).
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessment import services
from assessment.models import ReportJob
from assessment.services import scans
from projects import services as project_services
from tests import factories
from tests.questionnaire.test_scan_suggestions import DVC, scan_document

# URLs that address no object of a team; what guards them instead.
NO_OBJECT = {
    "favicon.ico": "public redirect to a static file",
    "healthz": "public health check",
    "login": "public",
    "logout": "ends the user's own session",
    "password_change": "the user's own account",
    "password_change_done": "the user's own account",
    "password_reset": "public: asks for a reset link by email",
    "password_reset_done": "public: the same page whether or not the address has an account",
    "password_reset_confirm": "public: opened by the emailed uid and token alone",
    "password_reset_complete": "public: says the new password is set",
    "account:tokens": "lists and makes the user's own tokens; projects offered are visible ones",
    "account:revoke_token": "the user's own tokens only: another's id is 404 (tests/account)",
    "projects:home": "lists only visible teams",
    "assessment:dashboard": "managed teams, else the member's own projects",
    "assessment:portfolio_report": "managers only (403)",
    "assessment:start_portfolio_report": "managers only (403)",
    "assessment:portfolio_export": "managers only (403)",
    "projects:badge": "public with the project's badge token, else a bare 404 (test_badge.py)",
    "people:accept_invitation": "public: the link's token is the credential (tests/account)",
    "people:profile": "the user's own profile",
    # allauth's company sign-in (SOCIALACCOUNT_ONLY): the provider's flow and its own pages
    # about it, each for whoever is signing in; none reads a team's object.
    **dict.fromkeys(
        [
            "account_login",
            "account_logout",
            "account_inactive",
            "socialaccount_login_cancelled",
            "socialaccount_login_error",
            "socialaccount_signup",
            "socialaccount_connections",
            "accounts/sso/social/login/cancelled/",
            "accounts/sso/social/login/error/",
            "accounts/sso/social/signup/",
            "accounts/sso/social/connections/",
            "openid_connect_login",
            "openid_connect_callback",
            "saml_acs",
            "saml_finish_acs",
            "saml_sls",
            "saml_metadata",
            "saml_login",
        ],
        "company sign-in (allauth): the signing-in user's own flow",
    ),
    "people:sign_in_link": "public: the link's token is the credential, for staff (tests/account)",
    "people:verify_email": "the user's own address: another user's link is a 400 (tests/account)",
    "javascript_catalog": "public: the interface's script messages",
    "set_language": "public: sets the person's own language",
    "audit_log:staff_log": "staff only: 404 for everyone else (tests/audit)",
    "audit_log:staff_log_export": "staff only: 404 for everyone else (tests/audit)",
}
# The admin's own patterns (`<path:object_id>` and the rest) sit behind its staff check: the
# last test checks it.

# Manager actions: a member of the owning team gets 403, its manager gets in.
MANAGER_ONLY = {
    "people:change_role",
    "people:remove_member",
    "people:revoke_invitation",
    "projects:project_create",
    "projects:project_edit",
    "projects:renew_badge",
    "audit_log:project_log",
    "audit_log:project_log_export",
    "assessment:portfolio_report",
    "assessment:start_portfolio_report",
    "assessment:portfolio_export",
}
# Results exist only for a submitted assessment; every other assessment URL uses an open one.
SUBMITTED_ONLY = {
    "assessment:results",
    "assessment:results_export",
    "assessment:plan",
    "assessment:plan_export",
    "assessment:plan_tracker_export",
    "assessment:track_action",
    "assessment:accept_risk",
    "assessment:withdraw_risk",
    "assessment:assessment_report",
}
# Who owns the object, if not a member of team 1.
OWNER = {"assessment:report_job": "bob", "assessment:report_job_download": "bob"}
OWNER.update(dict.fromkeys(MANAGER_ONLY, "bob"))
OWNER["assessment:bank_preview"] = "admin"


def walk(patterns, namespace="", prefix=""):
    """(name with namespace, route, parameter names, POST only) for every pattern."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner, route)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else route
            params = sorted(entry.pattern.regex.groupindex)
            yield name, route, params


def app_patterns():
    """Every pattern but the admin's, whose unnamed ones have no namespace to tell them by, and
    the API's, which tokens open and tests/api/test_api_sweep.py sweeps operation by operation."""
    return [
        p for p in walk(get_resolver().url_patterns) if not p[1].startswith(("admin/", "api/v1/"))
    ]


@pytest.fixture
def world(published, project1, alice, bob, carol, admin_user):
    """Team 1's objects: an open and a submitted assessment, a tracked action, bob's report."""
    open_one = services.start_assessment(
        project=project1, version=published, started_by=alice, title="Open"
    )
    submitted = services.start_assessment(
        project=project1, version=published, started_by=bob, title="Submitted"
    )
    services.submit_assessment(assessment=submitted, by=bob, allow_open_items=True)
    action = factories.make_tracked_action(project1, submitted)
    # A member to change and remove (the owners' sweep posts to change_role, then remove_member).
    dave = factories.make_user("dave")
    membership = factories.add_member(project1.team, dave)
    invitation, _token = project_services.invite(
        team=project1.team, email="eve@example.com", role="member", by=bob, now=timezone.now()
    )
    scan = scans.attach_scan(
        assessment=open_one, document=scan_document(**{"data-a": (2, "high", DVC)}), by=alice
    )
    job = ReportJob.objects.create(
        requested_by=bob,
        status=ReportJob.Status.DONE,
        file=ContentFile(b"%PDF-1.7", "p.pdf"),
        filename="p.pdf",
    )
    return {
        "project": project1,
        "open": open_one,
        "submitted": submitted,
        "action": action,
        "job": job,
        "suggestion": scan.scan.suggestions.get(),
        "membership": membership,
        "invitation": invitation,
        "version": published,
        "users": {"alice": alice, "bob": bob, "carol": carol, "admin": admin_user},
    }


def fill(name: str, params: list[str], world: dict) -> dict:
    """Team 1's object for each parameter; a parameter not known here fails the sweep."""
    assessment = world["submitted" if name in SUBMITTED_ONLY else "open"]
    values = {
        "slug": world["version"].bank.slug
        if name == "assessment:bank_preview"
        else world["project"].slug,
        "team_slug": world["project"].team.slug,
        "pk": assessment.pk,
        "key": "data-a",
        "action_id": world["action"].pk,
        "job_id": world["job"].pk,
        "suggestion_id": world["suggestion"].pk,
        "membership_id": world["membership"].pk,
        "invitation_id": world["invitation"].pk,
        "number": world["version"].number,
        "fmt": "csv",
        "tracker_file": "github.sh",
    }
    unknown = set(params) - set(values)
    assert not unknown, f"{name}: say how to fill {sorted(unknown)} in tests/test_access.py"
    return {param: values[param] for param in params}


def urls(world: dict) -> list[tuple[str, str]]:
    found = []
    for name, route, params in app_patterns():
        if name in NO_OBJECT and name not in MANAGER_ONLY:
            continue
        assert params or name in NO_OBJECT, f"{name} ({route}) addresses no object: list it"
        found.append((name, reverse(name, kwargs=fill(name, params, world))))
    return found


def test_every_app_url_is_known_to_the_sweep(world):
    names = {name for name, _route, _params in app_patterns()}

    assert {name for name, _url in urls(world)} | set(NO_OBJECT) == names
    # Sanity: the sweep sees the URLs that matter most.
    assert {"assessment:save_answer", "assessment:results", "assessment:update_action"} <= names


def test_a_member_of_another_team_gets_404_everywhere(client, world):
    client.force_login(world["users"]["carol"])
    for name, url in urls(world):
        if name in MANAGER_ONLY and name in NO_OBJECT:
            continue  # no object to hide: the manager check answers (next test)
        get, post = client.get(url), client.post(url, {"choice": "1", "text": "x"})

        # A POST-only URL answers 405 to a GET before any lookup, alike for everyone.
        assert get.status_code in (404, 405), f"GET {name} {url}: {get.status_code}"
        assert post.status_code == 404, f"POST {name} {url}: {post.status_code}"


def test_post_only_urls_answer_a_get_the_same_for_members_and_strangers(client, world):
    statuses = {}
    for user in ("alice", "carol"):
        client.force_login(world["users"][user])
        statuses[user] = {name: client.get(url).status_code for name, url in urls(world)}

    post_only = {name for name, status in statuses["alice"].items() if status == 405}
    assert {name for name, status in statuses["carol"].items() if status == 405} == post_only
    assert "assessment:save_answer" in post_only


def test_owners_get_in(client, world):
    """The sweep's objects are real: whoever owns them is let in, so the 404s above mean
    something."""
    for name, url in urls(world):
        client.force_login(world["users"][OWNER.get(name, "alice")])
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        assert response.status_code not in (403, 404), f"{name} {url}: {response.status_code}"


def test_a_member_who_is_not_a_manager_gets_403_on_manager_actions(client, world):
    client.force_login(world["users"]["alice"])
    manager_urls = [(name, url) for name, url in urls(world) if name in MANAGER_ONLY]

    assert {name for name, _url in manager_urls} == MANAGER_ONLY
    for name, url in manager_urls:
        assert client.get(url).status_code in (403, 405), name
        assert client.post(url, {"name": "Renamed"}).status_code == 403, name
    world["project"].refresh_from_db()
    assert world["project"].name == "Query ranker"


def test_a_report_job_answers_404_to_everyone_but_its_requester(client, world):
    url = reverse("assessment:report_job_download", args=[world["job"].pk])
    for user in ("alice", "carol", "admin"):
        client.force_login(world["users"][user])
        assert client.get(url).status_code == 404, user


def test_the_admin_is_behind_its_staff_check(client, world):
    client.force_login(world["users"]["alice"])
    question = world["version"].questions.get(key="data-a")
    for url in (
        reverse("admin:index"),
        reverse("admin:banks_question_change", args=[question.pk]),
        reverse("admin:banks_bankversion_export", args=[world["version"].pk]),
    ):
        response = client.get(url)

        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
