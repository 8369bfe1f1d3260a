from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from projects import services
from projects.models import ApiToken, Project


class Command(BaseCommand):
    help = "Make an API token for a user; the token is printed alone on the last line, once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--project", help="Slug of the one project the token may reach.")
        parser.add_argument(
            "--scopes",
            default="read",
            help=f"Comma-separated, of {','.join(ApiToken.Scope.values)} (default: read).",
        )
        parser.add_argument("--expires-days", type=int, help="Days until it expires.")
        parser.add_argument("--name", default="command line", help="What the token is for.")

    def handle(self, *args, username, project=None, scopes, expires_days=None, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        scoped = None
        if project:
            scoped = Project.objects.filter(slug=project).first()
            if scoped is None:
                raise CommandError(f"No project {project!r}.")
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
        try:
            row, token = services.create_api_token(
                user=user,
                name=name,
                scopes=[s.strip() for s in scopes.split(",") if s.strip()],
                project=scoped,
                expires_at=expires_at,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        reach = f"project {scoped.slug}" if scoped else "every project the user may see"
        self.stdout.write(f"Token {row.prefix} for {user} ({', '.join(row.scopes)}; {reach}).")
        self.stdout.write("It is shown once; keep it secret:")
        self.stdout.write(token)
