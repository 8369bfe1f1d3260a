import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from banks import files, queries


class Command(BaseCommand):
    help = (
        "Export a question bank version as YAML: the given --version, else the latest published, "
        "else the latest draft."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The brief asks for --version N; Django's own --version (its release) gives way to it.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--version", type=int, dest="number")
        parser.add_argument(
            "--output", type=Path, help="File to write; standard output by default."
        )

    def handle(self, *args, slug: str, number: int | None, output: Path | None, **options):
        version = queries.version_to_export(slug=slug, number=number)
        if version is None:
            wanted = f"version {number} of " if number else ""
            raise CommandError(f"No {wanted}bank '{slug}'.")
        text = files.export_version(version)
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {version} to {output}.")
