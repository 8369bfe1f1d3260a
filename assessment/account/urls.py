from django.urls import path

from assessment.account import views

app_name = "account"

urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
]
