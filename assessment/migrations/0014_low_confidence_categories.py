from collections import defaultdict
from decimal import Decimal

from django.db import migrations, models

# As assessment.scoring.LOW_CONFIDENCE_NA_SHARE was when this migration was written.
LOW_CONFIDENCE_NA_SHARE = Decimal("0.4")


def fill_low_confidence(apps, schema_editor):
    """Each kept latest result learns which of its categories were scored over mostly N/A
    questions, from its stored category rows (counted: the applicable questions)."""
    LatestResult = apps.get_model("assessment", "LatestResult")
    CategoryResult = apps.get_model("assessment", "CategoryResult")
    unsure = defaultdict(list)
    rows = CategoryResult.objects.filter(score__isnull=False, total__gt=0).values_list(
        "result_id", "key", "counted", "total"
    )
    for result_id, key, counted, total in rows.iterator(chunk_size=5000):
        if Decimal(total - counted) / total > LOW_CONFIDENCE_NA_SHARE:
            unsure[result_id].append(key)
    changed = []
    for latest in LatestResult.objects.iterator(chunk_size=5000):
        if latest.result_id in unsure:
            latest.low_confidence = unsure[latest.result_id]
            changed.append(latest)
    LatestResult.objects.bulk_update(changed, ["low_confidence"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0013_gated_results"),
    ]

    operations = [
        migrations.AddField(
            model_name="latestresult",
            name="low_confidence",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(fill_low_confidence, migrations.RunPython.noop),
    ]
