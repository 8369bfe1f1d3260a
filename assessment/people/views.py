"""People pages (issue #16): a team's members and invitations, accepting an invitation, and the
user's profile with email verification. Managers invite, change roles and remove members; a
removed member's answers and history stay."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessment import access
from assessment.people import emails
from assessment.people.forms import InvitationForm, NewAccountForm, ProfileForm, RoleForm
from projects import services
from projects.models import Profile


@require_http_methods(["GET", "POST"])
def team_members(request: HttpRequest, team_slug: str) -> HttpResponse:
    team = access.get_team_for_user(request.user, team_slug)
    manages = access.can_manage(request.user, team)
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        access.require_manager(request.user, team, _("Only the team's managers invite people."))
        if form.is_valid():
            invitation, token = services.invite(
                team=team,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                now=timezone.now(),
            )
            emails.send_invitation(request, invitation, token)
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("people:team_members", team_slug=team.slug)
        status = 422
    context = {
        "team": team,
        "manages": manages,
        "form": form,
        "members": access.memberships_of(team),
        "invitations": access.open_invitations_of(team, timezone.now()) if manages else [],
        "roles": RoleForm.base_fields["role"].choices,
    }
    return render(request, "people/team_members.html", context, status=status)


@require_POST
def change_role(request: HttpRequest, team_slug: str, membership_id: int) -> HttpResponse:
    membership = access.get_membership_to_manage(request.user, team_slug, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose member or manager."), status=400)
    try:
        services.change_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
    except services.LastManager as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(user)s is now a %(role)s.")
            % {"user": membership.user.get_username(), "role": membership.get_role_display()},
        )
    return redirect("people:team_members", team_slug=team_slug)


@require_POST
def remove_member(request: HttpRequest, team_slug: str, membership_id: int) -> HttpResponse:
    membership = access.get_membership_to_manage(request.user, team_slug, membership_id)
    try:
        services.remove_member(membership=membership, by=request.user)
    except services.LastManager as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(user)s left the team; their answers and history stay.")
            % {"user": membership.user.get_username()},
        )
    return redirect("people:team_members", team_slug=team_slug)


@require_POST
def revoke_invitation(request: HttpRequest, team_slug: str, invitation_id: int) -> HttpResponse:
    invitation = access.get_invitation_to_manage(request.user, team_slug, invitation_id)
    services.revoke_invitation(invitation=invitation, by=request.user)
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("people:team_members", team_slug=team_slug)


@never_cache
@login_not_required  # the link is the credential; who follows it joins or makes an account
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = access.invitation_by_token(token)
    now = timezone.now()
    problem = services.invitation_problem(invitation, now)
    if problem:
        return render(request, "people/invitation_closed.html", {"problem": problem}, status=410)
    signed_in = request.user.is_authenticated
    # Without password sign-in, accounts come from the identity provider: sign in, then join.
    makes_account = not signed_in and settings.PAYDOWN_PASSWORD_LOGIN
    form = NewAccountForm(request.POST or None) if makes_account else None
    if request.method == "POST" and (signed_in or (form is not None and form.is_valid())):
        try:
            user = (
                request.user
                if signed_in
                else services.create_invited_user(
                    invitation=invitation,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                )
            )
            services.accept_invitation(invitation=invitation, user=user, now=now)
        except services.InvitationClosed as closed:
            return render(
                request, "people/invitation_closed.html", {"problem": str(closed)}, status=410
            )
        if not signed_in:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(team)s.") % {"team": invitation.team.name})
        return redirect("projects:home")
    context = {"invitation": invitation, "form": form}
    return render(
        request,
        "people/accept_invitation.html",
        context,
        status=422 if form and form.errors else 200,
    )


@never_cache
@login_not_required  # the link is the credential, made by manage.py signin_link
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST signs in: a mail scanner or preview that opens the link spends nothing."""
    link = access.sign_in_link_by_token(token)
    if request.method == "POST":
        try:
            user = services.use_sign_in_link(link=link, now=timezone.now())
        except services.SignInLinkRefused as refused:
            return render(
                request, "people/sign_in_link.html", {"problem": str(refused)}, status=410
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("admin:index")
    return render(request, "people/sign_in_link.html", {"link": link})


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm.for_user(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_email = services.update_profile(user=request.user, **form.cleaned_data)
        request.session[Profile.LANGUAGE_SESSION_KEY] = form.cleaned_data["language"]
        if new_email:
            emails.send_email_verification(request, request.user, new_email)
            messages.info(
                request,
                _("To use %(email)s, follow the link we sent to it.") % {"email": new_email},
            )
        messages.success(request, _("Profile saved."))
        return redirect("people:profile")
    context = {
        "form": form,
        "memberships": access.memberships_of_user(request.user),
        "profile": Profile.of(request.user),
    }
    return render(request, "people/profile.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET"])
def verify_email(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        email = emails.verified_email(request.user, signed)
    except signing.BadSignature:
        return render(request, "people/email_not_verified.html", status=400)
    services.set_email(user=request.user, email=email)
    messages.success(request, _("Your email is now %(email)s.") % {"email": email})
    return redirect("people:profile")
