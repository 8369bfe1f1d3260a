from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from banks import files


class Command(BaseCommand):
    help = (
        "Import a question bank version from a YAML file (docs/bank-format.md) as a draft; "
        "publish it in the admin after previewing it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            with file.open("rb") as stream:  # one byte over the limit is enough to refuse it
                raw = stream.read(files.MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        try:
            version = files.import_file(raw)
        except files.BankFileError as error:
            raise CommandError(
                f"{file}: nothing imported, {len(error.errors)} "
                f"{'problem' if len(error.errors) == 1 else 'problems'}:\n  "
                + "\n  ".join(error.errors)
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {version}."))
