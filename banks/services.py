"""Writes: publish, retire and copy bank versions."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from banks import files, validation
from banks.models import BankVersion


@transaction.atomic
def publish_version(*, version: BankVersion) -> BankVersion:
    """Validate a draft and publish it; raises BankFileError with every problem found."""
    version = BankVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise files.BankFileError([f"version {version.number} is already {version.status}"])
    errors = validation.validate(files.version_to_data(files.version_for_export(version.pk)))
    if errors:
        raise files.BankFileError(errors)
    version.status = BankVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


@transaction.atomic
def retire_version(*, version: BankVersion) -> BankVersion:
    """Hide a published version from new assessments; past results keep pointing at it."""
    version = BankVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != BankVersion.Status.PUBLISHED:
        raise files.BankFileError(
            [f"only a published version can be retired, not a {version.status}"]
        )
    version.status = BankVersion.Status.RETIRED
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def new_draft_from(*, version: BankVersion) -> BankVersion:
    """Copy a version whole into a new draft numbered after the bank's latest version."""
    data = files.version_to_data(files.version_for_export(version.pk))
    latest = BankVersion.objects.filter(bank_id=version.bank_id).aggregate(n=Max("number"))["n"]
    data.update(
        version=latest + 1,
        changelog=f"Draft from version {version.number}.",
    )
    return files.import_data(data)
