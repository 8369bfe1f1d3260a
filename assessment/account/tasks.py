"""Password reset emails, sent by the background worker.

The reset form only queues the address. Sending from the request held a web thread for an SMTP
round trip (up to EMAIL_TIMEOUT), and only when the address had an account, so the answer's time
told whether one existed. The queued job holds the address, never the link: the worker makes the
token when it sends, so the queue's table holds nothing that signs anyone in."""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django_tasks import task

SUBJECT = "registration/email/password_reset_subject.txt"
BODY = "registration/email/password_reset.txt"


@task()
def send_password_reset(email: str, *, domain: str, use_https: bool, language: str) -> None:
    """Django's reset email to each active account with that address and a usable password
    (none for an unknown address), its link on the host the form was sent to."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=SUBJECT,
            email_template_name=BODY,
            extra_email_context={"expiry_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        )
