from django.urls import path

from assessment.project_pages import views

app_name = "projects"

urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<slug:team_slug>/projects/new/", views.project_create, name="project_create"),
    path("projects/<slug:slug>/", views.project_detail, name="project_detail"),
    path("projects/<slug:slug>/edit/", views.project_edit, name="project_edit"),
    path("projects/<slug:slug>/badge/renew/", views.renew_badge, name="renew_badge"),
    path("badge/<slug:slug>.svg", views.badge, name="badge"),
]
