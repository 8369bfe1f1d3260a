from django.urls import path

from assessment.people import views

app_name = "people"

urlpatterns = [
    path("teams/<slug:team_slug>/people/", views.team_members, name="team_members"),
    path(
        "teams/<slug:team_slug>/people/<int:membership_id>/role/",
        views.change_role,
        name="change_role",
    ),
    path(
        "teams/<slug:team_slug>/people/<int:membership_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path(
        "teams/<slug:team_slug>/invitations/<int:invitation_id>/withdraw/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/sign-in-link/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("accounts/email/<str:signed>/", views.verify_email, name="verify_email"),
]
