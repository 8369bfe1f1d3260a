"""Background tasks, run by `manage.py db_worker` from the database queue (django-tasks)."""

from django.db import transaction
from django.dispatch import receiver
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished

from assessment.models import AssessmentResult, ReportJob
from assessment.reports import pdf


def queue_portfolio_report(*, requested_by, filters: dict) -> ReportJob:
    """Record the request and put it on the queue; the job page follows its progress."""
    job = ReportJob.objects.create(requested_by=requested_by, params=filters)
    render_portfolio_report.enqueue(job.pk)
    return job


def queue_assessment_report(
    *, result: AssessmentResult, requested_by, retry: bool = False
) -> ReportJob:
    """Make sure the result's audit report is rendered or on its way, and return its job.

    One job per result, locked while it is read: repeated or concurrent requests (every poll, two
    tabs, the submit) queue one render. A finished job is queued again only when its file has gone
    from the storage; a failed one only on `retry`, so a report that cannot render does not loop.
    """
    with transaction.atomic():
        job, created = ReportJob.objects.select_for_update().get_or_create(
            result=result,
            defaults={"kind": ReportJob.Kind.ASSESSMENT, "requested_by": requested_by},
        )
        if created or _needs_another_render(job, retry=retry):
            if not created:
                job.status, job.progress, job.message = ReportJob.Status.QUEUED, 0, ""
                job.save(update_fields=["status", "progress", "message"])
            # In the same transaction: the database queue's row commits with the job, or neither.
            render_assessment_report.enqueue(job.pk)
            # The immediate backend (tests, scripts) has rendered it already.
            job.refresh_from_db()
    return job


def _needs_another_render(job: ReportJob, *, retry: bool) -> bool:
    if job.status == ReportJob.Status.FAILED:
        return retry
    if job.status == ReportJob.Status.DONE:
        return not job.file or not job.file.storage.exists(job.file.name)
    return False


@task()
def render_assessment_report(job_id: int) -> None:
    job = ReportJob.objects.select_related("result__assessment__project").get(pk=job_id)
    _run(job, pdf.run_assessment_job)


@task()
def render_portfolio_report(job_id: int) -> None:
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    _run(job, pdf.run_portfolio_job)


def _run(job: ReportJob, run) -> None:
    try:
        run(job)
    except Exception as error:  # the job page must say it failed, not spin forever
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, message=f"Failed: {type(error).__name__}"
        )
        raise


@receiver(task_finished, dispatch_uid="report-job-of-a-failed-render")
def fail_the_job_of_a_failed_render(sender, task_result, **kwargs) -> None:
    """A render failed without reaching `_run` (its worker was lost on its last attempt, see
    scheduler/workers.py): its job fails too, so the job page stops polling. Connected when this
    module is imported, which reading the task of the result has done."""
    renders = {render_assessment_report.module_path, render_portfolio_report.module_path}
    if task_result.status != TaskResultStatus.FAILED or task_result.task.module_path not in renders:
        return
    error = task_result.errors[-1].exception_class_path.rsplit(".", 1)[-1]
    ReportJob.objects.filter(pk=task_result.args[0]).exclude(
        status__in=[ReportJob.Status.DONE, ReportJob.Status.FAILED]
    ).update(status=ReportJob.Status.FAILED, message=f"Failed: {error}")
