"""The cast: alice (member, team 1), bob (manager, team 1), carol (member, team 2), admin (staff)."""

import contextlib
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from assessment import services
from banks import files
from banks import services as bank_services
from projects.models import Membership
from tests import factories
from tests.banks.bank_data import small_bank

# Property-based tests take their size from a profile, never from their own decorator: "ci" is quick
# and the same on every run; `make fuzz` selects "fuzz" for thousands of cases per test.
hypothesis_settings.register_profile(
    "ci",
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
hypothesis_settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("PAYDOWN_FUZZ_EXAMPLES", "1000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def empty_cache():
    """Counters kept in the cache (API budgets, password-reset emails) start at zero each test."""
    cache.clear()


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"


@pytest.fixture
def team1(db):
    return factories.make_team("Search & Ranking")


@pytest.fixture
def team2(db):
    return factories.make_team("Risk Models")


@pytest.fixture
def alice(team1):
    user = factories.make_user("alice")
    factories.add_member(team1, user, Membership.Role.MEMBER)
    return user


@pytest.fixture
def bob(team1):
    user = factories.make_user("bob")
    factories.add_member(team1, user, Membership.Role.MANAGER)
    return user


@pytest.fixture
def carol(team2):
    user = factories.make_user("carol")
    factories.add_member(team2, user, Membership.Role.MEMBER)
    return user


@pytest.fixture
def admin_user(db):
    return factories.make_user("admin", is_staff=True)


@pytest.fixture
def project1(team1):
    return factories.make_project(team1, "Query ranker")


@pytest.fixture
def project2(team2):
    return factories.make_project(team2, "Fraud scoring")


@pytest.fixture
def client_for(client):
    """Log a user in on the test client: `client_for(alice).get(...)`."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def draft(db):
    """A draft version of the small test bank."""
    return files.import_data(small_bank())


@pytest.fixture
def published(draft):
    return bank_services.publish_version(version=draft)


@pytest.fixture
def shipped_banks(db):
    """The shipped bank versions by file name: ml-technical-debt (version 1), ml-test-score,
    ml-technical-debt-v2 and ml-technical-debt-v3 (version 2 with German texts)."""
    return {
        path.stem: version
        for path, version in zip(files.SHIPPED_BANKS, files.load_shipped_banks(), strict=True)
    }


@pytest.fixture
def assessment(published, project1, alice):
    """An in-progress assessment of project 1 against the small published bank."""
    return services.start_assessment(
        project=project1, version=published, started_by=alice, title="Q3 review"
    )


@pytest.fixture
def submitted(assessment, alice, bob):
    """The assessment answered by alice and submitted by bob.

    data (weight 2): (1×2/2 + 1×1/2) ÷ 2 = 75; code (weight 1): 0; overall (2×75 + 0) ÷ 3 = 50.
    """
    factories.answer(
        assessment,
        alice,
        {"data-a": 2, "data-b": 1, "code-a": 0},
        notes={"data-a": "Schema checked in CI."},
        links={"data-a": "https://ci.example/schema"},
    )
    return services.submit_assessment(assessment=assessment, by=bob)


@pytest.fixture
def small_portfolio(published, team1, team2, bob, carol):
    """Three team-1 projects on the small bank (one never assessed) and one team-2 project."""
    strong = factories.make_project(team1, "Strong model")
    weak = factories.make_project(team1, "Weak model")
    factories.make_project(team1, "Unassessed model")
    other = factories.make_project(team2, "Other team model")
    factories.make_result(strong, published, bob, {"data-a": 2, "data-b": 2, "code-a": 2})
    factories.make_result(weak, published, bob, {"data-a": 1})
    factories.make_result(other, published, carol, {"data-a": 2})
    return {"strong": strong, "weak": weak, "other": other}


@pytest.fixture
def unsure(published, project1, alice, bob):
    """Submitted with alice saying "don't know" on data-a, where bob says 2."""
    assessment = services.start_assessment(
        project=project1, version=published, started_by=alice, title="Unsure"
    )
    factories.answer(assessment, alice, {"data-a": "?", "data-b": 1, "code-a": 0})
    factories.answer(assessment, bob, {"data-a": 2, "data-b": 1, "code-a": 0})
    services.submit_assessment(assessment=assessment, by=bob)
    return assessment


@pytest.fixture
def carried_over(submitted, bob):
    """A reassessment of `submitted` that starts from its team answers, each marked carried over."""
    return services.start_assessment(
        project=submitted.project,
        version=submitted.version,
        started_by=bob,
        title="Q4 review",
        carry_over=True,
    )


TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")


@pytest.fixture
def assert_statements():
    """Like django_assert_num_queries, but leaves out transaction control (SAVEPOINT, RELEASE,
    BEGIN): the test's own transaction turns a view's atomic block into savepoints, and SQLite
    logs the BEGIN that PostgreSQL leaves implicit, so the count is the same on both databases.
    Shows the statements when the count differs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextlib.contextmanager
    def expect(count: int):
        with CaptureQueriesContext(connection) as captured:
            yield captured
        statements = [
            q["sql"]
            for q in captured.captured_queries
            if not q["sql"].startswith(TRANSACTION_CONTROL)
        ]
        if len(statements) != count:
            listing = "\n\n".join(statements)
            pytest.fail(f"Expected {count} statements, {len(statements)} ran:\n\n{listing}")

    return expect
