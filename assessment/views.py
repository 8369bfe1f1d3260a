"""Views for question banks and assessments."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from assessment import queries


def bank_preview(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A bank version exactly as respondents will see the questionnaire; staff only."""
    if not request.user.is_staff:
        raise Http404
    version = queries.version_for_preview(slug=slug, number=number)
    if version is None:
        raise Http404
    categories = list(version.categories.all())
    question_count = sum(len(category.questions.all()) for category in categories)
    context = {"version": version, "categories": categories, "question_count": question_count}
    return render(request, "assessment/bank_preview.html", context)
