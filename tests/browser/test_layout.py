"""Every main page at a phone's width (390×844) and a laptop's (1366×900): nothing wider than the
window, no label cut in the charts or their data tables, and no console error (issue #18)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessment import services
from assessment.models import Assessment
from projects.models import Membership
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

WIDTHS = [(390, 844), (1366, 900)]

# The page is wider than the window: name the element sticking out furthest that no scrolling
# container of its own holds (that one is the culprit, not the body that grew around it).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const scrollWidth = document.scrollingElement.scrollWidth;
  if (scrollWidth <= width) return null;
  const scrolls = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  let widest = null;
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= width + 0.5 || scrolls(el)) continue;
    if (!widest || box.right > widest.right + 0.5) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + [...el.classList].map((c) => "." + c).join("");
      widest = {right: Math.round(box.right), name, text: el.textContent.trim().slice(0, 50)};
    }
  }
  return {scrollWidth, widest};
}"""

# Cut text in tables: a cell whose text overflows it (an ellipsis, a hidden overflow), or a cell
# that a container clips silently. Sideways scrolling is fine only in a container a keyboard can
# reach and a screen reader can name (tabindex="0" and a label), with its cue.
CUT_CELLS = """() => {
  const problems = [];
  const named = (el) => el.getAttribute("tabindex") === "0"
    && (el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby"));
  // Django's admin changelist scrolls its own table in div.results (its markup, not ours).
  const admin = (el) => el.matches("#changelist .results");
  for (const cell of document.querySelectorAll("main table th, main table td")) {
    const text = cell.textContent.trim().replace(/\\s+/g, " ").slice(0, 40);
    if (!cell.getClientRects().length || !text) continue;
    if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`text cut in its cell: ${text}`);
    const box = cell.getBoundingClientRect();
    for (let up = cell.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === "visible" || admin(up)) continue;
      const frame = up.getBoundingClientRect();
      if (frame.width <= 1) break;  // visually hidden, for screen readers (a stacked table's head)
      const clipped = box.right > frame.right + 1 || box.left < frame.left - 1;
      if (clipped && !named(up)) problems.push(`cut by ${up.tagName.toLowerCase()}.${up.className}: ${text}`);
      break;
    }
  }
  for (const el of document.querySelectorAll("main *")) {
    const style = getComputedStyle(el);
    const scrolls = ["auto", "scroll"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    if (scrolls && el.tagName !== "TEXTAREA" && !named(el) && !admin(el)) {
      problems.push(`scrolls sideways out of the keyboard's reach: ${el.tagName.toLowerCase()}.${el.className}`);
    }
  }
  return [...new Set(problems)];
}"""

# Plotly's labels (category ticks, axis numbers, legend entries) inside the chart's box and not
# on top of each other ("80100" on a radar), and no toolbar drawn over the legend.
CHART_LABELS = r"""() => {
  const problems = [];
  const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  document.querySelectorAll(".chart").forEach((chart) => {
    const frame = chart.getBoundingClientRect();
    const name = chart.dataset.chart;
    const labels = [...chart.querySelectorAll(".xtick text, .ytick text, .angularaxistick text, .legendtext")]
      .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width)  // plotly hides some
      .map((t) => ({text: t.textContent, box: t.getBoundingClientRect(), kind: t.parentElement.getAttribute("class"),
                    tilted: /rotate\((?!0[,)])/.test(t.getAttribute("transform") || "")}));
    if (!chart.querySelector("svg")) problems.push(`${name}: not drawn`);
    for (const label of labels) {
      const b = label.box;
      if (b.left < frame.left - 1 || b.right > frame.right + 1 || b.top < frame.top - 1 || b.bottom > frame.bottom + 1) {
        problems.push(`${name}: label outside the chart: ${label.text} (${[b.left, b.right, b.top, b.bottom].map(Math.round)} in ${[frame.left, frame.right, frame.top, frame.bottom].map(Math.round)})`);
      }
    }
    labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => {
      // A tilted label's box is no measure of its text (plotly tilts labels so they never meet).
      if (a.kind === b.kind && !a.tilted && !b.tilted && overlap(a.box, b.box)) problems.push(`${name}: labels collide: ${a.text} / ${b.text}`);
    }));
    const bar = chart.querySelector(".modebar");
    if (bar && bar.getClientRects().length) problems.push(`${name}: plotly's toolbar, over the legend on hover or tap`);
  });
  return problems;
}"""


def _date(days_ago: int):
    return timezone.now() - timedelta(days=days_ago)


@pytest.fixture
def portfolio(shipped_banks, team1, team2, alice, bob, carol, admin_user):
    """The default bank (54 questions, six categories), a project with five submitted assessments
    a quarter apart and an open reassessment, a tracked step, and four more projects."""
    bank = shipped_banks["ml-technical-debt"]
    questions = list(bank.questions.select_related("category").order_by("category__order", "order"))
    assert len(questions) == 54
    factories.add_member(team1, carol, Membership.Role.MEMBER)
    # The admin's bank list asks for the bank permissions a superuser has.
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_superuser"])
    project = factories.make_project(team1, "Query ranker")
    submitted = []
    for n in range(5):
        # Low scores that climb slowly (about 20 to 50 of 100): the history chart must fit them.
        levels = {q.key: min(4, (index + n) % 3 + (n > 3)) for index, q in enumerate(questions)}
        title = ["2025 Q3", "2025 Q4", "2026 Q1", "2026 Q2", "2026 Q3"][n] + " review"
        result = factories.make_result(project, bank, bob, levels, title=title)
        Assessment.objects.filter(pk=result.assessment_id).update(submitted_at=_date(90 * (5 - n)))
        submitted.append(result.assessment)
    latest = submitted[-1]
    open_one = services.start_assessment(
        project=project, version=bank, started_by=bob, title="2026 Q4 reassessment", carry_over=True
    )
    factories.answer(open_one, alice, {q.key: 2 for q in questions[:12]})
    factories.answer(open_one, carol, {q.key: 3 for q in questions[:6]})
    services.add_comment(
        assessment=open_one,
        question_id=questions[0].pk,
        author=alice,
        text="Schema checks run in CI.",
    )
    first = questions[-1]
    factories.make_tracked_action(
        project, latest, key=first.key, category_key=first.category.key, title=first.text,
        advice="Name an owner for every production model and pipeline, next to its code.",
    )  # fmt: skip
    others = []
    for index, name in enumerate(["Fraud scoring", "Churn forecaster", "Ad click model", "ETA"]):
        other = factories.make_project(team1, name)
        factories.make_result(
            other, bank, bob, {q.key: (index + i) % 5 for i, q in enumerate(questions)}
        )
        others.append(other)
    return {"project": project, "latest": latest, "first": submitted[0], "open": open_one,
            "others": others, "team": team1, "bank": bank}  # fmt: skip


def _member_pages(data) -> list[tuple[str, str]]:
    project, latest, open_one = data["project"], data["latest"], data["open"]
    return [
        ("home", "/"),
        ("project", project.get_absolute_url()),
        ("questionnaire", open_one.get_absolute_url()),
        ("questionnaire, one category", f"{open_one.get_absolute_url()}?category=code"),
        ("discuss", f"/assessments/{open_one.pk}/discuss/"),
        ("results", f"/assessments/{latest.pk}/results/"),
        ("plan", f"/assessments/{latest.pk}/plan/"),
        ("history", f"/projects/{project.slug}/history/"),
        ("compare", f"/projects/{project.slug}/compare/?a={data['first'].pk}&b={latest.pk}"),
        ("backlog", f"/projects/{project.slug}/backlog/"),
        ("profile", "/accounts/profile/"),
        ("team people", f"/teams/{data['team'].slug}/people/"),
    ]


def _manager_pages(data) -> list[tuple[str, str]]:
    project, open_one = data["project"], data["open"]
    return [
        *_member_pages(data),
        ("submit", f"/assessments/{open_one.pk}/submit/"),
        ("audit log", f"/projects/{project.slug}/audit/"),
    ]


def _staff_pages(data) -> list[tuple[str, str]]:
    return [
        ("bank preview", f"/banks/{data['bank'].bank.slug}/v{data['bank'].number}/preview/"),
        ("admin bank list", "/admin/banks/bankversion/"),
        ("staff audit log", "/audit/"),
    ]


def _dashboard_pages(data) -> list[tuple[str, str]]:
    compare = "&".join(f"compare={p.slug}" for p in [data["project"], *data["others"]])
    return [("dashboard", "/dashboard/"), ("dashboard, five compared", f"/dashboard/?{compare}")]


def _problems(browser, live_server, username: str, pages) -> dict[str, list]:
    found = {}
    for width, height in WIDTHS:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        page = context.new_page()
        errors = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error, e=errors: e.append(str(error)))
        if username != "anonymous":
            log_in(page, username)
        for name, url in pages:
            errors.clear()
            response = page.goto(url)
            page.wait_for_load_state("networkidle")
            # An error page would fit the window too: each page must be the page asked for.
            problems = [] if response.status == 200 else [f"status {response.status}"]
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                widest = overflow["widest"]
                problems.append(
                    f"page {overflow['scrollWidth']} px wide; widest: {widest and widest['name']} "
                    f"({widest and widest['right']} px) {widest and widest['text']!r}"
                )
            problems += page.evaluate(CUT_CELLS)
            problems += page.evaluate(CHART_LABELS)
            problems += [f"console: {message[:160]}" for message in errors]
            if problems:
                found[f"{name} at {width} px ({url})"] = problems
        context.close()
    return found


def _report(found: dict[str, list]) -> str:
    return "\n".join(f"{where}:\n  " + "\n  ".join(problems) for where, problems in found.items())


def test_the_login_page_fits_a_phone_and_a_laptop(browser, live_server, db):
    found = _problems(browser, live_server, "anonymous", [("login", "/accounts/login/")])
    assert not found, _report(found)


@pytest.mark.parametrize(
    ("username", "pages"),
    [
        pytest.param("alice", _member_pages, id="member"),
        pytest.param("bob", _manager_pages, id="manager"),
        pytest.param("admin", _staff_pages, id="staff"),
        pytest.param("bob", _dashboard_pages, id="dashboard"),
    ],
)
def test_main_pages_fit_a_phone_and_a_laptop_with_nothing_cut(
    browser, live_server, portfolio, username, pages
):
    found = _problems(browser, live_server, username, pages(portfolio))
    assert not found, _report(found)
