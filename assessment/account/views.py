"""The API tokens page: the user's tokens, a form to make one (shown once), and revoking."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessment import access
from assessment.account.forms import ApiTokenForm
from projects import services


# no-store: the response to a create holds the token's only plain-text copy, which must not be
# kept by the browser's cache or a proxy; the list beside it is as private.
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None, user=request.user)
    created, plaintext = None, None
    if request.method == "POST" and form.is_valid():
        try:
            created, plaintext = services.create_api_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                project=form.cleaned_data["project"],
                expires_at=form.expires_at(now=timezone.now()),
            )
        except ValueError as error:  # the service's own check of the scopes
            form.add_error("scopes", str(error))
        else:
            # Rendered, not redirected: the plain text lives in this response only, never in the
            # session or a URL. A blank form follows, for the next token.
            form = ApiTokenForm(user=request.user)
    context = {
        "form": form,
        "tokens": access.api_tokens_of(request.user),
        "created": created,
        "plaintext": plaintext,
        "now": timezone.now(),
    }
    return render(request, "account/tokens.html", context, status=422 if form.errors else 200)


@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = access.get_api_token_for_user(request.user, token_id)
    if token.revoked_at is None:
        services.revoke_api_token(token=token, by=request.user, now=timezone.now())
        messages.success(
            request, _("Token “%(name)s” revoked: the API refuses it now.") % {"name": token.name}
        )
    else:
        messages.info(request, _("Token “%(name)s” was already revoked.") % {"name": token.name})
    return redirect("account:tokens")
