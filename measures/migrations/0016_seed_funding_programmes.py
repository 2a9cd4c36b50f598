"""Funding programmes that fund municipal digitalisation in Lower Saxony, as examples.

Their conditions and calls change; each is marked as an example, and the coordinator keeps,
corrects or retires them in the portal (FundingProgramme.is_active).
"""

from django.db import migrations

PROGRAMMES = [
    {
        "name": "LEADER (ELER)",
        "funder": "EU und Land Niedersachsen, über die lokale Aktionsgruppe",
        "url": "https://www.ml.niedersachsen.de/",
    },
    {
        "name": "Zukunftsregionen in Niedersachsen",
        "funder": "EU (EFRE, ESF+) und Land Niedersachsen",
        "url": "https://www.nbank.de/",
    },
    {
        "name": "ZILE – Integrierte ländliche Entwicklung",
        "funder": "Land Niedersachsen, Ämter für regionale Landesentwicklung",
        "url": "https://www.arl-lg.niedersachsen.de/",
    },
    {
        "name": "Gigabitförderung des Bundes",
        "funder": "Bund, mit Kofinanzierung des Landes Niedersachsen",
        "url": "",
    },
    {
        "name": "Modellprojekte Smart Cities",
        "funder": "Bund",
        "url": "",
    },
]


def seed(apps, schema_editor):
    FundingProgramme = apps.get_model("measures", "FundingProgramme")
    for programme in PROGRAMMES:
        FundingProgramme.objects.get_or_create(
            name=programme["name"],
            defaults={
                "funder": programme["funder"],
                "url": programme["url"],
                "is_example": True,
            },
        )


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
