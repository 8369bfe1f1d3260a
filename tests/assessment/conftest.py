import pytest

from assessment import banks, services
from tests.assessment.bank_data import small_bank


@pytest.fixture
def draft(db):
    """A draft version of the small test bank."""
    return banks.import_data(small_bank())


@pytest.fixture
def published(draft):
    return services.publish_version(version=draft)


@pytest.fixture
def shipped_banks(db):
    return {version.bank.slug: version for version in banks.load_shipped_banks()}
