"""A submitted result's stored rows are cached by its integrity hash (issue #19): a second read of
the result costs fewer queries and gives the same page; what changes after submit is read afresh;
the same holds on Redis, and with Redis down the pages answer as without a cache."""

import hashlib
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from assessment.models import AssessmentResult
from assessment.results import cache as result_cache
from assessment.results import queries
from banks import files
from banks import services as bank_services
from config import settings as settings_module
from tests import factories
from tests.banks.test_bank_translations import german_small_bank
from tests.pages import table_headed
from tests.shared_cache import DEAD_REDIS, dead_redis, local_redis

__all__ = ["dead_redis", "local_redis"]  # fixtures


def results_url(assessment) -> str:
    return reverse("assessment:results", args=[assessment.pk])


def export_url(assessment) -> str:
    return reverse("assessment:results_export", args=[assessment.pk, "json"])


def without_tokens(html: str) -> str:
    """The page less its CSRF tokens, which are masked afresh on every response."""
    return re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"', r"\1", html)


def cached_relations(result: AssessmentResult) -> list[str]:
    return [
        relation
        for relation in result_cache.ROWS
        if cache.get(result_cache.key(result.integrity_sha256, relation)) is not None
    ]


# session
# user
# the assessment ⋈ project, team, version, bank, where the user may see the project
# its result ⋈ version, bank
# (cold only: the result's categories, the result's questions)
# the result's answer snapshots' evidence (judged stale or not as of now: never cached)
# the project's previous result
# earlier tracked actions of the project ⋈ owner, source
# the project's accepted risks ⋈ who accepted them
# respondents per stated role, and their mean level per category and role
RESULTS_PAGE_COLD = 12  # as pinned in test_results_page.py
RESULTS_PAGE_WARM = 10


def test_a_second_read_of_the_results_page_hits_the_cache(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)
    result = AssessmentResult.objects.get(assessment=submitted)

    with django_assert_num_queries(RESULTS_PAGE_COLD):
        cold = client.get(results_url(submitted))
    assert cached_relations(result) == ["categories", "questions"]
    with django_assert_num_queries(RESULTS_PAGE_WARM):
        warm = client.get(results_url(submitted))

    assert cold.status_code == warm.status_code == 200
    assert without_tokens(warm.text) == without_tokens(cold.text)
    assert "How is data-a handled?" in warm.text


# session
# user
# the assessment ⋈ project, team, version, bank, where the user may see the project
# its result ⋈ version, bank
# (cold only: its categories, its questions, its answer snapshots)
# the audit log's entry for the download
EXPORT_COLD = 8  # as pinned in test_exports.py
EXPORT_WARM = 5


def test_a_second_export_hits_the_cache_and_still_matches_the_hash(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)
    result = AssessmentResult.objects.get(assessment=submitted)

    with django_assert_num_queries(EXPORT_COLD):
        cold = client.get(export_url(submitted)).getvalue()
    with django_assert_num_queries(EXPORT_WARM):
        warm = client.get(export_url(submitted)).getvalue()

    assert warm == cold
    assert hashlib.sha256(warm).hexdigest() == result.integrity_sha256
    assert cached_relations(result) == ["categories", "questions", "answers"]


def test_cached_rows_are_the_stored_rows(submitted):
    first = queries.load_result(submitted, answers=True)  # from the database, then kept
    second = queries.load_result(submitted, answers=True)  # from the cache

    for relation in result_cache.ROWS:
        stored, cached = list(getattr(first, relation).all()), list(getattr(second, relation).all())
        assert cached == stored  # same primary keys, in the same order
        assert [vars(row) | {"_state": None} for row in cached] == [
            vars(row) | {"_state": None} for row in stored
        ]
        assert all(row.result is second for row in cached)


def test_what_changes_after_submit_is_read_afresh(client_for, alice, submitted):
    client = client_for(alice)
    before = client.get(results_url(submitted))  # the rows are cached
    project = submitted.project
    project.targets = {"data": "1"}  # the team agrees a lower target for data after submit
    project.save(update_fields=["targets"])

    after = client.get(results_url(submitted))

    header = ("Category", "Score", "Target", "Level")
    assert [row[:3] for row in table_headed(before.text, *header)] == [
        ["Data", "75.0", "100.0"],
        ["Code", "0.0", "100.0"],
    ]
    assert [row[:3] for row in table_headed(after.text, *header)] == [
        ["Data", "75.0", "50.0"],
        ["Code", "0.0", "100.0"],
    ]


def test_a_result_without_a_hash_yet_is_never_cached(submitted):
    result = AssessmentResult.objects.select_related("version__bank").get(assessment=submitted)
    result.integrity_sha256 = ""  # as while the submit is hashing it

    result_cache.prefetch_rows(result, ["categories", "questions"])

    assert [c.key for c in result.categories.all()] == ["data", "code"]
    assert cache.get(result_cache.key("", "categories")) is None


def test_each_language_reads_its_own_translation_of_the_cached_rows(
    client_for, alice, bob, project1
):
    version = bank_services.publish_version(version=files.import_data(german_small_bank()))
    result = factories.make_result(project1, version, bob, {"data-a": 2, "data-b": 1})
    client = client_for(alice)

    english = client.get(results_url(result.assessment))
    german = client.get(results_url(result.assessment), headers={"Accept-Language": "de"})
    english_again = client.get(results_url(result.assessment))

    assert cached_relations(result) == ["categories", "questions"]
    assert "Wie wird data-a behandelt?" in german.text
    assert "Wie wird data-a behandelt?" not in english.text + english_again.text
    assert "How is data-a handled?" in english_again.text
    assert without_tokens(english_again.text) == without_tokens(english.text)


def test_on_redis_a_second_read_hits_the_cache(
    client_for, alice, submitted, local_redis, django_assert_num_queries
):
    client = client_for(alice)
    result = AssessmentResult.objects.get(assessment=submitted)
    client.get(results_url(submitted))  # sessions are cached too: the first read warms both

    with django_assert_num_queries(RESULTS_PAGE_WARM - 1):  # the session from Redis as well
        warm = client.get(results_url(submitted))

    assert warm.status_code == 200
    assert cached_relations(result) == ["categories", "questions"]
    assert local_redis.get(result_cache.key(result.integrity_sha256, "questions"))[0][0] == (
        result.questions.first().pk
    )


@pytest.mark.parametrize("url_of", [results_url, export_url])
def test_with_redis_down_pages_answer_as_without_a_cache(
    client_for, alice, submitted, url_of, settings
):
    client = client_for(alice)
    normal = client.get(url_of(submitted))
    normal_body = normal.getvalue()

    settings.CACHES = settings_module.redis_caches(DEAD_REDIS)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    first, second = client.get(url_of(submitted)), client.get(url_of(submitted))

    assert normal.status_code == first.status_code == second.status_code == 200
    for response in (first, second):
        assert without_tokens(response.getvalue().decode()) == without_tokens(normal_body.decode())
