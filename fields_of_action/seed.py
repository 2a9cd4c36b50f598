"""The six fields of action in the wording of the Kreistag's resolution (June 2026, item 3).

Used by the data migration; kept as plain data so that the migration stays readable.
"""

FIELDS_OF_ACTION = [
    {
        "number": 1,
        "slug": "digitale-verwaltungsleistungen",
        "short_title": "Digitale Verwaltungsleistungen",
        "title": (
            "Ausbau und Verbesserung digitaler Verwaltungsleistungen für Bürgerinnen und "
            "Bürger sowie Unternehmen"
        ),
        "description": (
            "Verwaltungsleistungen sollen für Bürgerinnen und Bürger sowie Unternehmen "
            "einfacher digital zugänglich werden: online beantragen, Status verfolgen, "
            "Bescheide digital erhalten – auf der Grundlage des Onlinezugangsgesetzes (OZG)."
        ),
    },
    {
        "number": 2,
        "slug": "gemeinsame-fachverfahren-und-infrastruktur",
        "short_title": "Gemeinsame Fachverfahren und Infrastruktur",
        "title": "Gemeinsame Nutzung digitaler Fachverfahren und technischer Infrastrukturen",
        "description": (
            "Die Kommunen des Landkreises nutzen Fachverfahren, Rechenzentrumsleistungen und "
            "technische Infrastruktur gemeinsam, um Kosten zu teilen und Doppelstrukturen zu "
            "vermeiden."
        ),
    },
    {
        "number": 3,
        "slug": "medienbruchfreie-prozesse",
        "short_title": "Medienbruchfreie Prozesse",
        "title": "Förderung medienbruchfreier Verwaltungsprozesse",
        "description": (
            "Verwaltungsprozesse laufen vom Antrag bis zur Ablage digital, ohne Ausdrucken, "
            "Einscannen oder erneutes Abtippen zwischen den Arbeitsschritten."
        ),
    },
    {
        "number": 4,
        "slug": "it-sicherheit-datenschutz-datenmanagement",
        "short_title": "IT-Sicherheit, Datenschutz und Datenmanagement",
        "title": (
            "Entwicklung gemeinsamer Standards für IT-Sicherheit, Datenschutz und Datenmanagement"
        ),
        "description": (
            "Gemeinsame Standards und Leitlinien für Informationssicherheit, Datenschutz und "
            "den Umgang mit Daten gelten in der gesamten kommunalen Familie."
        ),
    },
    {
        "number": 5,
        "slug": "interkommunale-zusammenarbeit",
        "short_title": "Interkommunale Zusammenarbeit",
        "title": "Nutzung von Synergien durch interkommunale Zusammenarbeit",
        "description": (
            "Kompetenzen werden gebündelt und digitale Lösungen gemeinsam entwickelt oder "
            "genutzt, damit auch kleinere Kommunen die digitale Transformation bewältigen."
        ),
    },
    {
        "number": 6,
        "slug": "digitale-teilhabe-und-barrierefreiheit",
        "short_title": "Digitale Teilhabe und Barrierefreiheit",
        "title": "Stärkung digitaler Teilhabe und Barrierefreiheit",
        "description": (
            "Alle Menschen im Landkreis sollen digitale Angebote nutzen können: barrierefrei "
            "nach BITV 2.0, verständlich und mit Unterstützung für Menschen mit wenig "
            "digitaler Erfahrung."
        ),
    },
]


def ensure_fields_of_action(model):
    """Create or update the six rows; `model` is the (historical or real) FieldOfAction."""
    for data in FIELDS_OF_ACTION:
        values = {k: v for k, v in data.items() if k != "number"}
        model.objects.update_or_create(number=data["number"], defaults=values)
