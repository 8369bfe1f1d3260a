import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count


def build_team_answers(apps, schema_editor):
    """Team answers for the assessments still open, from their answers and settlements."""
    from decimal import Decimal

    from paydown import consensus  # pure: its rules are the ones the app applies

    Assessment = apps.get_model("assessment", "Assessment")
    Answer = apps.get_model("assessment", "Answer")
    Settlement = apps.get_model("assessment", "Settlement")
    Question = apps.get_model("banks", "Question")
    TeamAnswer = apps.get_model("assessment", "TeamAnswer")
    for assessment in Assessment.objects.filter(status="in_progress").select_related("version"):
        scale = [Decimal(str(value)) for value in assessment.version.scale]
        counts = {}
        for question_id, value, na, carried, n in (
            Answer.objects.filter(assessment=assessment)
            .values_list("question_id", "level_value", "not_applicable", "carried_over")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts.setdefault(question_id, []).append(consensus.Counted(value, na, carried, n))
        settled = {
            s.question_id: consensus.Settled(s.level_value, s.not_applicable)
            for s in Settlement.objects.filter(assessment=assessment)
        }
        rows = []
        for question_id in Question.objects.filter(version_id=assessment.version_id).values_list(
            "pk", flat=True
        ):
            team = consensus.consensus_of_counts(
                counts.get(question_id, []), scale, settled.get(question_id)
            )
            rows.append(
                TeamAnswer(
                    assessment=assessment,
                    question_id=question_id,
                    level_value=team.value,
                    not_applicable=team.not_applicable,
                    discuss=team.discuss,
                    to_confirm=team.to_confirm,
                )
            )
        TeamAnswer.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0009_report_files_and_integrity_hash"),
        ("banks", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="TeamAnswer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "level_value",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True),
                ),
                ("not_applicable", models.BooleanField(default=False)),
                ("discuss", models.BooleanField(default=False)),
                ("to_confirm", models.BooleanField(default=False)),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="team_answers",
                        to="assessment.assessment",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="team_answers",
                        to="banks.question",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("assessment", "question"), name="team_answer_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(build_team_answers, migrations.RunPython.noop),
    ]
