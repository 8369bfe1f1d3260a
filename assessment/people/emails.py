"""Emails of the people pages: an invitation's link, and the link that verifies a new address
(signed, so no table is needed; it expires and names the user it is for)."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

VERIFY_SALT = "paydown.people.verify-email"


def send_invitation(request: HttpRequest, invitation, token: str) -> None:
    link = request.build_absolute_uri(reverse("people:accept_invitation", args=[token]))
    context = {"invitation": invitation, "link": link}
    send_mail(
        subject=render_to_string("people/email/invitation_subject.txt", context).strip(),
        message=render_to_string("people/email/invitation.txt", context),
        from_email=None,  # DEFAULT_FROM_EMAIL
        recipient_list=[invitation.email],
    )


def send_email_verification(request: HttpRequest, user, email: str) -> None:
    signed = signing.dumps({"user": user.pk, "email": email}, salt=VERIFY_SALT)
    link = request.build_absolute_uri(reverse("people:verify_email", args=[signed]))
    context = {"user": user, "email": email, "link": link, "days": settings.PAYDOWN_EMAIL_LINK_DAYS}
    send_mail(
        subject=render_to_string("people/email/verify_subject.txt", context).strip(),
        message=render_to_string("people/email/verify.txt", context),
        from_email=None,
        recipient_list=[email],
    )


def verified_email(user, signed: str) -> str:
    """The address a link verifies for this user; BadSignature when tampered, expired or another
    user's."""
    data = signing.loads(
        signed, salt=VERIFY_SALT, max_age=settings.PAYDOWN_EMAIL_LINK_DAYS * 24 * 3600
    )
    if not isinstance(data, dict) or data.get("user") != user.pk or "email" not in data:
        raise signing.BadSignature("not this user's link")
    return data["email"]
