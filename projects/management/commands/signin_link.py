from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from projects import services


class Command(BaseCommand):
    help = (
        "Print a one-time sign-in link for a staff user (for when password sign-in is off, "
        "PAYDOWN_PASSWORD_LOGIN=0, or the identity provider is down); the link is printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="The site's address as people reach it (default: http://127.0.0.1:8000).",
        )
        parser.add_argument("--minutes", type=int, default=15, help="Minutes it works (15).")

    def handle(self, *args, username, base_url, minutes, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not 1 <= minutes <= 24 * 60:
            raise CommandError("--minutes must be 1 to 1440.")
        try:
            token = services.create_sign_in_link(user=user, now=timezone.now(), minutes=minutes)
        except services.SignInLinkRefused as refused:
            raise CommandError(str(refused)) from None
        path = reverse("people:sign_in_link", args=[token])
        self.stdout.write(f"Works once, for {minutes} minutes, for {username}:")
        self.stdout.write(base_url.rstrip("/") + path)
