"""Seed the example funding programmes (reversible); the list is in measures.seed."""

from django.db import migrations

from measures.seed import PROGRAMMES, ensure_funding_programmes


def seed(apps, schema_editor):
    ensure_funding_programmes(apps.get_model("measures", "FundingProgramme"))


def unseed(apps, schema_editor):
    FundingProgramme = apps.get_model("measures", "FundingProgramme")
    FundingProgramme.objects.filter(
        is_example=True, name__in=[p["name"] for p in PROGRAMMES], entries__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0015_funding_programmes_and_entries"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
