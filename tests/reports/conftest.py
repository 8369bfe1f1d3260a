"""Fixtures of the report tests: a queue that keeps its tasks, and a counter of PDF renders."""

import pytest
from django_tasks import default_task_backend

from assessment.reports import pdf


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A storage of each test's own: rows roll back after a test, files would stay behind."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dummy_tasks(settings):
    """Enqueued tasks are kept, not run: the view's own work is measured, the worker is away."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return default_task_backend


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """Every WeasyPrint render, one entry each."""
    calls: list[int] = []
    render_pdf = pdf.render_pdf

    def counted(html: str) -> bytes:
        calls.append(len(html))
        return render_pdf(html)

    monkeypatch.setattr(pdf, "render_pdf", counted)
    return calls
