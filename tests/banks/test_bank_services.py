"""Publishing validates and freezes a draft; a new draft copies a version whole."""

import pytest

from banks import files
from banks import services as bank_services
from banks.models import BankVersion, Level, Question


def test_publish_reports_every_problem_at_once_and_changes_nothing(draft):
    Level.objects.filter(question__version=draft, question__key="data-a", value=2).delete()
    Question.objects.filter(version=draft, key="code-a").update(prerequisites=["ghost"])

    with pytest.raises(files.BankFileError) as caught:
        bank_services.publish_version(version=draft)

    assert caught.value.errors == [
        'category "data", question "data-a", levels: expected 3, got 2',
        'category "code", question "code-a", prerequisites: unknown question key \'ghost\'',
    ]
    assert BankVersion.objects.get(pk=draft.pk).status == BankVersion.Status.DRAFT


def test_publish_sets_status_and_date(draft):
    bank_services.publish_version(version=draft)

    stored = BankVersion.objects.get(pk=draft.pk)
    assert stored.status == BankVersion.Status.PUBLISHED
    assert stored.published_at is not None


def test_new_draft_copies_the_version_whole(published):
    draft = bank_services.new_draft_from(version=published)

    assert (draft.number, draft.status) == (2, BankVersion.Status.DRAFT)
    original = files.version_to_data(files.version_for_export(published.pk))
    copy = files.version_to_data(files.version_for_export(draft.pk))
    for key in ("version", "changelog"):
        original.pop(key), copy.pop(key)
    assert copy == original
    # Editing the copy leaves the published original alone.
    Question.objects.filter(version=draft, key="data-a").update(text="Sharper wording")
    assert Question.objects.get(version=published, key="data-a").text == "How is data-a handled?"
