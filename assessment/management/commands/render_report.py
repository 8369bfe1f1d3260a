from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.models import Assessment
from assessment.reports import pdf


class Command(BaseCommand):
    help = "Render the PDF audit report of a submitted assessment."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--output", type=Path, required=True, help="The PDF file to write.")

    def handle(self, *args, assessment_id: int, output: Path, **options):
        assessment = (
            Assessment.objects.select_related("project__team", "version__bank")
            .filter(pk=assessment_id, status=Assessment.Status.SUBMITTED)
            .first()
        )
        if assessment is None:
            raise CommandError(f"No submitted assessment {assessment_id}.")
        output.write_bytes(pdf.assessment_report_pdf(assessment))
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({output.stat().st_size:,} bytes)."))
