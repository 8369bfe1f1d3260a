"""A published version never changes, even when the admin is bypassed."""

import pytest

from banks.models import BankVersion, Category, Level, PublishedVersionError, Question


def test_draft_content_can_change(draft):
    question = Question.objects.get(version=draft, key="data-a")

    question.text = "Edited"
    question.save()

    assert Question.objects.get(pk=question.pk).text == "Edited"


@pytest.mark.parametrize(
    "change",
    [
        lambda v: Question.objects.filter(version=v).first().save(),
        lambda v: Category.objects.filter(version=v).first().delete(),
        lambda v: Level.objects.filter(question__version=v).first().save(),
        lambda v: Question.objects.filter(version=v).update(weight=5),
        lambda v: Level.objects.filter(question__version=v).update(description="x"),
        lambda v: Level.objects.filter(question__version=v).delete(),
        lambda v: Category.objects.create(version=v, key="new", name="New"),
        lambda v: BankVersion.objects.filter(pk=v.pk).update(scale=[0, 1]),
        lambda v: BankVersion.objects.get(pk=v.pk).save(),
        lambda v: BankVersion.objects.get(pk=v.pk).delete(),
    ],
)
def test_published_content_refuses_every_change_through_the_model_layer(published, change):
    before = list(Level.objects.filter(question__version=published).values_list("description"))

    with pytest.raises(PublishedVersionError):
        change(published)

    after = list(Level.objects.filter(question__version=published).values_list("description"))
    assert after == before
    assert Question.objects.filter(version=published, weight=5).count() == 0


def test_retiring_a_published_version_is_allowed(published):
    from banks import services as bank_services

    bank_services.retire_version(version=published)

    assert BankVersion.objects.get(pk=published.pk).status == BankVersion.Status.RETIRED
