from django.urls import path, re_path

from assessment import dashboard_views, result_views, views

app_name = "assessment"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/report.pdf", dashboard_views.portfolio_report, name="portfolio_report"),
    path(
        "dashboard/report/", dashboard_views.start_portfolio_report, name="start_portfolio_report"
    ),
    re_path(
        r"^dashboard/export\.(?P<fmt>json|csv)$",
        dashboard_views.portfolio_export,
        name="portfolio_export",
    ),
    path("reports/<int:job_id>/", dashboard_views.report_job, name="report_job"),
    path(
        "reports/<int:job_id>/download/",
        dashboard_views.report_job_download,
        name="report_job_download",
    ),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/report\.pdf$",
        result_views.assessment_report,
        name="assessment_report",
    ),
    path("banks/<slug:slug>/v<int:number>/preview/", views.bank_preview, name="bank_preview"),
    path("projects/<slug:slug>/assessments/new/", views.assessment_start, name="assessment_start"),
    path("assessments/<int:pk>/", views.questionnaire, name="questionnaire"),
    path("assessments/<int:pk>/questions/<slug:key>/", views.save_answer, name="save_answer"),
    path(
        "assessments/<int:pk>/questions/<slug:key>/comments/",
        views.add_comment,
        name="add_comment",
    ),
    path("assessments/<int:pk>/questions/<slug:key>/settle/", views.settle, name="settle"),
    path("assessments/<int:pk>/discuss/", views.discuss, name="discuss"),
    path("assessments/<int:pk>/submit/", views.submit, name="submit"),
    path("assessments/<int:pk>/results/", result_views.result_detail, name="results"),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/results\.(?P<fmt>json|csv)$",
        result_views.results_export,
        name="results_export",
    ),
    path("assessments/<int:pk>/plan/", result_views.plan_detail, name="plan"),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/plan\.(?P<fmt>json|csv)$",
        result_views.plan_export,
        name="plan_export",
    ),
    path("assessments/<int:pk>/plan/track/", result_views.track_action, name="track_action"),
    path("projects/<slug:slug>/backlog/", result_views.backlog, name="backlog"),
    path(
        "projects/<slug:slug>/backlog/<int:action_id>/",
        result_views.update_action,
        name="update_action",
    ),
    path("projects/<slug:slug>/history/", result_views.history, name="history"),
    path("projects/<slug:slug>/compare/", result_views.compare, name="compare"),
]
