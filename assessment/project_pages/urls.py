from django.urls import path

from assessment.project_pages import views

app_name = "projects"

urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<slug:team_slug>/projects/new/", views.project_create, name="project_create"),
    path("projects/<slug:slug>/", views.project_detail, name="project_detail"),
    path("projects/<slug:slug>/edit/", views.project_edit, name="project_edit"),
]
