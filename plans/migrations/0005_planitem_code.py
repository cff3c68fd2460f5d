"""Plan items get a stable code ("CT03"), the key of their row in an Excel template.

Existing items are numbered within their plan and kind in the document's order."""

from django.db import migrations, models

PREFIXES = {"key_task": "NV", "target": "CT", "breakthrough": "DP", "solution": "GP"}


def number_items(apps, schema_editor):
    PlanItem = apps.get_model("plans", "PlanItem")
    positions: dict[tuple[int, str], int] = {}
    changed = []
    for item in PlanItem.objects.order_by("plan_id", "kind", "order", "pk").iterator():
        key = (item.plan_id, item.kind)
        positions[key] = positions.get(key, 0) + 1
        item.code = f"{PREFIXES[item.kind]}{positions[key]:02d}"
        changed.append(item)
        if len(changed) >= 2000:
            PlanItem.objects.bulk_update(changed, ["code"])
            changed = []
    PlanItem.objects.bulk_update(changed, ["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0007_delivery_reminders"),
        ("plans", "0004_target_combination_and_base"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalplanitem",
            name="code",
            field=models.CharField(blank=True, editable=False, max_length=12, verbose_name="mã"),
        ),
        migrations.AddField(
            model_name="planitem",
            name="code",
            field=models.CharField(blank=True, editable=False, max_length=12, verbose_name="mã"),
        ),
        migrations.RunPython(number_items, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="planitem",
            constraint=models.UniqueConstraint(
                condition=models.Q(("code", ""), _negated=True),
                fields=("plan", "code"),
                name="plans_planitem_code_unique",
                violation_error_message="Mã nội dung đã có trong kế hoạch.",
            ),
        ),
    ]
