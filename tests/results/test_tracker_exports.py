"""The plan and the backlog as issues for GitHub, GitLab and Jira, and the backlog as CSV and JSON."""

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date

import pytest
from django.urls import reverse

from assessment import services, tracker_exports
from assessment.models import TrackedAction
from banks import files
from banks import services as bank_services
from tests import factories
from tests.banks.bank_data import small_bank

TRACKER_FILES = ["github.json", "github.sh", "gitlab.csv", "jira.csv"]
JIRA_HEADER = ["Summary", "Issue Type", "Description", "Priority", "Labels", "Assignee", "Due Date"]
BACKLOG_HEADER = ["question", "category", "title", "advice", "from_level", "to_level", "status",
                  "owner", "due", "source_assessment", "source_title", "created", "updated"]  # fmt: skip

# the same ten as the plan's CSV and JSON (tests/results/test_exports.py): session, user, the
# assessment ⋈ project, team, version, bank, its result ⋈ version, bank, the result's categories,
# its questions, the version's questions ⋈ category, their remediation steps, the project's
# accepted risks ⋈ who accepted them, the project's question results up to this assessment, and
# the audit log's entry for the download
PLAN_QUERIES = 11
# session
# user
# the project ⋈ team, where the user is a member
# its tracked actions ⋈ owner, source assessment
# the audit log's entry for the download
BACKLOG_QUERIES = 5


def plan_file(client, assessment, tracker_file: str):
    return client.get(reverse("assessment:plan_tracker_export", args=[assessment.pk, tracker_file]))


def backlog_file(client, project, tracker_file: str):
    return client.get(
        reverse("assessment:backlog_tracker_export", args=[project.slug, tracker_file])
    )


def text(response) -> str:
    return response.getvalue().decode()


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text(response))))


def first_plan_body(assessment) -> str:
    """The plan's first step on the `submitted` fixture: data-b from level 1 to 2."""
    slug, pk = assessment.project.slug, assessment.pk
    return (
        "How is data-b handled?\n"
        "\n"
        "**Step from level 1 to level 2:** Reach 2.\n"
        "\n"
        "- Bucket: now (rank 1 of the plan)\n"
        "- Expected gain: +25 in its category (data), +16.7 overall\n"
        "- Effort: S, impact: 2\n"
        "- Prerequisites still in this plan: none\n"
        "- Why: question weight 1.00 × category weight 2.00 × impact 2 × gap 0.50 of the scale"
        " (level 1.00 of target 2) ÷ effort S (1) = priority 2.00\n"
        "\n"
        f"From the remediation plan of {slug}, assessment {pk}:"
        f" http://testserver/assessments/{pk}/plan/#action-data-b\n"
    )


def test_github_json_lists_each_step_with_title_body_and_labels(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)

    with django_assert_num_queries(PLAN_QUERIES):
        response = plan_file(client, submitted, "github.json")

    data = json.loads(response.getvalue())
    slug = submitted.project.slug
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{slug}-assessment-{submitted.pk}-plan-github.json"'
    )
    assert data["schema"] == "paydown.tracker.github/1"
    assert data["items"][0] == {
        "title": f"[paydown:{slug}:data-b] How is data-b handled?",
        "body": first_plan_body(submitted),
        "labels": ["paydown", "paydown-data", "paydown-now"],
    }
    assert [item["title"] for item in data["items"]] == [
        f"[paydown:{slug}:data-b] How is data-b handled?",
        f"[paydown:{slug}:code-a] How is code-a handled?",
    ]


def test_gitlab_csv_has_title_and_description_only(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)

    with django_assert_num_queries(PLAN_QUERIES):
        response = plan_file(client, submitted, "gitlab.csv")

    rows = csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0] == ["title", "description"]
    assert rows[1] == [
        f"[paydown:{submitted.project.slug}:data-b] How is data-b handled?",
        first_plan_body(submitted),
    ]
    assert len(rows) == 3


def test_jira_csv_maps_the_bucket_to_a_priority_and_joins_the_labels(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)

    with django_assert_num_queries(PLAN_QUERIES):
        response = plan_file(client, submitted, "jira.csv")

    rows = csv_rows(response)
    assert rows[0] == JIRA_HEADER
    assert rows[1] == [
        f"[paydown:{submitted.project.slug}:data-b] How is data-b handled?",
        "Task",
        first_plan_body(submitted),
        "High",
        "paydown paydown-data paydown-now",
        "",
        "",
    ]


@pytest.mark.parametrize(("bucket", "priority"), [("now", "High"), ("next", "Medium"),
                                                  ("later", "Low")])  # fmt: skip
def test_each_bucket_has_its_jira_priority(bucket, priority):
    assert tracker_exports.JIRA_PRIORITIES[bucket] == priority


def test_github_script_is_posix_sh_with_one_gh_call_per_step(client_for, alice, submitted):
    response = plan_file(client_for(alice), submitted, "github.sh")

    script = text(response)
    slug = submitted.project.slug
    assert response["Content-Type"] == "text/x-sh; charset=utf-8"
    assert script.startswith("#!/bin/sh\n")
    assert f"#   REPO=owner/name sh {slug}-assessment-{submitted.pk}-plan-github.sh\n" in script
    assert "\nset -eu\n" in script
    assert (
        f'gh issue create --repo "$REPO" --title \'[paydown:{slug}:data-b] How is data-b'
        " handled?' --body-file - --label paydown --label paydown-data --label paydown-now"
        " <<'PAYDOWN_EOF'\n" + first_plan_body(submitted) + "PAYDOWN_EOF\n"
    ) in script
    assert script.count("gh issue create") == 2


@pytest.mark.parametrize("tracker_file", TRACKER_FILES)
def test_every_title_starts_with_the_marker(client_for, alice, submitted, tracker_file):
    client = client_for(alice)
    items = json.loads(plan_file(client, submitted, "github.json").getvalue())["items"]
    titles = [item["title"] for item in items]

    response = plan_file(client, submitted, tracker_file)

    slug = submitted.project.slug
    assert [title.split(" ")[0] for title in titles] == [
        f"[paydown:{slug}:data-b]",
        f"[paydown:{slug}:code-a]",
    ]
    if tracker_file.endswith(".csv"):
        assert [row[0] for row in csv_rows(response)[1:]] == titles
    else:
        content = text(response)
        assert all(title in content for title in titles)


@pytest.mark.parametrize(
    ("question_text", "title_text"),
    [
        ("How is it handled?", "How is it handled?"),
        ("Two\nlines,  and\tspaces ", "Two lines, and spaces"),
        ("x" * 300, "x" * (250 - len("[paydown:p:q] ") - 1) + "…"),
    ],
)
def test_a_title_is_one_line_cut_to_fit_but_never_its_marker(question_text, title_text):
    title = tracker_exports.tracker_title("p", "q", question_text)

    assert title == f"[paydown:p:q] {title_text}"
    assert len(title) <= 250


# --- A plan whose text tries to break out of the shell script ---------------------------------

HOSTILE_TEXT = 'Is it safe? $(touch pwned-title) `touch pwned-tick` it\'s "quoted" ${HOME}'
HOSTILE_ADVICE = (
    "Reach 2. $(touch pwned-body) `touch pwned-body-tick` 'single' \"double\" \\\n"
    "PAYDOWN_EOF\n"
    "touch pwned-after-eof\n"
    "PAYDOWN_EOF_"
)
FAKE_GH = """#!{python}
import json, os, sys
body = sys.stdin.buffer.read().decode() if "--body-file" in sys.argv else None
with open(os.environ["GH_LOG"], "a") as log:
    log.write(json.dumps({{"args": sys.argv[1:], "stdin": body}}) + "\\n")
"""


@pytest.fixture
def hostile(project1, alice, bob):
    """A submitted plan whose first step (data-b) has a hostile question text and advice."""
    data = small_bank()
    question = data["categories"][0]["questions"][1]
    question["text"] = HOSTILE_TEXT + "\nPAYDOWN_EOF\ntouch pwned-title-eof"
    question["remediation"][1]["advice"] = HOSTILE_ADVICE
    version = bank_services.publish_version(version=files.import_data(data))
    assessment = services.start_assessment(
        project=project1, version=version, started_by=alice, title="Hostile"
    )
    factories.answer(assessment, alice, {"data-a": 2, "data-b": 1, "code-a": 0})
    return services.submit_assessment(assessment=assessment, by=bob)


def run_with_fake_gh(script: str, tmp_path) -> tuple[list[str], list[dict]]:
    """Run the script with sh in an empty folder, `gh` recording its calls; the folder's files
    after the run, and each call's arguments and stdin."""
    bin_dir, work, log = tmp_path / "bin", tmp_path / "work", tmp_path / "gh.log"
    bin_dir.mkdir()
    work.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable))
    gh.chmod(0o755)
    (work / "issues.sh").write_text(script, encoding="utf-8")
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "LC_ALL": "C.UTF-8",
        "REPO": "acme/models",
        "GH_LOG": str(log),
    }
    ran = subprocess.run(
        ["sh", "issues.sh"],
        cwd=work,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    return sorted(path.name for path in work.iterdir()), calls


def test_the_hostile_text_runs_in_a_naive_script(tmp_path):
    """The test below means something: a fixed terminator or an unquoted here-document would run
    the hostile advice."""
    naive = (
        f"cat >/dev/null <<'PAYDOWN_EOF'\n{HOSTILE_ADVICE}\nPAYDOWN_EOF\n"
        f"cat >/dev/null <<EOF\n{HOSTILE_ADVICE}\nEOF\n"
    )
    subprocess.run(["sh", "-c", naive], cwd=tmp_path, capture_output=True, timeout=60)

    assert {"pwned-after-eof", "pwned-body"} <= {path.name for path in tmp_path.iterdir()}


def test_a_hostile_plan_runs_nothing_and_passes_each_body_through_exactly(
    client_for, alice, hostile, tmp_path
):
    client = client_for(alice)
    items = json.loads(plan_file(client, hostile, "github.json").getvalue())["items"]
    script = text(plan_file(client, hostile, "github.sh"))

    files_after, calls = run_with_fake_gh(script, tmp_path)

    assert files_after == ["issues.sh"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bin", "gh.log", "work"]
    # The body holds PAYDOWN_EOF and PAYDOWN_EOF_ lines: its terminator is longer than both.
    assert "<<'PAYDOWN_EOF__'\n" in script
    assert "PAYDOWN_EOF\ntouch pwned-after-eof\nPAYDOWN_EOF_\n" in items[0]["body"]
    slug = hostile.project.slug
    assert items[0]["title"] == (
        f"[paydown:{slug}:data-b] {HOSTILE_TEXT} PAYDOWN_EOF touch pwned-title-eof"
    )
    created = [call for call in calls if call["args"][:2] == ["issue", "create"]]
    assert [(call["args"], call["stdin"]) for call in created] == [
        (
            [
                "issue",
                "create",
                "--repo",
                "acme/models",
                "--title",
                item["title"],
                "--body-file",
                "-",
                *[arg for label in item["labels"] for arg in ("--label", label)],
            ],
            item["body"],
        )  # fmt: skip
        for item in items
    ]
    assert [call["args"] for call in calls if call["args"][0] == "label"][0] == [
        "label", "create", "--repo", "acme/models", "paydown"
    ]  # fmt: skip


def test_a_nul_byte_cannot_make_a_terminator_line(tmp_path):
    # sh drops NUL bytes as it reads, so "PAYDOWN_EOF\0" would read as the terminator.
    item = tracker_exports.TrackerItem(
        title="[paydown:p:q] Q",
        body="Step.\nPAYDOWN_EOF\x00\ntouch pwned-nul\n",
        labels=("paydown",),
        priority="High",
    )
    script = tracker_exports.github_script([item], filename="p.sh", about="a test")

    files_after, calls = run_with_fake_gh(script, tmp_path)

    assert files_after == ["issues.sh"]
    assert calls[-1]["stdin"] == "Step.\nPAYDOWN_EOF\ntouch pwned-nul\n"


def test_csv_cells_that_would_start_a_formula_are_neutralised(
    client_for, alice, submitted, project1
):
    factories.make_tracked_action(
        project1, submitted, "code-a", title='=HYPERLINK("http://x")', advice="@SUM(A1)"
    )
    client = client_for(alice)

    backlog = csv_rows(
        client.get(reverse("assessment:backlog_export", args=[project1.slug, "csv"]))
    )
    jira = csv_rows(backlog_file(client, project1, "jira.csv"))

    assert backlog[1][2:4] == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    assert jira[1][0] == f'[paydown:{project1.slug}:code-a] =HYPERLINK("http://x")'
    assert jira[1][2].startswith('\'=HYPERLINK("http://x")\n\n**Step to level 1:** @SUM(A1)\n')


@pytest.mark.parametrize("tracker_file", TRACKER_FILES)
def test_plan_tracker_files_are_404_for_another_team_and_before_submit(
    client_for, alice, carol, submitted, tracker_file
):
    in_progress = services.start_assessment(
        project=submitted.project, version=submitted.version, started_by=alice, title="Open"
    )

    assert plan_file(client_for(carol), submitted, tracker_file).status_code == 404
    assert plan_file(client_for(alice), in_progress, tracker_file).status_code == 404
    assert backlog_file(client_for(carol), submitted.project, tracker_file).status_code == 404


@pytest.mark.parametrize(
    "path", ["plan/tracker/gitlab.json", "plan/tracker/github.sh.txt", "plan/tracker/jira.xml"]
)
def test_unknown_tracker_files_are_404(client_for, alice, submitted, path):
    assert client_for(alice).get(f"/assessments/{submitted.pk}/{path}").status_code == 404


# --- The backlog ------------------------------------------------------------------------------


@pytest.fixture
def backlog(submitted, project1, alice, bob):
    """One action in each status: open (alice's, due), in progress (bob's), and three closed."""
    open_one = factories.make_tracked_action(
        project1, submitted, "data-b", title="How is data-b handled?", advice="Reach 2.",
        from_value=1, to_value=2, owner=alice, due=date(2027, 1, 31),
    )  # fmt: skip
    in_progress = factories.make_tracked_action(
        project1, submitted, "code-a", status="in_progress", owner=bob
    )
    closed = [
        factories.make_tracked_action(project1, submitted, key, status=status)
        for key, status in [("data-a", "done"), ("data-c", "wont_do"), ("code-b", "accepted_risk")]
    ]
    return [open_one, in_progress, *closed]


def test_backlog_json_has_every_action_in_the_pages_order(
    client_for, alice, submitted, backlog, django_assert_num_queries
):
    client = client_for(alice)

    with django_assert_num_queries(BACKLOG_QUERIES):
        response = client.get(
            reverse("assessment:backlog_export", args=[submitted.project.slug, "json"])
        )

    data = json.loads(response.getvalue())
    open_one = TrackedAction.objects.get(pk=backlog[0].pk)
    assert response["Content-Disposition"] == (
        f'attachment; filename="{submitted.project.slug}-backlog.json"'
    )
    assert (data["schema"], data["project"]) == ("paydown.backlog/1", submitted.project.slug)
    assert data["actions"][0] == {
        "question": "data-b",
        "category": "data",
        "title": "How is data-b handled?",
        "advice": "Reach 2.",
        "from_level": 1,
        "to_level": 2,
        "status": "open",
        "owner": "alice",
        "due": "2027-01-31",
        "source": {"assessment": submitted.pk, "title": "Q3 review"},
        "created": open_one.created.isoformat(),
        "updated": open_one.updated.isoformat(),
    }
    assert [(a["question"], a["status"], a["owner"]) for a in data["actions"]] == [
        ("data-b", "open", "alice"),
        ("code-a", "in_progress", "bob"),
        ("data-a", "done", None),
        ("data-c", "wont_do", None),
        ("code-b", "accepted_risk", None),
    ]


def test_backlog_csv_has_one_row_per_action(
    client_for, alice, submitted, backlog, django_assert_num_queries
):
    client = client_for(alice)

    with django_assert_num_queries(BACKLOG_QUERIES):
        response = client.get(
            reverse("assessment:backlog_export", args=[submitted.project.slug, "csv"])
        )

    rows = csv_rows(response)
    created = TrackedAction.objects.get(pk=backlog[1].pk).created.isoformat()
    assert rows[0] == BACKLOG_HEADER
    assert rows[2][:11] == ["code-a", "code", "Improve code-a", "Start.", "", "1",
                            "in_progress", "bob", "", str(submitted.pk), "Q3 review"]  # fmt: skip
    assert rows[2][11] == created
    assert len(rows) == 6


def test_backlog_tracker_files_carry_only_open_work_with_owner_and_due(
    client_for, alice, submitted, backlog, django_assert_num_queries
):
    client = client_for(alice)
    slug, pk = submitted.project.slug, submitted.pk

    with django_assert_num_queries(BACKLOG_QUERIES):
        response = backlog_file(client, submitted.project, "jira.csv")

    rows = csv_rows(response)
    assert response["Content-Disposition"] == f'attachment; filename="{slug}-backlog-jira.csv"'
    assert rows[0] == JIRA_HEADER
    assert rows[1] == [
        f"[paydown:{slug}:data-b] How is data-b handled?",
        "Task",
        "How is data-b handled?\n"
        "\n"
        "**Step from level 1 to level 2:** Reach 2.\n"
        "\n"
        "- Status: open\n"
        "- Owner: alice\n"
        "- Due: 2027-01-31\n"
        "\n"
        f"From the remediation plan of {slug}, assessment {pk} (Q3 review):"
        f" http://testserver/assessments/{pk}/plan/#action-data-b\n"
        "\n"
        f"Tracked in the project's backlog: http://testserver/projects/{slug}/backlog/\n",
        "Medium",
        "paydown paydown-data paydown-backlog",
        "alice",
        "2027-01-31",
    ]
    assert [row[0] for row in rows[1:]] == [
        f"[paydown:{slug}:data-b] How is data-b handled?",
        f"[paydown:{slug}:code-a] Improve code-a",
    ]
    assert rows[2][3:] == ["Medium", "paydown paydown-code paydown-backlog", "bob", ""]


@pytest.mark.parametrize("tracker_file", ["github.json", "gitlab.csv"])
def test_backlog_github_and_gitlab_files_skip_closed_actions(
    client_for, alice, submitted, backlog, tracker_file
):
    response = backlog_file(client_for(alice), submitted.project, tracker_file)

    if tracker_file == "github.json":
        titles = [item["title"] for item in json.loads(response.getvalue())["items"]]
    else:
        titles = [row[0] for row in csv_rows(response)[1:]]
    assert [title.split("] ")[1] for title in titles] == [
        "How is data-b handled?",
        "Improve code-a",
    ]


def test_backlog_exports_are_404_for_another_team(client_for, carol, submitted):
    for fmt in ("csv", "json"):
        url = reverse("assessment:backlog_export", args=[submitted.project.slug, fmt])

        assert client_for(carol).get(url).status_code == 404
