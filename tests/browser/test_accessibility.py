"""axe-core (WCAG 2.2 A/AA rules) on the main pages, as each kind of user sees them."""

import pytest
from django.utils import timezone

from assessment import services
from assessment.models import Evidence
from assessment.services import scans
from tests.browser.conftest import TOOLS, log_in, require
from tests.factories import post_answer
from tests.questionnaire.test_scan_suggestions import DVC, scan_document

pytestmark = pytest.mark.browser

AXE = TOOLS / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("rules => axe.run(document, {runOnly: rules})", RULES)
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in result["violations"]]


def test_pages_have_no_axe_violations(browser, live_server, client_for, alice, bob, assessment):
    require(AXE.exists(), "axe-core is not installed: npm ci --prefix tools/axe")
    client = client_for(alice)
    for key, level in [("data-a", "2"), ("data-b", "0"), ("code-a", "1")]:
        post_answer(client, assessment, key, level, notes="Evidence in the wiki.")
    submitted = services.submit_assessment(assessment=assessment, by=bob)
    open_one = services.start_assessment(
        project=submitted.project, version=submitted.version, started_by=bob, title="Open"
    )
    # A scan's suggestion and stale evidence on the open questionnaire's cards (issue #15).
    scans.attach_scan(
        assessment=open_one, document=scan_document(**{"data-a": (2, "high", DVC)}), by=bob
    )
    post_answer(client_for(bob), open_one, "data-b", "1", links="https://wiki.example/b")
    Evidence.objects.filter(answer__assessment=open_one).update(stale_after=timezone.now())
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    login_problems = violations(page, "/accounts/login/")
    log_in(page, "bob")

    pages = [
        "/",
        f"/projects/{submitted.project.slug}/",
        submitted.get_absolute_url(),
        f"/assessments/{submitted.pk}/results/",
        f"/assessments/{submitted.pk}/plan/",
        f"/projects/{submitted.project.slug}/history/",
        f"/projects/{submitted.project.slug}/backlog/",
        "/dashboard/?bank=tiny",
        "/accounts/password/",
        open_one.get_absolute_url(),
        f"/assessments/{open_one.pk}/scans/",
        f"/teams/{submitted.project.team.slug}/people/",
        "/accounts/profile/",
        f"/assessments/{open_one.pk}/discuss/",
        f"/assessments/{open_one.pk}/submit/",
    ]
    found = {url: violations(page, url) for url in pages}
    context.close()

    assert login_problems == []
    assert {url: v for url, v in found.items() if v} == {}
