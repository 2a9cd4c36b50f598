"""Funding programmes that fund municipal digitalisation in Lower Saxony, as examples.

Seeded by a reversible data migration. Their conditions and calls change; each is marked as an
example, and the coordinator keeps, corrects or retires them in the portal
(FundingProgramme.is_active).
"""

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


def ensure_funding_programmes(FundingProgramme):  # noqa: N803 - the model class, historical or real
    """Create the example programmes that are missing; never touch an existing one."""
    for programme in PROGRAMMES:
        FundingProgramme.objects.get_or_create(
            name=programme["name"],
            defaults={
                "funder": programme["funder"],
                "url": programme["url"],
                "is_example": True,
            },
        )
