"""Every operation of the API's own OpenAPI document, filled with team 1's objects: no token is
401, a token of team 2 gets 404 on everything of team 1, and team 1's token gets in.

The sweep reads the operations from /api/v1/openapi.json, so a new endpoint is swept as soon as
it exists; one that addresses no team's object says why in NO_OBJECT."""

import json
import re

import pytest

from assessment import services
from projects import services as project_services
from tests import factories

SCOPES = ["read", "answer", "submit", "manage"]
# Operations that reach no team's object; what guards them instead.
NO_OBJECT = {
    ("get", "/api/v1/projects"): "lists only the projects the token reaches",
    ("get", "/api/v1/banks"): "published bank versions, the same for every team",
    ("get", "/api/v1/banks/{slug}/versions/{number}"): "a published bank version",
}


@pytest.fixture
def world(published, project1, alice, bob, carol):
    open_one = services.start_assessment(
        project=project1, version=published, started_by=alice, title="Open"
    )
    submitted = services.start_assessment(
        project=project1, version=published, started_by=alice, title="Done"
    )
    factories.answer(submitted, alice, {"data-a": 2, "data-b": 1, "code-a": 0})
    services.submit_assessment(assessment=submitted, by=bob)
    tracked = factories.make_tracked_action(project1, submitted, "data-b")
    return {"open": open_one, "submitted": submitted, "project": project1, "action": tracked}


def operations(client) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def fill(method: str, path: str, world) -> str:
    submitted_only = path.endswith(("/results", "/plan", "/backlog")) and "/assessments/" in path
    values = {
        "slug": "tiny" if path.startswith("/api/v1/banks/") else world["project"].slug,
        "pk": (world["submitted"] if submitted_only else world["open"]).pk,
        "question_key": "data-a",
        "number": 1,
        "action_id": world["action"].pk,
    }
    return re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)


def send(client, method: str, url: str, token: str | None):
    headers = {"Idempotency-Key": "sweep"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    # A body every write accepts, so that what answers is the access check, not validation.
    body = {"level": 1, "title": "Sweep", "bank": "tiny", "question": "data-a", "due": None}
    body = body if method in {"post", "put", "patch"} else None
    kwargs = {"headers": headers}
    if body is not None:
        kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(url, **kwargs)


def test_without_a_token_every_operation_is_401(client, world):
    for method, path in operations(client):
        response = send(client, method, fill(method, path, world), None)
        assert response.status_code == 401, (method, path)


def test_another_team_s_token_gets_404_on_every_object_of_this_team(client, world, carol):
    token = project_services.create_api_token(user=carol, name="t", scopes=SCOPES)[1]

    swept, every = 0, operations(client)
    for method, path in every:
        if (method, path) in NO_OBJECT:
            continue
        response = send(client, method, fill(method, path, world), token)
        assert response.status_code == 404, (method, path, response.content)
        swept += 1
    assert swept == len(every) - len(NO_OBJECT) >= 9


def test_the_owning_team_s_token_gets_in(client, world, bob):
    token = project_services.create_api_token(user=bob, name="t", scopes=SCOPES)[1]

    for method, path in operations(client):
        response = send(client, method, fill(method, path, world), token)
        # In: not refused (a submit with open items is 409, which is the assessment answering).
        assert response.status_code not in {401, 403, 404}, (method, path, response.content)
        assert response.status_code < 500, (method, path, response.content)
