"""Property-based: random fields, values, encodings, charsets and sizes sent to every write endpoint
never get a 5xx, and a 4xx changes nothing that was saved.

The suite runs a few dozen cases per endpoint with a fixed seed; `make fuzz` runs thousands.
"""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessment import services
from assessment.models import Answer, AnswerChange, Comment, Settlement, TrackedAction
from projects.models import Project
from tests import factories

pytestmark = pytest.mark.fuzz

NASTY = [
    "",
    "na",
    "dont_know",
    "0",
    "1",
    "2",
    "2.0",
    "-1",
    "1e999",
    "NaN",
    "sNaN",
    "-Infinity",
    "\x00",
    "é" * 3,
    "<script>alert(1)</script>",
    "$\\undefinedmacro$",
    "javascript:alert(1)",
    "https://example.com/x",
    "9" * 40,
    "2026-02-30",
    "done",
    "data-a",
]
values = st.one_of(
    st.sampled_from(NASTY), st.text(max_size=60), st.text(min_size=3000, max_size=9000)
)
ANSWER = ["choice", "notes", "links", "na_reason", "na_detail", "confirm"]
PROJECT = ["name", "description", "kind", "target_data", "target_code"]


# Level and target fields get number-like text most of the time: NaN, sNaN, infinities, huge.
numbers = st.one_of(
    st.sampled_from(["NaN", "sNaN", "-sNaN", "Infinity", "-Infinity", "1e999", "-0", "0.50"]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**30), 10**30).map(str),
)
NUMERIC = {"choice", "target_data", "target_code"}


@st.composite
def forms(draw, fields: list[str]) -> dict:
    """The endpoint's own fields, each usually there, so values reach its checks; plus strays."""
    form = {
        field: draw(st.one_of(numbers, values) if field in NUMERIC else values)
        for field in fields
        if draw(st.integers(0, 5))
    }
    form.update(draw(st.dictionaries(st.text(max_size=12), values, max_size=2)))
    return form


FORM = "application/x-www-form-urlencoded"
# The well-formed kind listed many times: most cases should get past the encoding check.
CONTENT_TYPES = [
    *[FORM] * 12,
    "application/x-www-form-urlencoded; charset=utf-8",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=latin-1",
    "multipart/form-data; boundary=BoUnDaRy",
    "application/json",
    "text/plain",
    "application/xml",
    "",
]


@st.composite
def requests(draw, fields: list[str]) -> tuple[str, bytes]:
    """A content type and a body: mostly well-formed forms, sometimes raw bytes."""
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    if content_type.startswith(FORM) and draw(st.integers(0, 3)):
        return content_type, urlencode(draw(forms(fields))).encode()
    return content_type, draw(st.one_of(st.binary(max_size=300), st.just(b"")))


def saved_state() -> tuple:
    """Everything a write endpoint may change, as comparable values."""
    return (
        sorted(
            Answer.objects.values_list(
                "pk",
                "level_value",
                "not_applicable",
                "dont_know",
                "na_reason",
                "notes",
                "links",
                "confirmed_at",
            )
        ),
        AnswerChange.objects.count(),
        sorted(Comment.objects.values_list("pk", "text")),
        sorted(Settlement.objects.values_list("pk", "level_value", "not_applicable", "note")),
        sorted(TrackedAction.objects.values_list("pk", "status", "owner_id", "due")),
        sorted(Project.objects.values_list("pk", "name", "description", "kind", "targets")),
    )


@pytest.fixture
def endpoints(assessment, alice, bob, project1, project2, published):
    """Every write endpoint of the pages, on team 1's objects and on team 2's."""
    services.record_answer(
        assessment=assessment,
        question_id=published.questions.get(key="data-a").pk,
        respondent=alice,
        answer=services.AnswerInput(value=Decimal(1), notes="Saved before the fuzz."),
    )
    submitted = services.start_assessment(
        project=project1, version=published, started_by=bob, title="Submitted"
    )
    services.submit_assessment(assessment=submitted, by=bob, allow_open_items=True)
    action = factories.make_tracked_action(project1, submitted)
    return {
        "answer": (reverse("assessment:save_answer", args=[assessment.pk, "data-a"]), ANSWER),
        "answer-submitted": (
            reverse("assessment:save_answer", args=[submitted.pk, "data-a"]),
            ANSWER,
        ),
        "comment": (
            reverse("assessment:add_comment", args=[assessment.pk, "data-b"]),
            ["text", "next_page"],
        ),
        "settle": (
            reverse("assessment:settle", args=[assessment.pk, "data-a"]),
            ["choice", "note", "reopen"],
        ),
        "track": (
            reverse("assessment:track_action", args=[submitted.pk]),
            ["question", "owner", "due"],
        ),
        "update-action": (
            reverse("assessment:update_action", args=[project1.slug, action.pk]),
            ["status", "owner", "due"],
        ),
        "targets": (reverse("projects:project_edit", args=[project1.slug]), PROJECT),
        "other-team": (reverse("projects:project_edit", args=[project2.slug]), PROJECT),
        "new-project": (reverse("projects:project_create", args=[project1.team.slug]), PROJECT),
    }


ENDPOINTS = [
    "answer",
    "answer-submitted",
    "comment",
    "settle",
    "track",
    "update-action",
    "targets",
    "other-team",
    "new-project",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@given(data=st.data())
def test_no_request_gets_a_5xx_and_a_refusal_changes_nothing(
    client, endpoints, alice, bob, endpoint, data
):
    # Members and managers both: the targets and new-project forms are for managers.
    client.force_login(data.draw(st.sampled_from([alice, bob]), label="user"))
    url, fields = endpoints[endpoint]
    content_type, body = data.draw(requests(fields), label="request")
    htmx = data.draw(st.booleans(), label="htmx")
    before = saved_state()

    response = client.generic(
        "POST",
        url,
        body,
        content_type=content_type,
        headers={"HX-Request": "true"} if htmx else {},
    )

    assert response.status_code < 500
    if 400 <= response.status_code < 500:
        assert saved_state() == before


DASHBOARD_PARAMS = [
    "bank", "team", "min_score", "max_score", "level", "staleness", "stale_days", "sort",
    "compare", "page", "search",
]  # fmt: skip
# Smaller values than the write endpoints': eleven fields of kilobytes each exhaust Hypothesis.
dashboard_values = st.one_of(
    st.sampled_from([*NASTY, "x" * 10_000, "__import__", "-overall", "tiny", "risk-models"]),
    st.text(max_size=40),
)


@given(data=st.data())
def test_no_dashboard_query_string_gets_a_5xx_or_another_teams_rows(
    client, bob, project1, project2, published, data
):
    """GETs too: any query string gives the page (200) or the default view (400)."""
    client.force_login(bob)  # manager of project1's team, not of project2's
    params = data.draw(
        st.dictionaries(st.sampled_from(DASHBOARD_PARAMS), dashboard_values, max_size=6),
        label="params",
    )
    htmx = data.draw(st.booleans(), label="htmx")

    response = client.get(
        reverse("assessment:dashboard"), params, headers={"HX-Request": "true"} if htmx else {}
    )

    assert response.status_code in (200, 400)
    assert f'href="{project2.get_absolute_url()}"' not in response.text
