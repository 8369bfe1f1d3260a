"""Writes: publish, retire and copy bank versions."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from paydown.bankfile import validation

from audit.log import Action, record
from banks import files
from banks.models import BankVersion, Question


@transaction.atomic
def publish_version(*, version: BankVersion, by=None) -> BankVersion:
    """Validate a draft and publish it; raises BankFileError with every problem found."""
    version = BankVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise files.BankFileError([f"version {version.number} is already {version.status}"])
    data = files.version_to_data(files.version_for_export(version.pk))
    # A draft edited in the admin has no file whose positions a message could point into: each
    # problem names its category and question by key.
    errors = validation.name_by_keys(validation.validate(data), data)
    errors += _key_map_errors(version)
    if errors:
        raise files.BankFileError(errors)
    version.status = BankVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    record(Action.BANK_PUBLISH, by=by, subject=_label(version))
    return version


def _key_map_errors(version: BankVersion) -> list[str]:
    """The key map names every question of the previous version it claims to follow, so that no
    trend ends without the file saying so."""
    previous = version.previous_version
    if not previous:
        return []
    keys = list(
        Question.objects.filter(
            version__bank_id=version.bank_id, version__number=previous["version"]
        ).values_list("key", flat=True)
    )
    if not keys:
        return [f"previous_version.version: this bank has no version {previous['version']}"]
    return [
        f"previous_version.keys: '{key}' of version {previous['version']} is not mapped; map it "
        "to its successor, or to null if it ends"
        for key in keys
        if key not in previous["keys"]
    ]


@transaction.atomic
def retire_version(*, version: BankVersion, by=None) -> BankVersion:
    """Hide a published version from new assessments; past results keep pointing at it."""
    version = BankVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != BankVersion.Status.PUBLISHED:
        raise files.BankFileError(
            [f"only a published version can be retired, not a {version.status}"]
        )
    version.status = BankVersion.Status.RETIRED
    version.save(update_fields=["status"])
    record(Action.BANK_RETIRE, by=by, subject=_label(version))
    return version


@transaction.atomic
def new_draft_from(*, version: BankVersion, by=None) -> BankVersion:
    """Copy a version whole into a new draft numbered after the bank's latest version."""
    data = files.version_to_data(files.version_for_export(version.pk))
    latest = BankVersion.objects.filter(bank_id=version.bank_id).aggregate(n=Max("number"))["n"]
    data.update(
        version=latest + 1,
        changelog=f"Draft from version {version.number}.",
    )
    data.pop("previous_version", None)  # a copy keeps every key: its trends simply continue
    draft = files.import_data(data)
    record(Action.BANK_DRAFT, by=by, subject=_label(draft), details={"from": version.number})
    return draft


@transaction.atomic
def import_draft(*, content: bytes, by) -> BankVersion:
    """A bank file uploaded by staff becomes a draft (banks.files.import_file)."""
    draft = files.import_file(content)
    record(Action.BANK_DRAFT, by=by, subject=_label(draft), details={"from": "file"})
    return draft


def _label(version: BankVersion) -> str:
    return f"{version.bank.slug} v{version.number}"
