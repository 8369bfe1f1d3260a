from django.urls import path

from assessment.audit_log import views

app_name = "audit_log"

urlpatterns = [
    path("projects/<slug:slug>/audit/", views.project_log, name="project_log"),
    path("projects/<slug:slug>/audit.csv", views.project_log_export, name="project_log_export"),
    path("audit/", views.staff_log, name="staff_log"),
    path("audit.csv", views.staff_log_export, name="staff_log_export"),
]
