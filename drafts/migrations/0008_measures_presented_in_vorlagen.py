"""Back-fill Measure.public_presented_at from the versions laid before the Kreistag so far: each
measure gets the time of the latest Vorlage that contains it (as measures.publication writes
it from now on)."""

from django.db import migrations


def backfill(apps, schema_editor):
    StrategyDraft = apps.get_model("drafts", "StrategyDraft")
    Measure = apps.get_model("measures", "Measure")
    presented = StrategyDraft.objects.filter(
        state__in=["published", "decided"], published_at__isnull=False
    ).order_by("published_at", "pk")
    for draft in presented.iterator():
        ids = [m["id"] for m in (draft.snapshot or {}).get("measures", [])]
        Measure.objects.filter(pk__in=ids).update(public_presented_at=draft.published_at)


class Migration(migrations.Migration):
    dependencies = [
        ("drafts", "0007_adoption_by_the_councils"),
        ("measures", "0017_measure_public_presented_at"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
