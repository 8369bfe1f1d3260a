"""The REST API (issue #14): tokens and scopes, the access module's reach, answers through the
locked path, idempotent submit, problem details, cursor pages, and the OpenAPI document."""

import base64
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessment import services
from assessment.models import Answer, Assessment, TrackedAction
from banks import services as bank_services
from projects import services as project_services
from projects.models import AcceptedRisk, ApiToken
from tests import factories

SCOPES = ["read", "answer", "submit", "manage"]
LINK = "https://ci.example.com/runs/1"


def token_for(user, scopes=SCOPES, **fields) -> str:
    return project_services.create_api_token(user=user, name="t", scopes=scopes, **fields)[1]


def call(client, method: str, path: str, token: str | None = None, body=None, **headers):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    kwargs = {"headers": headers}
    if body is not None:
        kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_the_project_list_is_what_the_user_may_see_and_no_more(client, alice, project1, project2):
    response = call(client, "get", "/projects", token_for(alice))

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "slug": project1.slug,
                "name": "Query ranker",
                "team": "Search & Ranking",
                "kind": "",
                "risk_tier": "",
            }
        ],
        "next": None,
    }


def test_another_team_s_token_gets_404_on_this_team_s_objects(client, carol, submitted):
    token = token_for(carol)

    for path in (
        f"/projects/{submitted.project.slug}",
        f"/assessments/{submitted.pk}",
        f"/assessments/{submitted.pk}/results",
        f"/assessments/{submitted.pk}/plan",
        f"/assessments/{submitted.pk}/answers",
    ):
        response = call(client, "get", path, token)
        assert response.status_code == 404, path
        assert problem(response)["status"] == 404


def test_a_project_token_reaches_only_its_project(client, alice, team1, project1):
    other = factories.make_project(team1, "Other model")
    token = token_for(alice, project=project1)

    assert [p["slug"] for p in call(client, "get", "/projects", token).json()["items"]] == [
        project1.slug
    ]
    assert call(client, "get", f"/projects/{other.slug}", token).status_code == 404


@pytest.mark.parametrize("state", ["missing", "wrong", "revoked", "expired", "inactive"])
def test_no_live_token_is_401_with_a_problem(client, alice, project1, state):
    row, token = project_services.create_api_token(user=alice, name="t", scopes=["read"])
    if state == "revoked":
        project_services.revoke_api_token(token=row, by=None, now=timezone.now())
    elif state == "expired":
        ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "inactive":
        alice.is_active = False
        alice.save()
    sent = {"missing": None, "wrong": token[:-2] + "xx"}.get(state, token)

    response = call(client, "get", "/projects", sent)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert problem(response)["title"] == "Not authenticated"


def test_a_read_token_cannot_answer(client, alice, assessment):
    response = call(
        client, "put", f"/assessments/{assessment.pk}/answers/data-a", token_for(alice, ["read"]),
        {"level": 2},
    )  # fmt: skip

    assert response.status_code == 403
    assert "'answer' scope" in problem(response)["detail"]
    assert not Answer.objects.exists()


def test_an_answer_put_saves_through_the_questionnaire_s_rules(client, alice, assessment):
    token = token_for(alice)
    path = f"/assessments/{assessment.pk}/answers/data-a"

    saved = call(client, "put", path, token, {"level": 2, "notes": "CI", "links": [LINK]})
    team = call(client, "get", f"/assessments/{assessment.pk}/answers", token).json()

    assert saved.status_code == 200
    assert saved.json() == {
        "question": "data-a", "level": 2, "not_applicable": False, "na_reason": "",
        "na_detail": "", "dont_know": False, "notes": "CI", "links": [LINK],
    }  # fmt: skip
    answer = Answer.objects.get()
    assert (answer.respondent, answer.level_value, answer.links) == (alice, 2, LINK)
    assert {"question": "data-a", "level": 2, "not_applicable": False, "dont_know": 0,
            "discuss": False, "to_confirm": False} in team["team"]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ({"level": 7}, "body.level", "That is not one of this question's levels."),
        (
            {"level": 1, "dont_know": True},
            "body",
            "give one of level, not_applicable and dont_know",
        ),
        ({"not_applicable": True}, "body.na_reason", "Say why it does not apply"),
        ({"level": "two"}, "body.body.level", "Input should be a valid decimal"),
        ({"links": ["https://x"] * 21}, "body.body.links", "List should have at most 20 items"),
    ],
)
def test_a_bad_answer_is_422_with_its_field_path_and_changes_nothing(
    client, alice, assessment, body, path, message
):
    token = token_for(alice)
    url = f"/assessments/{assessment.pk}/answers/data-a"
    call(client, "put", url, token, {"level": 1})

    response = call(client, "put", url, token, body)

    assert response.status_code == 422
    errors = problem(response)["errors"]
    assert errors[0]["path"] == path and errors[0]["message"].startswith(message)
    assert Answer.objects.get().level_value == 1


def test_an_unknown_question_or_a_submitted_assessment_refuses_the_answer(
    client, alice, submitted, published
):
    token = token_for(alice)
    open_one = services.start_assessment(
        project=submitted.project, version=published, started_by=alice, title="Open"
    )

    unknown = call(client, "put", f"/assessments/{open_one.pk}/answers/nope", token, {"level": 1})
    closed = call(client, "put", f"/assessments/{submitted.pk}/answers/data-a", token, {"level": 1})

    assert (unknown.status_code, closed.status_code) == (404, 409)


def test_submit_is_idempotent_by_its_key(client, alice, bob, assessment):
    factories.answer(assessment, alice, {"data-a": 2, "data-b": 1, "code-a": 0})
    token = token_for(alice)
    path = f"/assessments/{assessment.pk}/submit"

    first = call(client, "post", path, token, {}, **{"Idempotency-Key": "run-42"})
    again = call(client, "post", path, token, {}, **{"Idempotency-Key": "run-42"})
    other = call(client, "post", path, token, {}, **{"Idempotency-Key": "run-43"})
    missing = call(client, "post", path, token, {})

    assessment.refresh_from_db()
    assert first.status_code == 200 and first.json() == again.json()
    assert first.json()["overall"] == float(assessment.result.overall)
    assert first.json()["integrity_sha256"] == assessment.result.integrity_sha256
    assert assessment.status == Assessment.Status.SUBMITTED and assessment.submitted_by == alice
    assert other.status_code == 409 and missing.status_code == 422


def test_a_member_s_submit_with_open_items_is_refused_with_the_questions(client, alice, assessment):
    factories.answer(assessment, alice, {"data-a": 2})
    response = call(
        client, "post", f"/assessments/{assessment.pk}/submit", token_for(alice),
        {"allow_open_items": True}, **{"Idempotency-Key": "k"},
    )  # fmt: skip

    assert response.status_code == 403
    assert Assessment.objects.get().status == Assessment.Status.IN_PROGRESS


def test_starting_an_assessment_uses_the_bank_s_newest_version(client, alice, project1, published):
    response = call(
        client, "post", f"/projects/{project1.slug}/assessments", token_for(alice),
        {"bank": "tiny", "title": "From CI"},
    )  # fmt: skip

    assert response.status_code == 201
    created = Assessment.objects.get()
    assert response.json()["id"] == created.pk and created.version == published
    assert created.started_by == alice


def test_starting_on_a_named_published_version_and_never_on_a_draft(
    client, alice, project1, shipped_banks
):
    token = token_for(alice)
    url = f"/projects/{project1.slug}/assessments"

    older = call(
        client, "post", url, token, {"bank": "ml-technical-debt", "version": 2, "title": "v2"}
    )
    draft = bank_services.new_draft_from(version=shipped_banks["ml-technical-debt-v3"])
    refused = call(
        client,
        "post",
        url,
        token,
        {"bank": "ml-technical-debt", "version": draft.number, "title": "x"},
    )

    assert older.status_code == 201
    assert Assessment.objects.get().version == shipped_banks["ml-technical-debt-v2"]
    assert refused.status_code == 422
    assert "no published bank 'ml-technical-debt version 4'" in refused.text
    assert Assessment.objects.count() == 1


def test_results_and_plan_are_the_documented_exports(client, alice, submitted):
    token = token_for(alice)

    data = call(client, "get", f"/assessments/{submitted.pk}/results", token).json()
    plan = call(client, "get", f"/assessments/{submitted.pk}/plan", token).json()

    assert data["schema"] == "paydown.results/3" and data["assessment"]["id"] == submitted.pk
    assert plan["schema"] == "paydown.plan/1"
    assert [a["question"] for a in plan["actions"]][:1] and all("why" in a for a in plan["actions"])


def test_lists_page_by_cursor(client, alice, team1):
    for n in range(5):
        factories.make_project(team1, f"Model {n}")
    token = token_for(alice)

    first = call(client, "get", "/projects?limit=2", token).json()
    second = call(client, "get", f"/projects?limit=2&cursor={first['next']}", token).json()
    bad = call(client, "get", "/projects?cursor=%%%", token)

    assert [p["name"] for p in first["items"]] == ["Model 0", "Model 1"]
    assert [p["name"] for p in second["items"]] == ["Model 2", "Model 3"]
    assert base64.urlsafe_b64decode(first["next"])  # opaque, but well formed
    assert bad.status_code == 400 and problem(bad)["errors"][0]["path"] == "query.cursor"


def test_the_token_s_budget_is_429_with_retry_after(client, alice, project1, settings):
    settings.PAYDOWN_API_RATE = 2
    token = token_for(alice)

    statuses = [call(client, "get", "/projects", token).status_code for _ in range(3)]
    limited = call(client, "get", "/projects", token)

    assert statuses == [200, 200, 429]
    assert 1 <= int(limited["Retry-After"]) <= 60


def test_the_openapi_document_validates_and_the_docs_page_is_local(client):
    from openapi_spec_validator import validate

    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    docs = client.get("/api/v1/docs")

    assert schema["info"]["title"] == "Paydown API"
    assert "/api/v1/assessments/{pk}/answers/{question_key}" in schema["paths"]
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower() and "/static/ninja/swagger-ui-bundle" in docs.text


def test_the_command_prints_the_token_alone_on_its_last_line(alice, project1, capsys):
    call_command(
        "create_api_token", "alice", "--project", project1.slug, "--scopes", "read,answer",
        "--expires-days", "30",
    )  # fmt: skip

    token = capsys.readouterr().out.strip().splitlines()[-1]
    row = ApiToken.objects.get()
    assert token.startswith(f"pdt_{row.prefix}_")
    assert row.digest == project_services.token_digest(token) and token not in row.digest
    assert (row.project, row.scopes) == (project1, ["read", "answer"])
    assert row.expires_at > timezone.now() + timedelta(days=29)


# --- backlog ---------------------------------------------------------------------------------------


def test_the_backlog_is_tracked_listed_and_closed_through_the_api(client, alice, bob, submitted):
    token = token_for(alice)
    slug = submitted.project.slug

    created = call(
        client, "post", f"/assessments/{submitted.pk}/backlog", token,
        {"question": "data-b", "owner": "bob", "due": "2027-03-01"},
    )  # fmt: skip
    again = call(
        client, "post", f"/assessments/{submitted.pk}/backlog", token, {"question": "data-b"}
    )
    listed = call(client, "get", f"/projects/{slug}/backlog", token).json()
    action_id = created.json()["id"]
    until = (timezone.localdate() + timedelta(days=60)).isoformat()
    refused = call(
        client, "patch", f"/projects/{slug}/backlog/{action_id}", token, {"status": "accepted_risk"}
    )
    closed = call(
        client, "patch", f"/projects/{slug}/backlog/{action_id}", token,
        {"status": "accepted_risk", "risk_reason": "Vendor owns it", "risk_until": until},
    )  # fmt: skip
    moved = call(client, "patch", f"/projects/{slug}/backlog/{action_id}", token, {"due": None})

    assert (created.status_code, again.status_code) == (201, 200)
    assert created.json()["owner"] == "bob" and created.json()["due"] == "2027-03-01"
    assert [item["id"] for item in listed["items"]] == [action_id]
    assert (
        refused.status_code == 422 and problem(refused)["errors"][0]["path"] == "body.risk_reason"
    )
    assert closed.json()["status"] == "accepted_risk", closed.content
    risk = AcceptedRisk.objects.get()
    assert (risk.question_key, risk.accepted_by, risk.reason) == ("data-b", alice, "Vendor owns it")
    assert moved.json()["due"] is None and AcceptedRisk.objects.get().reason == "Vendor owns it"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"question": "code-a", "owner": "carol"}, "body.owner"),
        ({"question": "nothing"}, "body.question"),
    ],
)
def test_tracking_refuses_an_outsider_owner_or_a_step_not_in_the_plan(
    client, alice, carol, submitted, body, path
):
    response = call(client, "post", f"/assessments/{submitted.pk}/backlog", token_for(alice), body)

    assert response.status_code == 422 and problem(response)["errors"][0]["path"] == path
    assert not TrackedAction.objects.exists()


def test_backlog_writes_need_the_manage_scope(client, alice, submitted):
    response = call(
        client, "post", f"/assessments/{submitted.pk}/backlog", token_for(alice, ["read", "answer"]),
        {"question": "data-b"},
    )  # fmt: skip

    assert response.status_code == 403 and not TrackedAction.objects.exists()


def test_a_backlog_item_is_deleted_and_its_acceptance_withdrawn(client, alice, submitted):
    token = token_for(alice)
    slug = submitted.project.slug
    created = call(
        client, "post", f"/assessments/{submitted.pk}/backlog", token, {"question": "data-b"}
    )
    action_id = created.json()["id"]
    until = (timezone.localdate() + timedelta(days=60)).isoformat()
    call(
        client, "patch", f"/projects/{slug}/backlog/{action_id}", token,
        {"status": "accepted_risk", "risk_reason": "Vendor owns it", "risk_until": until},
    )  # fmt: skip

    deleted = call(client, "delete", f"/projects/{slug}/backlog/{action_id}", token)
    again = call(client, "delete", f"/projects/{slug}/backlog/{action_id}", token)

    assert (deleted.status_code, again.status_code) == (204, 404)
    assert not TrackedAction.objects.exists() and not AcceptedRisk.objects.exists()
