"""Helpers for posting answers the way the questionnaire does."""

from django.urls import reverse

HTMX = {"HX-Request": "true"}


def answer_url(assessment, key: str) -> str:
    return reverse("assessment:save_answer", args=[assessment.pk, key])


def post_answer(client, assessment, key: str, choice: str = "", htmx: bool = True, **fields):
    data = {"choice": choice, "notes": "", "links": "", "na_reason": "", "na_detail": "", **fields}
    return client.post(answer_url(assessment, key), data, headers=HTMX if htmx else {})


def squeeze(html: str) -> str:
    """The page with runs of white space folded, to assert on text that templates wrap."""
    return " ".join(html.split())
