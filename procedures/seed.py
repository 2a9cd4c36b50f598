"""The categories of the register (seeded by a reversible data migration)."""

# (slug, name, kind); the order is the order of the overview.
CATEGORIES = [
    ("einwohnerwesen", "Einwohnerwesen", "procedure"),
    ("personenstandswesen", "Personenstandswesen", "procedure"),
    ("finanzwesen", "Finanzwesen", "procedure"),
    ("gewerbe", "Gewerbe", "procedure"),
    ("bauen", "Bauen", "procedure"),
    ("ordnungswidrigkeiten", "Ordnungswidrigkeiten", "procedure"),
    ("personal", "Personal", "procedure"),
    ("dms-e-akte", "DMS/E-Akte", "procedure"),
    ("ratsinformationssystem", "Ratsinformationssystem", "procedure"),
    ("website-cms", "Website/CMS", "procedure"),
    ("rechenzentrum", "Rechenzentrum", "infrastructure"),
    ("netz", "Netz", "infrastructure"),
    ("telefonie", "Telefonie", "infrastructure"),
    ("arbeitsplaetze", "Arbeitsplätze", "infrastructure"),
    ("backup", "Backup", "infrastructure"),
]


def ensure_categories(Category):  # noqa: N803 - the model class, historical or real
    for position, (slug, name, kind) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "position": position}
        )
