"""The cast: alice (member, team 1), bob (manager, team 1), carol (member, team 2), admin (staff)."""

import pytest
from django.conf import settings

from assessment import services
from banks import files
from banks import services as bank_services
from projects.models import Membership
from tests import factories
from tests.banks.bank_data import small_bank


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
    return {version.bank.slug: version for version in files.load_shipped_banks()}


@pytest.fixture
def assessment(published, project1, alice):
    """An in-progress assessment of project 1 against the small published bank."""
    return services.start_assessment(
        project=project1, version=published, started_by=alice, title="Q3 review"
    )
