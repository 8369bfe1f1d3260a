"""Reads of question banks: the versions new assessments use, exports and previews."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Prefetch

from banks.localize import Texts
from banks.models import BankVersion, Category, Question

DEFAULT_BANK = "ml-technical-debt"


def latest_published(slug: str = DEFAULT_BANK) -> BankVersion | None:
    """The newest published version of a bank, with its bank: what new assessments use."""
    return (
        BankVersion.objects.published()
        .filter(bank__slug=slug)
        .select_related("bank")
        .order_by("-number")
        .first()
    )


def published_version(slug: str, number: int) -> BankVersion | None:
    """One published version of a bank (not a draft, nor a retired one): None otherwise."""
    return BankVersion.objects.published().filter(bank__slug=slug, number=number).first()


def latest_published_versions() -> list[BankVersion]:
    """The newest published version of every bank, by bank name: the choices to start with."""
    latest: dict[int, BankVersion] = {}
    for version in (
        BankVersion.objects.published().select_related("bank").order_by("bank__name", "-number")
    ):
        latest.setdefault(version.bank_id, version)
    return list(latest.values())


def version_to_export(*, slug: str, number: int | None = None) -> BankVersion | None:
    """The requested version, else the latest published, else the latest of any status."""
    versions = BankVersion.objects.filter(bank__slug=slug).select_related("bank")
    if number is not None:
        return versions.filter(number=number).first()
    return latest_published(slug) or versions.order_by("-number").first()


def versions_with_content(*levels_and_more: str) -> "models.QuerySet[BankVersion]":
    """Versions with their categories and questions in bank order, each question with the given
    relations prefetched (levels, remediations): one query per relation."""
    questions = Question.objects.order_by("order", "pk").prefetch_related(*levels_and_more)
    return BankVersion.objects.select_related("bank").prefetch_related(
        Prefetch(
            "categories",
            queryset=Category.objects.order_by("order", "pk").prefetch_related(
                Prefetch("questions", queryset=questions)
            ),
        )
    )


def scale_of(version: BankVersion) -> list[Decimal]:
    return [Decimal(str(value)) for value in version.scale]


@dataclass(frozen=True)
class TargetChoices:
    """What a project's targets are chosen from: the latest published default bank's categories
    (key, name), scale and risk tiers (key, name)."""

    categories: list[tuple[str, str]] = field(default_factory=list)
    scale: list[Decimal] = field(default_factory=list)
    tiers: list[tuple[str, str]] = field(default_factory=list)


def default_bank_target_choices() -> TargetChoices:
    version = latest_published()
    if version is None:
        return TargetChoices()
    texts = Texts(version)
    return TargetChoices(
        categories=[
            (key, texts.category_name(key, name))
            for key, name in version.categories.order_by("order").values_list("key", "name")
        ],
        scale=scale_of(version),
        tiers=[(tier["key"], tier["name"]) for tier in texts.tiers(version.tiers)],
    )
