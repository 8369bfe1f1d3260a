"""Lighthouse's accessibility and best-practices scores on the main pages at a phone's width."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from assessment import services
from tests import factories
from tests.browser.conftest import TOOLS, chromium_path, require

pytestmark = pytest.mark.browser

LIGHTHOUSE = TOOLS / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
# Issue #18 asks for 95 in each. Accessibility is held at 100: its audits are axe's rules, which the
# axe test already requires to pass without a violation at 1280 px, and a single failing one (a faint
# colour, a small target) still scores 96. Best practices keeps 95, one audit's worth of slack.
MINIMUM = {"accessibility": 1.0, "best-practices": 0.95}
CATEGORIES = tuple(MINIMUM)

# Lighthouse's default mobile emulation (412 px wide, touch), since issue #18 asks for every page on
# a phone and axe already checks them at 1280 px. The default throttling ("simulate") loads at full
# speed and waits for a second of quiet, where "provided" would wait five: with only these two
# categories and no screenshot, a page takes 10-20 s, most of it starting node and chromium.
OPTIONS = [
    "--only-categories=" + ",".join(CATEGORIES),
    "--output=json",
    "--quiet",
    "--disable-full-page-screenshot",
    "--max-wait-for-load=30000",
    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
]


def lighthouse(url: str, *, cookie: str | None, output: Path) -> dict:
    """Run the Lighthouse CLI on `url` (its own chromium) and return the report as a dict."""
    command = [str(LIGHTHOUSE), url, *OPTIONS, f"--output-path={output}"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    environment = {**os.environ, "CHROME_PATH": chromium_path()}
    run = subprocess.run(command, env=environment, timeout=180, capture_output=True, text=True)
    assert run.returncode == 0, f"lighthouse {url} failed: {run.stderr[-2000:]}"
    return json.loads(output.read_text())


def shortfalls(report: dict) -> list[str]:
    """Each category under its MINIMUM with its score and the failing audits that count towards it:
    id, title and the first elements named, so the report says what to fix without a rerun."""
    problems = []
    for name in CATEGORIES:
        category = report["categories"][name]
        if category["score"] >= MINIMUM[name]:
            continue
        problems.append(f"{name} {category['score']:.2f}")
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] == 0 or audit["score"] is None or audit["score"] >= 1:
                continue
            items = (audit.get("details") or {}).get("items") or []
            problems.append(f"  {ref['id']}: {audit['title']}")
            problems.extend(f"    {where(item)}" for item in items[:3])
    return problems


def where(item: dict) -> str:
    """An audit item as a line: the element's selector, or a console message and its source."""
    if node := item.get("node"):
        return f"{node.get('selector')}: {node.get('nodeLabel', '')[:80]!r}"
    source = item.get("sourceLocation") or {}
    location = f" at {source['url']}:{source.get('line')}:{source.get('column')}" if source else ""
    return f"{item.get('description', item.get('issueType', ''))[:160]}{location}"


def test_main_pages_pass_every_accessibility_audit_and_95_in_best_practices(
    live_server, client_for, bob, team1, project1, shipped_banks, tmp_path
):
    require(
        chromium_path() is not None and LIGHTHOUSE.exists() and shutil.which("node") is not None,
        "Lighthouse needs node, chromium and npm ci --prefix tools/lighthouse (make test does it)",
    )
    # The shipped 54-question bank, as teams use it: long category names, a plan of many steps, a
    # trend of two quarters, and questionnaire counts of two digits (axe reports the contrast of a
    # one-character text as "needs review", never as a violation: a count of 3 hides a faint colour).
    version = shipped_banks["ml-technical-debt-v2"]
    keys = list(version.questions.values_list("key", flat=True))
    factories.make_result(
        project1, version, bob, {k: i % 3 for i, k in enumerate(keys)}, title="Q1"
    )
    levels = {k: (i + 1) % 4 for i, k in enumerate(keys)}
    submitted = factories.make_result(project1, version, bob, levels, title="Q2").assessment
    reassessment = services.start_assessment(
        project=project1, version=version, started_by=bob, title="Q3", carry_over=True
    )
    other = factories.make_project(team1, "Spell correction")
    factories.make_result(other, version, bob, dict.fromkeys(keys, 1), title="Q2")
    # A session made by the test client, sent by Lighthouse's chromium as a header: logging in
    # through the form would need a browser session that the CLI cannot share.
    client = client_for(bob)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    pages = {
        "/accounts/login/": None,
        "/": cookie,
        f"/projects/{project1.slug}/": cookie,
        reassessment.get_absolute_url(): cookie,
        f"/assessments/{submitted.pk}/results/": cookie,
        f"/assessments/{submitted.pk}/plan/": cookie,
        f"/projects/{project1.slug}/history/": cookie,
        f"/dashboard/?bank={version.bank.slug}": cookie,
        "/accounts/profile/": cookie,
    }

    found = {}
    for number, (path, session) in enumerate(pages.items()):
        report = lighthouse(
            live_server.url + path, cookie=session, output=tmp_path / f"{number}.json"
        )
        # A page that redirected (to the login form, say) was not the page meant to be scored.
        assert report["finalDisplayedUrl"] == live_server.url + path
        found[path] = shortfalls(report)

    failing = [line for path, problems in found.items() if problems for line in [path, *problems]]
    assert failing == [], "\n" + "\n".join(failing)
