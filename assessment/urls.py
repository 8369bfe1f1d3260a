from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
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
]
