"""Reads tuned per page for question banks and assessments."""

from django.db.models import Prefetch

from assessment.models import BankVersion, Category, Question


def version_to_export(*, slug: str, number: int | None = None) -> BankVersion | None:
    """The requested version, else the latest published, else the latest of any status."""
    versions = BankVersion.objects.filter(bank__slug=slug).select_related("bank")
    if number is not None:
        return versions.filter(number=number).first()
    return (
        versions.filter(status=BankVersion.Status.PUBLISHED).order_by("-number").first()
        or versions.order_by("-number").first()
    )


def version_for_preview(*, slug: str, number: int) -> BankVersion | None:
    """A version with its categories, questions, levels and references: four queries."""
    questions = Question.objects.order_by("order", "pk").prefetch_related("levels")
    return (
        BankVersion.objects.select_related("bank")
        .prefetch_related(
            Prefetch(
                "categories",
                queryset=Category.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("questions", queryset=questions)
                ),
            )
        )
        .filter(bank__slug=slug, number=number)
        .first()
    )
