"""The portfolio dashboard: permissions, numbers, filters, sorting, scale, the member summary and
the portfolio's CSV and JSON exports."""

import csv
import io
import json
import math
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from assessment import exports, services
from assessment.demo import backdate_submit
from projects.models import Project
from tests import factories
from tests.pages import HTMX, squeeze, table_headed

URL = "/dashboard/"

# session
# user
# the teams the user manages
# the banks (filter choices)
# the category keys (sortable columns)
# the bank's categories (the table's columns)
# the visible projects (a count on the team index)
# the assessed and stale ones (a count on the latest results' index)
#   (with a filter, these two are one count over the join, and the level distribution of the
#   kept projects one more query: the same number)
# the score histograms added up from the teams' counts (percentiles; the level distribution)
# the page: the ids of 50 kept projects in order
# those 50 projects with their latest results' scores
# the page's pieces of evidence and the stale ones, counted per latest assessment (a page of
#   never-assessed projects has none to count: no query)
# the overall scores over time of the first rows
# the questions most projects answer at level 1 or below, from the teams' counts
# the newest wording of those questions and the bank's advice for them
# the three kept projects with the lowest overall scores (the "Weakest projects" strip)
DASHBOARD_QUERIES = 16


def portfolio_rows(html: str) -> list[list[str]]:
    """The portfolio table's rows without the compare checkbox column; none when no project
    matches (the page says so instead of drawing the table)."""
    if "portfolio-table" not in html:
        assert "No project matches these filters." in html
        return []
    return [row[1:] for row in table_headed(html, "Compare", "Project", "Team")]


def test_manager_sees_their_teams_projects_with_their_latest_scores(
    client_for, bob, small_portfolio, django_assert_num_queries
):
    client = client_for(bob)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(URL, {"bank": "tiny"})

    today = f"{timezone.localdate():%-d %b %Y}"
    # Weakest first; never assessed last. Percentiles rank among the two scored projects.
    assert portfolio_rows(response.text) == [
        ["Weak model", "Search & Ranking", "16.7 p25", "25.0 p25", "0.0 p25", "—", today],
        ["Strong model", "Search & Ranking", "100.0 p75", "100.0 p75", "100.0 p75", "—", today],
        ["Unassessed model", "Search & Ranking", "—", "—", "—", "—", "never"],
    ]
    assert "Other team model" not in response.text
    assert table_headed(response.text, "Category", "Ad hoc", "Repeatable") == [
        ["Data", "0", "1", "0", "0", "1"],
        ["Code", "1", "0", "0", "0", "1"],
    ]
    assert table_headed(response.text, "Project", "Scores, oldest first") == [
        ["Weak model", "16.7"],
        ["Strong model", "100.0"],
    ]


def test_htmx_requests_get_the_portfolio_partial(
    client_for, bob, small_portfolio, django_assert_num_queries
):
    client = client_for(bob)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(URL, {"bank": "tiny", "sort": "name"}, headers=HTMX)

    # The form's sort field out of band, then the region.
    oob_sort = (
        '<input type="hidden" name="sort" value="name" id="portfolio-sort" hx-swap-oob="true">'
    )
    assert response.text.lstrip().startswith(oob_sort + '\n  <div id="portfolio">')
    assert "<html" not in response.text and 'id="portfolio-form"' not in response.text
    assert [row[0] for row in portfolio_rows(response.text)] == [
        "Strong model",
        "Unassessed model",
        "Weak model",
    ]


@pytest.mark.parametrize("size", [10, 1000])
def test_query_count_is_the_same_for_any_portfolio_size(
    client_for, bob, team1, published, size, django_assert_num_queries
):
    projects = Project.objects.bulk_create(
        Project(team=team1, name=f"Model {n:04d}", slug=f"model-{n}") for n in range(size)
    )
    assessed = projects[:: max(1, size // 20)]
    levels = [n % 3 for n in range(len(assessed))]
    for project, level in zip(assessed, levels, strict=True):
        factories.make_result(project, published, bob, {"data-a": level})
    client = client_for(bob)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(URL, {"bank": "tiny", "sort": "name"})

    text = squeeze(response.text)
    assert f'Projects shown</span><span class="kpi-value small">{size}</span>' in text
    assert (
        f'Never assessed</span><span class="kpi-value small">{size - len(assessed)}</span>' in text
    )
    rows = portfolio_rows(response.text)
    assert [row[0] for row in rows] == [p.name for p in projects[:50]]  # one page, by name
    # data-a at level 0, 1, 2 of 2: data 0, 25 or 50; code 0; overall 0, 16.7 or 33.3
    overall = {0: "0.0", 1: "16.7", 2: "33.3"}
    by_name = {row[0]: row[2].split()[0] for row in rows}
    for project, level in zip(assessed, levels, strict=True):
        if project.name in by_name:
            assert by_name[project.name] == overall[level], project.name
    assert table_headed(response.text, "Category", "Ad hoc") == [
        ["Data", *(str(levels.count(level)) for level in range(3)), "0", "0"],
        ["Code", str(len(assessed)), "0", "0", "0", "0"],
    ]
    at_most_one = sum(1 for level in levels if level <= 1)
    gap = f"{at_most_one} of {len(assessed)} projects</strong> are at level 1 or below on:"
    assert f"{gap} How is data-a handled?" in text

    # A filter: the counts over the join and the kept projects' levels, as many queries.
    with django_assert_num_queries(DASHBOARD_QUERIES):
        fresh = client.get(URL, {"bank": "tiny", "sort": "name", "staleness": "fresh"})

    assert [row[0] for row in portfolio_rows(fresh.text)] == [p.name for p in assessed][:50]
    assert table_headed(fresh.text, "Category", "Ad hoc") == table_headed(
        response.text, "Category", "Ad hoc"
    )


def test_every_number_equals_the_project_results_page(client_for, bob, small_portfolio):
    client = client_for(bob)
    rows = {row[0]: row for row in portfolio_rows(client.get(URL, {"bank": "tiny"}).text)}

    for project in ("strong", "weak"):
        result = small_portfolio[project].assessments.get().result
        results_page = client.get(reverse("assessment:results", args=[result.assessment_id]))
        on_results_page = table_headed(results_page.text, "Category", "Score", "Target")
        row = rows[small_portfolio[project].name]
        assert row[2].split()[0] == str(result.overall)
        assert [cell.split()[0] for cell in row[3:5]] == [score for _, score, *_ in on_results_page]


def test_sorting_and_filtering(client_for, bob, small_portfolio):
    client = client_for(bob)

    def names(**params):
        return [row[0] for row in portfolio_rows(client.get(URL, {"bank": "tiny", **params}).text)]

    assert names(sort="overall") == ["Weak model", "Strong model", "Unassessed model"]
    assert names(sort="-overall") == ["Strong model", "Weak model", "Unassessed model"]
    assert names(sort="-data") == ["Strong model", "Weak model", "Unassessed model"]
    assert names(min_score="90") == ["Strong model"]
    assert names(max_score="50") == ["Weak model"]
    assert names(level="0") == ["Weak model"]
    assert names(staleness="never") == ["Unassessed model"]
    assert names(staleness="fresh") == ["Weak model", "Strong model"]


def test_stale_projects_are_flagged(client_for, bob, small_portfolio):
    strong = small_portfolio["strong"].assessments.get()
    backdate_submit(strong, timezone.now() - timedelta(days=10))
    client = client_for(bob)

    everything = client.get(URL, {"bank": "tiny", "stale_days": "5"}).text
    stale_only = client.get(URL, {"bank": "tiny", "stale_days": "5", "staleness": "stale"}).text

    assert [row[-1].endswith("stale") for row in portfolio_rows(everything)] == [False, True, False]
    assert "latest assessment older than 5 days" in everything
    assert [row[0] for row in portfolio_rows(stale_only)] == ["Strong model"]


def test_comparing_projects_draws_a_radar_and_a_table(client_for, bob, small_portfolio):
    chosen = [small_portfolio["strong"].slug, small_portfolio["weak"].slug]

    response = client_for(bob).get(URL, {"bank": "tiny", "compare": chosen})

    assert 'id="radar-data"' in response.text
    assert table_headed(response.text, "Project", "Data", "Code") == [
        ["Strong model", "100.0", "100.0"],
        ["Weak model", "25.0", "0.0"],
    ]
    radar = json.loads(
        response.text.split('<script id="radar-data" type="application/json">')[1].split(
            "</script>"
        )[0]
    )
    assert [trace["name"] for trace in radar["data"]] == ["Strong model", "Weak model"]


@pytest.mark.parametrize(
    "params",
    [{"sort": "drop table"}, {"min_score": "abc"}, {"min_score": "80", "max_score": "20"},
     {"compare": ["not-a-project"]}, {"level": "9"}, {"page": "-1"}, {"page": "abc"},
     {"page": "0"}, {"page": str(10**30)}, {"sort": "__import__"}, {"sort": "-"},
     {"search": "x" * 10_000}, {"search": "a\x00b"}, {"staleness": "rotten"},
     {"team": "risk-models"}, {"stale_days": "0"}, {"compare": [f"p{n}" for n in range(9)]}],
)  # fmt: skip
def test_tampered_query_strings_get_a_400_and_the_default_view(
    client_for, bob, small_portfolio, params
):
    response = client_for(bob).get(URL, {"bank": "tiny", **params})

    assert response.status_code == 400
    assert "were not understood" in response.text
    # The default view: the default bank, on which no project of the portfolio has a result.
    assert [row[2] for row in portfolio_rows(response.text)] == ["—", "—", "—"]
    assert "Other team model" not in response.text


def test_common_gaps_count_projects(client_for, bob, small_portfolio):
    text = squeeze(client_for(bob).get(URL, {"bank": "tiny"}).text)

    assert "1 of 2 projects</strong> are at level 1 or below on: How is data-a handled?" in text
    assert "1 of 2 projects</strong> are at level 1 or below on: How is code-a handled?" in text
    assert "Next step: Reach 2." in text


@pytest.fixture
def default_bank_results(shipped_banks, small_portfolio, bob, carol):
    """Results on the default bank: strong twice (the later one counts), other once."""
    version = shipped_banks["ml-technical-debt"]
    keys = [q.key for q in version.questions.all()]
    factories.make_result(small_portfolio["strong"], version, bob, dict.fromkeys(keys, 2))
    latest = factories.make_result(small_portfolio["strong"], version, bob, dict.fromkeys(keys, 1))
    factories.make_result(small_portfolio["other"], version, carol, dict.fromkeys(keys, 1))
    return latest


def test_member_gets_their_own_projects_summary_not_the_dashboard(
    client_for, alice, default_bank_results, django_assert_num_queries
):
    client = client_for(alice)

    # session
    # user
    # the teams the user manages (none)
    # the user's teams
    # the banks their projects have results on, most recently used first
    # that bank's categories
    # the count of their projects
    # the count of those assessed and stale
    # the score histograms of their teams (percentiles)
    # every project in order with its latest result and category scores on that bank
    with django_assert_num_queries(10):
        response = client.get(URL)

    latest = default_bank_results
    rows = table_headed(response.text, "Project", "Team", "Overall")
    assert [row[:3] for row in rows] == [
        ["Strong model", "Search & Ranking", str(latest.overall)],
        ["Unassessed model", "Search & Ranking", "—"],
        ["Weak model", "Search & Ranking", "—"],
    ]
    # The columns are the bank's newest version's categories; a result on version 1 has no
    # evaluation category, which version 2 added.
    scores = {c.key: str(c.score) for c in latest.categories.all()}
    newest = [
        "data",
        "code",
        "feedback-loops",
        "configuration",
        "evaluation",
        "operations",
        "skills",
    ]
    assert rows[0][3:-1] == [scores.get(key, "—") for key in newest]
    assert "Other team model" not in response.text
    assert "heatmap-data" not in response.text and 'id="portfolio-form"' not in response.text


def test_member_summary_shows_results_on_any_bank(client_for, alice, small_portfolio):
    response = client_for(alice).get(URL)

    overall = {row[0]: row[2] for row in table_headed(response.text, "Project", "Team", "Overall")}
    assert overall["Strong model"] == "100.0"


def test_portfolio_json_carries_the_dashboard_numbers(
    client_for, bob, small_portfolio, django_assert_num_queries
):
    client = client_for(bob)

    # session
    # user
    # the teams the user manages
    # the banks (filter choices)
    # the category keys (sortable columns)
    # the bank's categories
    # the score histograms of every visible project (percentiles)
    # the kept projects in order with their latest results' scores, fetched in chunks of 500
    # as the body streams
    # the audit log's entry for the download
    with django_assert_num_queries(9):
        response = client.get(
            reverse("assessment:portfolio_export", args=["json"]), {"bank": "tiny"}
        )
        body = b"".join(response.streaming_content)

    data = json.loads(body)
    assert body.decode() == exports.canonical_json(data)  # streamed, yet the same bytes
    assert response["Content-Disposition"] == 'attachment; filename="paydown-portfolio.json"'
    assert data["schema"] == "paydown.portfolio/1"
    assert data["filters"]["bank"] == "tiny"
    assert [(p["name"], p["overall"], p["overall_percentile"]) for p in data["projects"]] == [
        ("Weak model", 16.7, 25),
        ("Strong model", 100.0, 75),
        ("Unassessed model", None, None),
    ]
    assert data["projects"][0]["categories"] == {
        "data": {"score": 25.0, "percentile": 25},
        "code": {"score": 0.0, "percentile": 25},
    }


def test_portfolio_csv_follows_the_filters(client_for, bob, small_portfolio):
    response = client_for(bob).get(
        reverse("assessment:portfolio_export", args=["csv"]), {"bank": "tiny", "min_score": "50"}
    )

    assert response.streaming
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == [
        "project",
        "name",
        "team",
        "overall",
        "last_assessed",
        "stale",
        "data",
        "code",
    ]
    assert [row[:4] + row[5:] for row in rows[1:]] == [
        [small_portfolio["strong"].slug, "Strong model", "Search & Ranking", "100.0", "False",
         "100.0", "100.0"],
    ]  # fmt: skip


def test_portfolio_exports_are_for_managers(client_for, alice, small_portfolio):
    for fmt in ("csv", "json"):
        url = reverse("assessment:portfolio_export", args=[fmt])
        assert client_for(alice).get(url).status_code == 403


def test_a_page_shows_fifty_rows_and_the_next_page_the_rest(client_for, bob, team1, published):
    Project.objects.bulk_create(
        Project(team=team1, name=f"Model {n:02d}", slug=f"model-{n}") for n in range(60)
    )
    client = client_for(bob)

    first = client.get(URL, {"bank": "tiny", "sort": "name"})
    second = client.get(URL, {"bank": "tiny", "sort": "name", "page": "2"})
    beyond = client.get(URL, {"bank": "tiny", "sort": "name", "page": "99"})

    assert [row[0] for row in portfolio_rows(first.text)] == [f"Model {n:02d}" for n in range(50)]
    assert [row[0] for row in portfolio_rows(second.text)] == [
        f"Model {n:02d}" for n in range(50, 60)
    ]
    assert "Page 1 of 2" in first.text and "Page 2 of 2" in second.text
    # A number past the end shows the last page, as a bookmark of a portfolio that shrank would.
    assert (beyond.status_code, portfolio_rows(beyond.text)) == (200, portfolio_rows(second.text))
    # The pager keeps the bank and the sort.
    assert 'href="?bank=tiny&amp;sort=name&amp;page=2"' in first.text


def test_search_finds_projects_by_name_in_any_case(client_for, bob, small_portfolio):
    client = client_for(bob)

    def names(search):
        params = {"bank": "tiny", "search": search}
        return [row[0] for row in portfolio_rows(client.get(URL, params).text) if row]

    assert names("MODEL") == ["Weak model", "Strong model", "Unassessed model"]
    assert names("strong") == ["Strong model"]
    assert names("  weak ") == ["Weak model"]
    assert names("%") == []  # a wildcard is matched as itself
    assert names("other team") == []  # another team's project, even by its exact name


def test_the_sort_survives_a_filter_change(client_for, bob, small_portfolio):
    client = client_for(bob)
    params = {"bank": "tiny", "sort": "-overall", "staleness": "fresh", "search": "model"}

    page = client.get(URL, params).text
    partial = client.get(URL, params, headers=HTMX).text

    # The form that a filter change submits carries the sort ...
    assert '<input type="hidden" name="sort" value="-overall" id="portfolio-sort">' in page
    assert 'name="sort" value="-overall" id="portfolio-sort" hx-swap-oob="true"' in partial
    # ... and the sort links carry the filters and the search.
    link = "?bank=tiny&amp;sort=overall&amp;staleness=fresh&amp;search=model"
    assert f'href="{link}"' in page and f'hx-get="{link}"' in page
    assert [row[0] for row in portfolio_rows(page)] == ["Strong model", "Weak model"]


def test_percentiles_stay_over_every_visible_project_when_filtered(
    client_for, bob, small_portfolio
):
    client = client_for(bob)

    filtered = client.get(URL, {"bank": "tiny", "min_score": "90"}).text
    searched = client.get(URL, {"bank": "tiny", "search": "weak"}).text

    # Ranked among the two scored projects bob sees, not among the one the filter kept.
    assert portfolio_rows(filtered)[0][:5] == [
        "Strong model", "Search & Ranking", "100.0 p75", "100.0 p75", "100.0 p75",
    ]  # fmt: skip
    assert portfolio_rows(searched)[0][:3] == ["Weak model", "Search & Ranking", "16.7 p25"]
    assert "of 3 you can see" in squeeze(filtered)


def test_percentiles_round_half_to_even_as_before(client_for, bob, team1, published):
    # Eight scored projects, all different: the lowest sits at 100 × 0.5 / 8 = 6.25 -> 6, the
    # fourth at 100 × 3.5 / 8 = 43.75 -> 44; ties share the middle of their run.
    levels = [0, 1, 1, 2, 2, 2, 2, 2]
    for n, level in enumerate(levels):
        project = factories.make_project(team1, f"Model {n}")
        factories.make_result(project, published, bob, {"data-a": level})

    rows = portfolio_rows(client_for(bob).get(URL, {"bank": "tiny", "sort": "name"}).text)

    # overall 0, 16.7, 33.3: below + at/2 of 8 -> 0.5, 2, 5.5 -> 6.25, 25, 68.75
    assert [row[2] for row in rows] == [
        "0.0 p6", "16.7 p25", "16.7 p25", *["33.3 p69"] * 5,
    ]  # fmt: skip


def test_a_query_string_of_another_team_never_shows_its_projects(client_for, bob, small_portfolio):
    other = small_portfolio["other"]
    client = client_for(bob)

    for params in ({"team": "risk-models"}, {"compare": [other.slug]}, {"search": other.name}):
        response = client.get(URL, {"bank": "tiny", **params})
        shown = [row[0] for row in portfolio_rows(response.text) if row]
        assert "Other team model" not in shown, params
        assert response.status_code in (200, 400), params
        assert "Compared projects" not in response.text, params

    export = client.get(reverse("assessment:portfolio_export", args=["csv"]), {"bank": "tiny"})
    assert "Other team model" not in export.getvalue().decode()


def test_a_large_export_streams_every_row_in_chunks(client_for, bob, team1, published):
    Project.objects.bulk_create(
        Project(team=team1, name=f"Model {n:04d}", slug=f"model-{n}") for n in range(1200)
    )

    response = client_for(bob).get(
        reverse("assessment:portfolio_export", args=["csv"]), {"bank": "tiny", "sort": "name"}
    )

    assert response.streaming
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert len(rows) == 1 + 1200
    assert [row[1] for row in rows[1:]] == [f"Model {n:04d}" for n in range(1200)]


def test_a_category_scored_over_mostly_na_questions_is_marked_low_confidence(
    client_for, bob, team1, published
):
    gaming = factories.make_project(team1, "Gaming model")
    assessment = services.start_assessment(
        project=gaming, version=published, started_by=bob, title="Mostly N/A"
    )
    factories.answer(assessment, bob, {"data-a": "na", "data-b": 2, "code-a": 1})
    services.submit_assessment(assessment=assessment, by=bob)

    html = client_for(bob).get(URL, {"bank": "tiny"}).text

    # data: 100 over one of its two questions (the other N/A); code: 50, nothing N/A.
    assert portfolio_rows(html) == [
        ["Gaming model", "Search & Ranking", "83.3 p50", "100.0? low confidence: mostly N/A p50",
         "50.0 p50", "—", f"{timezone.localdate():%-d %b %Y}"],
    ]  # fmt: skip


def weakest_strip(html: str) -> list[str]:
    """The "Weakest projects" items as text, in order."""
    strip = html.split('id="weakest-projects-title"', 1)[1].split("</section>", 1)[0]
    return [squeeze(unescape(strip_tags(item))) for item in strip.split("<li>")[1:]]


def test_the_weakest_projects_and_their_weakest_category_come_first_whatever_the_sort(
    client_for, bob, small_portfolio
):
    client = client_for(bob)

    # Sorted by name, on the second page or not, the strip still starts from the lowest score;
    # Strong model's categories tie at 100: the first key, as its results page picks it.
    response = client.get(URL, {"bank": "tiny", "sort": "-name"})

    weak = small_portfolio["weak"].assessments.get()
    strong = small_portfolio["strong"].assessments.get()
    assert weakest_strip(response.text) == [
        "Weak model · 16.7 overall Search & Ranking Weakest: Code 0.0 — why Weak model →",
        "Strong model · 100.0 overall Search & Ranking Weakest: Code 100.0 — why Strong model →",
    ]
    assert f'href="/assessments/{weak.pk}/results/#weakest-title"' in response.text
    assert f'href="/assessments/{strong.pk}/results/#weakest-title"' in response.text
    # The filters apply to the strip too.
    strong_only = client.get(URL, {"bank": "tiny", "search": "strong"})
    assert [item.split(" · ")[0] for item in weakest_strip(strong_only.text)] == ["Strong model"]


def test_the_heatmap_comes_before_the_common_gaps_which_fold_away(client_for, bob, small_portfolio):
    response = client_for(bob).get(URL, {"bank": "tiny"})

    text = response.text
    assert text.index('id="weakest-projects-title"') < text.index('data-chart="heatmap-data"')
    assert text.index('data-chart="heatmap-data"') < text.index("Where one investment helps")
    assert '<details class="panel gaps-panel">' in text  # closed until asked
    # Nothing ticked: a one-line hint, not an empty chart card.
    assert "Tick two to five projects in the table to compare them." in text
    assert "radar-data" not in text and "Compared projects" not in text


@pytest.mark.parametrize(
    "params",
    [{"search": "no such project"}, {"staleness": "stale"}, {"min_score": "99", "max_score": "99"}],
)
def test_a_filter_that_keeps_no_project_says_so_instead_of_drawing_empty_charts(
    client_for, bob, small_portfolio, params
):
    response = client_for(bob).get(URL, {"bank": "tiny", **params})

    assert response.status_code == 200
    assert "No project matches these filters." in response.text
    assert "data-chart=" not in response.text  # no chart at all, so no empty axes
    assert "portfolio-table" not in response.text
    assert "Weakest projects" not in response.text


def test_projects_never_assessed_get_no_empty_heatmap(client_for, bob, small_portfolio):
    response = client_for(bob).get(URL, {"bank": "tiny", "staleness": "never"})

    assert [row[0] for row in portfolio_rows(response.text)] == ["Unassessed model"]
    assert "there are no scores to draw" in response.text
    assert "data-chart=" not in response.text


def test_dashboard_charts_go_without_plotly_toolbar_and_the_heatmap_without_colour_bar(
    client_for, bob, small_portfolio
):
    response = client_for(bob).get(URL, {"bank": "tiny", "compare": ["strong-model"]})

    figures = {
        name: response.context[name] for name in ("heatmap", "trends", "distribution", "radar")
    }
    assert {name: figure["config"] for name, figure in figures.items()} == {
        name: {"displayModeBar": False} for name in figures
    }
    # plotly draws a colour bar's fills with style attributes, which the CSP refuses.
    assert figures["heatmap"]["data"][0]["showscale"] is False
    assert figures["heatmap"]["layout"]["xaxis"]["side"] == "top"


def test_a_german_dashboard_names_categories_and_gaps_in_german(
    client_for, bob, shipped_banks, small_portfolio
):
    version = shipped_banks["ml-technical-debt-v3"]
    keys = [q.key for q in version.questions.all()]
    factories.make_result(small_portfolio["strong"], version, bob, dict.fromkeys(keys, 1))
    german = version.translations["categories/data"]["de"]["name"]
    client = client_for(bob)

    response = client.get(URL, {"bank": "ml-technical-debt"}, headers={"Accept-Language": "de"})
    in_english = squeeze(client.get(URL, {"bank": "ml-technical-debt"}).text)

    in_german = squeeze(response.text)
    [gap, *_] = response.context["data"].common_gaps
    assert german != "Data" and f">{german}<" in in_german and f">{german}<" not in in_english
    assert gap.text == version.translations[f"questions/{gap.key}"]["de"]["text"]
    assert gap.text not in in_english


def test_an_ml_test_score_trend_is_drawn_in_points_not_on_the_0_100_scale(
    client_for, bob, project1, shipped_banks
):
    """The ML Test Score's final score is points (the weakest section's sum, Breck et al.), not
    a 0–100 score: its trend's axis said "Score (0–30 of 0–100)". It is drawn in whole points
    from 0, one above the best."""
    version = shipped_banks["ml-test-score"]
    levels = {q.key: 1 for q in version.questions.all()}
    first = factories.make_result(project1, version, bob, levels, title="All tests")
    backdate_submit(first.assessment, timezone.now() - timedelta(days=60))
    second = factories.make_result(project1, version, bob, {}, title="None")

    figure = client_for(bob).get(URL, {"bank": version.bank.slug}).context["trends"]

    (line,) = figure["data"]
    assert line["y"] == [float(first.overall), float(second.overall)]
    axis = figure["layout"]["yaxis"]
    assert axis["title"]["text"] == "Points"
    assert axis["range"] == [0, math.ceil(first.overall) + 1] and axis["dtick"] == 1
