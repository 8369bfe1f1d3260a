"""PDF reports: gather the data, render HTML with the report templates, turn it into PDF bytes,
and, run by the worker, keep them in the default storage."""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from paydown import scoring

from assessment import access, charts
from assessment.dashboard import queries as portfolio
from assessment.models import (
    AnswerSnapshot,
    Assessment,
    AssessmentResult,
    QuestionResult,
    ReportJob,
)
from assessment.reports import svg_charts
from assessment.results import queries as results
from assessment.services import submission
from banks import queries as bank_queries
from banks.models import Level

REPORT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "report.css"


def render_pdf(html: str) -> bytes:
    # Reports embed everything they show (charts carry data: images); fetching any other URL from
    # report HTML could leak data or reach internal services, so only data: is allowed.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=["data"])
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None)
    # Tagged PDF (PDF/UA-1 mode): structure for screen readers; no validator here to claim more.
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)


def integrity_hash(assessment: Assessment, result: AssessmentResult | None = None) -> str:
    """SHA-256 of the canonical JSON export (results.json), recomputed from the stored rows; the
    report prints the one stored at submit (`AssessmentResult.integrity_sha256`), equal to it."""
    result = result or results.load_result(assessment, answers=True)
    return submission.results_sha256(assessment, result)


def assessment_report_name(result: AssessmentResult) -> str:
    """Where a result's audit report is stored. A submitted result never changes, so the hash of
    its export names its report for good."""
    return f"reports/assessments/{result.integrity_sha256}.pdf"


@dataclass
class QuestionDetail:
    result: QuestionResult
    level_label: str
    answers: list[AnswerSnapshot]
    evidence: results.QuestionEvidence | None = None  # judged as of the report's date

    @property
    def evidence_links(self) -> list[str]:
        return list(dict.fromkeys(link for a in self.answers for link in a.link_list))


def assessment_report_context(assessment: Assessment) -> dict:
    result = results.load_result(assessment, answers=True)
    # Results are hashed at submit (migration 0009 hashed the earlier ones): no second export.
    sha256 = result.integrity_sha256 or integrity_hash(assessment, result)
    # Evidence is judged stale as of the render: the report is kept, so it prints that date.
    page = results.result_page(assessment, result, as_of=timezone.now())
    plan = results.plan_page(assessment, result)
    labels = {
        (key, value): label
        for key, value, label in Level.objects.filter(question__version=result.version).values_list(
            "question__key", "value", "label"
        )
    }
    # What was stored at submit, never the live answer rows.
    answers_by_key: dict[str, list[AnswerSnapshot]] = defaultdict(list)
    for answer in result.answers.all():
        answers_by_key[answer.question_key].append(answer)
    respondents = sorted({a.respondent for rows in answers_by_key.values() for a in rows})
    sections = []
    for row in page.categories:
        questions = [
            QuestionDetail(
                result=q,
                level_label=labels.get((q.question_key, q.value), ""),
                answers=[
                    a
                    for a in answers_by_key[q.question_key]
                    if a.notes or a.links or a.is_answered or a.dont_know
                ],
                evidence=page.evidence.by_question.get(q.question_key),
            )
            for q in result.questions.all()
            if q.category_key == row.result.key
        ]
        sections.append((row, questions))
    figures = charts.result_figures(page.categories)
    return {
        "assessment": assessment,
        "page": page,
        "result": result,
        "plan": plan,
        "buckets": plan.by_bucket(),
        "top_risks": plan.actions[:3],
        "sections": sections,
        "respondents": respondents,
        "radar_svg": svg_charts.figure_to_svg(figures["radar"], width=5.5, height=4.2),
        "bars_svg": svg_charts.figure_to_svg(figures["bars"], width=6.5, height=3.6),
        "sha256": sha256,
        "scale_top": result.version.scale[-1],
        "maturity_levels": scoring.MATURITY_LEVELS,
        "mts_bands": scoring.ML_TEST_SCORE_BANDS,
        "css": REPORT_CSS.read_text(),
    }  # fmt: skip


def assessment_report_pdf(assessment: Assessment) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("reports/assessment.html", assessment_report_context(assessment))
    return render_pdf(html)


def portfolio_report_context(data: portfolio.Portfolio, *, requested_by: str) -> dict:
    figures = charts.portfolio_figures(data, data.rows[: portfolio.HEATMAP_ROWS])
    return {
        "data": data,
        # Named on the cover as people know it, not by its slug (issue #18); its newest version
        # names the table's columns.
        "bank_version": bank_queries.latest_published(data.filters.bank),
        "requested_by": requested_by,
        "heatmap_svg": svg_charts.figure_to_svg(figures["heatmap"], width=7.0),
        "distribution_svg": svg_charts.figure_to_svg(
            figures["distribution"], width=6.5, height=3.4
        ),
        "css": REPORT_CSS.read_text(),
        "generated_on": timezone.localdate(),
    }


def portfolio_report_pdf(data: portfolio.Portfolio, *, requested_by: str) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "reports/portfolio.html", portfolio_report_context(data, requested_by=requested_by)
        )
    return render_pdf(html)


def _step(job: ReportJob, progress: int, message: str) -> None:
    job.status, job.progress, job.message = ReportJob.Status.RUNNING, progress, message
    job.save(update_fields=["status", "progress", "message"])


def _finish(job: ReportJob) -> ReportJob:
    job.status, job.progress, job.message = ReportJob.Status.DONE, 100, "Ready"
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "filename", "status", "progress", "message", "finished_at"])
    return job


def run_assessment_job(job: ReportJob) -> ReportJob:
    """Render a result's audit report into the storage, unless it is there already: the same
    result always gives the same report, so a stored one is never rendered again."""
    result = job.result
    name = assessment_report_name(result)
    if not default_storage.exists(name):
        _step(job, 20, "Laying out the PDF")
        content = assessment_report_pdf(result.assessment)
        stored = default_storage.save(name, ContentFile(content))
        if stored != name:  # another render stored it first; both hold the same report
            default_storage.delete(stored)
    job.file.name = name
    job.filename = f"{result.assessment.project.slug}-assessment-{result.assessment_id}-report.pdf"
    return _finish(job)


def run_portfolio_job(job: ReportJob) -> ReportJob:
    """Render a queued portfolio report into the storage, recording progress on the job."""
    _step(job, 10, "Reading the portfolio")
    teams = access.managed_teams(job.requested_by)
    data = portfolio.build(teams, portfolio.Filters.from_dict(job.params), trends=False)
    _step(job, 40, f"Drawing charts for {len(data.rows)} projects")
    _step(job, 60, "Laying out the PDF")
    content = portfolio_report_pdf(data, requested_by=job.requested_by.get_username())
    job.file.save(f"{job.pk}.pdf", ContentFile(content), save=False)
    job.filename = f"paydown-portfolio-{timezone.localdate():%Y-%m-%d}.pdf"
    return _finish(job)
