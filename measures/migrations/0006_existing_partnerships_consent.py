"""Partnerships entered before consent existed.

Real partnerships were entered by the lead alone; nobody at the partner agreed, so they stay
"angefragt" (the schema default) and the partner is asked on its dashboard. Only partnerships
of demo measures (``is_demo``, written by seed_demo) are marked confirmed: they are sample
content that stands for agreed joint measures, and no real body's consent is implied.

The accepted and published versions of the measures keep only confirmed partners, so that an
unconfirmed partner disappears from drafts, the PDF and the public pages at once.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Partnership = apps.get_model("measures", "Partnership")
    Measure = apps.get_model("measures", "Measure")
    Partnership.objects.filter(measure__is_demo=True).update(state="confirmed")
    confirmed = {}
    for measure_id, municipality_id in Partnership.objects.filter(state="confirmed").values_list(
        "measure_id", "municipality_id"
    ):
        confirmed.setdefault(measure_id, set()).add(municipality_id)
    changed = []
    for measure in (
        Measure.objects.filter(partnerships__isnull=False)
        .distinct()
        .only("pk", "accepted_snapshot", "public_snapshot")
    ):
        keep = confirmed.get(measure.pk, set())
        dirty = False
        for field in ("accepted_snapshot", "public_snapshot"):
            snapshot = getattr(measure, field)
            if not snapshot or "partners" not in snapshot:
                continue
            partners = [p for p in snapshot["partners"] if p.get("id") in keep]
            if partners != snapshot["partners"]:
                snapshot["partners"] = partners
                dirty = True
        if dirty:
            changed.append(measure)
    Measure.objects.bulk_update(changed, ["accepted_snapshot", "public_snapshot"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0005_partnership_consent_withdrawal_synergy"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
