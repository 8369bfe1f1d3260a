"""Background tasks, run by `manage.py db_worker` from the database queue (django-tasks)."""

from django_tasks import task

from assessment.models import ReportJob
from assessment.reports import pdf


def queue_portfolio_report(*, requested_by, filters: dict) -> ReportJob:
    """Record the request and put it on the queue; the job page follows its progress."""
    job = ReportJob.objects.create(requested_by=requested_by, params=filters)
    render_portfolio_report.enqueue(job.pk)
    return job


@task()
def render_portfolio_report(job_id: int) -> None:
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        pdf.run_portfolio_job(job)
    except Exception as error:  # the job page must say it failed, not spin forever
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED, message=f"Failed: {type(error).__name__}"
        )
        raise
