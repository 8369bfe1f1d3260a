from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessment import demo as assessment_demo
from banks import files
from projects import demo


class Command(BaseCommand):
    help = "Create or refresh the demo teams, projects and users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--projects",
            type=int,
            default=0,
            help="Also generate N more projects, for trying the dashboard at scale.",
        )
        parser.add_argument(
            "--history",
            type=int,
            default=None,
            help="Submitted assessments per project (default: 4 to 8 each).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (demo users have a published password).",
        )

    def handle(self, *args, force: bool = False, projects: int = 0, history=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: demo users share a published password. Use --force to seed anyway."
            )
        for version in files.load_shipped_banks():
            self.stdout.write(f"Loaded question bank {version.label}.")
        logins = demo.seed_teams_and_projects()
        submitted = assessment_demo.seed_portfolio(extra_projects=projects, history=history)
        if submitted:
            self.stdout.write(f"Added {submitted} submitted assessments of history.")
        if assessment_demo.seed_in_progress_assessment():
            self.stdout.write("Started an in-progress assessment of the query ranker.")
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /accounts/login/ as:"))
        for login in logins:
            self.stdout.write(
                f"  {login.username:<8} password {demo.DEMO_PASSWORD}  ({login.description})"
            )
