"""The assessment pages' URLs, one namespace: each page package owns its questionnaire."""

from django.urls import path, re_path

from assessment.dashboard import views as dashboard
from assessment.evidence import views as evidence
from assessment.questionnaire import views as questionnaire
from assessment.reports import views as reports
from assessment.results import views as results

app_name = "assessment"

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/report.pdf", reports.portfolio_report, name="portfolio_report"),
    path("dashboard/report/", reports.start_portfolio_report, name="start_portfolio_report"),
    re_path(
        r"^dashboard/export\.(?P<fmt>json|csv)$",
        dashboard.portfolio_export,
        name="portfolio_export",
    ),
    path("reports/<int:job_id>/", reports.report_job, name="report_job"),
    path(
        "reports/<int:job_id>/download/",
        reports.report_job_download,
        name="report_job_download",
    ),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/report\.pdf$",
        reports.assessment_report,
        name="assessment_report",
    ),
    path(
        "banks/<slug:slug>/v<int:number>/preview/", questionnaire.bank_preview, name="bank_preview"
    ),
    path(
        "projects/<slug:slug>/assessments/new/",
        questionnaire.assessment_start,
        name="assessment_start",
    ),
    path("assessments/<int:pk>/", questionnaire.questionnaire, name="questionnaire"),
    path(
        "assessments/<int:pk>/questions/<slug:key>/", questionnaire.save_answer, name="save_answer"
    ),
    path(
        "assessments/<int:pk>/questions/<slug:key>/comments/",
        questionnaire.add_comment,
        name="add_comment",
    ),
    path("assessments/<int:pk>/questions/<slug:key>/settle/", questionnaire.settle, name="settle"),
    path("assessments/<int:pk>/confirm/", questionnaire.confirm_carried, name="confirm_carried"),
    path(
        "assessments/<int:pk>/questions/<slug:key>/team/",
        questionnaire.question_team,
        name="question_team",
    ),
    path(
        "assessments/<int:pk>/questions/<slug:key>/history/",
        questionnaire.question_history,
        name="question_history",
    ),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/history\.(?P<fmt>json|csv)$",
        questionnaire.history_export,
        name="history_export",
    ),
    path("assessments/<int:pk>/discuss/", questionnaire.discuss, name="discuss"),
    path("assessments/<int:pk>/scans/", evidence.upload_scan, name="upload_scan"),
    path(
        "assessments/<int:pk>/suggestions/<int:suggestion_id>/",
        evidence.decide_suggestion,
        name="decide_suggestion",
    ),
    path(
        "assessments/<int:pk>/questions/<slug:key>/reattest/",
        evidence.reattest,
        name="reattest",
    ),
    path("assessments/<int:pk>/submit/", questionnaire.submit, name="submit"),
    path("assessments/<int:pk>/results/", results.result_detail, name="results"),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/results\.(?P<fmt>json|csv)$",
        results.results_export,
        name="results_export",
    ),
    path("assessments/<int:pk>/plan/", results.plan_detail, name="plan"),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/plan\.(?P<fmt>json|csv)$",
        results.plan_export,
        name="plan_export",
    ),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/plan/tracker/"
        r"(?P<tracker_file>github\.json|github\.sh|gitlab\.csv|jira\.csv)$",
        results.plan_tracker_export,
        name="plan_tracker_export",
    ),
    re_path(
        r"^projects/(?P<slug>[-a-zA-Z0-9_]+)/backlog\.(?P<fmt>json|csv)$",
        results.backlog_export,
        name="backlog_export",
    ),
    re_path(
        r"^projects/(?P<slug>[-a-zA-Z0-9_]+)/backlog/tracker/"
        r"(?P<tracker_file>github\.json|github\.sh|gitlab\.csv|jira\.csv)$",
        results.backlog_tracker_export,
        name="backlog_tracker_export",
    ),
    path("assessments/<int:pk>/plan/track/", results.track_action, name="track_action"),
    path("assessments/<int:pk>/plan/accept-risk/", results.accept_risk, name="accept_risk"),
    path("assessments/<int:pk>/plan/withdraw-risk/", results.withdraw_risk, name="withdraw_risk"),
    path("projects/<slug:slug>/backlog/", results.backlog, name="backlog"),
    path(
        "projects/<slug:slug>/backlog/<int:action_id>/",
        results.update_action,
        name="update_action",
    ),
    path("projects/<slug:slug>/history/", results.history, name="history"),
    path("projects/<slug:slug>/compare/", results.compare, name="compare"),
]
