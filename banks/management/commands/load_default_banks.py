from django.core.management.base import BaseCommand

from banks import files


class Command(BaseCommand):
    help = (
        "Import the shipped question banks whose version is not in the database yet, then publish "
        "them (idempotent)."
    )

    def handle(self, *args, **options):
        imported = files.load_shipped_banks()
        for version in imported:
            self.stdout.write(self.style.SUCCESS(f"Imported and published {version}."))
        if not imported:
            self.stdout.write("The shipped question banks are already loaded.")
