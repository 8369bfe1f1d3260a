from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("banks/<slug:slug>/v<int:number>/preview/", views.bank_preview, name="bank_preview"),
]
