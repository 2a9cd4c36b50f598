"""Labelled quality set of the synergy finder: measures that pursue the same thing (groups)
and pairs that must not be matched, written the way different town halls word things.

Used by tests/measures/test_synergy.py and bench/synergy_bench.py (precision/recall at 5).
"""

# (key, body, field of action, title, summary, description, LeiKa key)
MEASURES = [
    # Dorf-App
    (
        "app-a",
        "A",
        6,
        "Dorf-App für Hitzacker",
        "Eine App bündelt Neuigkeiten, Termine und Nachbarschaftshilfe für die Menschen im Ort.",
        "Vereine stellen eigene Beiträge ein; Push-Nachrichten bei Straßensperrungen.",
        "",
    ),
    (
        "app-b",
        "B",
        6,
        "Dorfapp für Gartow",
        "Neuigkeiten aus Gemeinde und Vereinen kommen als App aufs Handy.",
        "Mitteilungen der Gemeinde, Veranstaltungen und eine Mitfahrbörse in einer App.",
        "",
    ),
    (
        "app-c",
        "C",
        6,
        "Digitale Dorfplattform mit App",
        "Nachbarschaftshilfe, Termine und Nachrichten des Dorfes in einer Dorf-App.",
        "",
        "",
    ),
    # E-Akte
    (
        "akte-a",
        "A",
        2,
        "Einführung der E-Akte",
        "Die Verwaltung arbeitet künftig mit der elektronischen Akte statt mit Papierakten.",
        "Posteingang wird gescannt, Vorgänge werden digital bearbeitet und aufbewahrt.",
        "",
    ),
    (
        "akte-d",
        "D",
        2,
        "Elektronische Akte in der Bauverwaltung",
        "Bauanträge und Genehmigungen werden in einer elektronischen Akte geführt.",
        "Das Dokumentenmanagement ersetzt die Papierablage im Bauamt.",
        "",
    ),
    (
        "akte-e",
        "E",
        2,
        "Digitale Aktenführung mit Dokumentenmanagement",
        "Akten werden digital geführt; Papierakten werden schrittweise abgelöst.",
        "",
        "",
    ),
    # Terminvergabe
    (
        "termin-b",
        "B",
        1,
        "Online-Terminvergabe im Bürgerbüro",
        "Bürgerinnen und Bürger buchen Termine für Ausweis und Meldeangelegenheiten online.",
        "Wartezeiten im Bürgerbüro sinken, Termine werden per E-Mail bestätigt.",
        "99115001012000",
    ),
    (
        "termin-c",
        "C",
        1,
        "Terminbuchung für das Einwohnermeldeamt",
        "Termine beim Einwohnermeldeamt lassen sich rund um die Uhr im Internet buchen.",
        "",
        "99115001012000",
    ),
    (
        "termin-f",
        "F",
        1,
        "Termine online vereinbaren",
        "Für Meldeamt und Standesamt vereinbaren die Menschen ihre Termine im Internet.",
        "Eine Terminvereinbarung ersetzt die Wartenummer.",
        "",
    ),
    # Friedhof
    (
        "friedhof-a",
        "A",
        2,
        "Digitale Friedhofsverwaltung",
        "Grabstellen, Nutzungsrechte und Gebühren werden digital verwaltet.",
        "Die Karteikarten und handgezeichneten Pläne werden in ein Friedhofskataster übertragen.",
        "",
    ),
    (
        "friedhof-e",
        "E",
        2,
        "Friedhofskataster digitalisieren",
        "Die Friedhöfe der Gemeinde erhalten ein digitales Kataster der Grabstellen.",
        "Nutzungsrechte und Ruhefristen sind auf einen Blick sichtbar.",
        "",
    ),
    # Dorfgemeinschaftshaus buchen
    (
        "dgh-b",
        "B",
        6,
        "Online-Buchung des Dorfgemeinschaftshauses",
        "Freie Termine im Dorfgemeinschaftshaus sind online sichtbar und direkt buchbar.",
        "Vereine und Familien reservieren Räume ohne Anruf im Gemeindebüro.",
        "",
    ),
    (
        "dgh-d",
        "D",
        6,
        "Dorfgemeinschaftshaus online reservieren",
        "Räume des Dorfgemeinschaftshauses können im Internet reserviert werden.",
        "Ein Belegungskalender zeigt, wann das Haus frei ist.",
        "",
    ),
    (
        "dgh-f",
        "F",
        6,
        "Raumbuchung für Gemeindehäuser",
        "Die Gemeindehäuser der Ortsteile werden über einen Online-Kalender gebucht.",
        "",
        "",
    ),
    # WLAN
    (
        "wlan-c",
        "C",
        3,
        "Freies WLAN im Dorfgemeinschaftshaus",
        "Besucherinnen und Besucher des Dorfgemeinschaftshauses surfen kostenlos im WLAN.",
        "Ein Hotspot wird installiert und über Freifunk betrieben.",
        "",
    ),
    (
        "wlan-e",
        "E",
        3,
        "Öffentliches WLAN am Marktplatz",
        "Am Marktplatz und im Rathaus gibt es einen kostenlosen Hotspot.",
        "Drahtloses Internet für Gäste und Einheimische.",
        "",
    ),
    # Glasfaser Schulen
    (
        "glas-a",
        "A",
        3,
        "Glasfaser für Schulen",
        "Alle Grundschulen werden mit Glasfaser an das schnelle Internet angeschlossen.",
        "Gigabitfähige Anschlüsse sind die Voraussetzung für digitalen Unterricht.",
        "",
    ),
    (
        "glas-d",
        "D",
        3,
        "Gigabitanschluss der Grundschulen",
        "Die Grundschulen in der Samtgemeinde bekommen einen Gigabit-Anschluss.",
        "Breitband bis in die Klassenräume.",
        "",
    ),
    # Ratsinformationssystem
    (
        "ris-b",
        "B",
        4,
        "Ratsinformationssystem einführen",
        "Sitzungsunterlagen, Beschlüsse und Termine der Räte sind online abrufbar.",
        "Ratsmitglieder erhalten Vorlagen digital statt auf Papier.",
        "",
    ),
    (
        "ris-f",
        "F",
        4,
        "Digitale Sitzungsunterlagen für den Gemeinderat",
        "Der Gemeinderat arbeitet mit digitalen Vorlagen im Sitzungsdienst.",
        "Tablets ersetzen den Papierversand der Sitzungsunterlagen.",
        "",
    ),
    # Singletons: similar-sounding, but other things
    (
        "lern-c",
        "C",
        5,
        "Digitale Lernmittel für Grundschulen",
        "Die Grundschulen erhalten Tablets und Lernsoftware.",
        "",
        "",
    ),
    (
        "park-d",
        "D",
        6,
        "Parkraum-App für die Innenstadt",
        "Freie Parkplätze werden in einer App angezeigt und bezahlt.",
        "",
        "",
    ),
    (
        "kita-e",
        "E",
        1,
        "Online-Anmeldung für Kita-Plätze",
        "Eltern melden ihr Kind online für einen Kita-Platz an.",
        "",
        "",
    ),
]

# Groups of keys that pursue the same thing (pairs across bodies must be found).
GROUPS = [
    ["app-a", "app-b", "app-c"],
    ["akte-a", "akte-d", "akte-e"],
    ["termin-b", "termin-c", "termin-f"],
    ["friedhof-a", "friedhof-e"],
    ["dgh-b", "dgh-d", "dgh-f"],
    ["wlan-c", "wlan-e"],
    ["glas-a", "glas-d"],
    ["ris-b", "ris-f"],
]

# Pairs that must never be matched, however similar their words.
MUST_NOT = [
    ("wlan-c", "glas-a"),  # "Freies WLAN im Dorfgemeinschaftshaus" is not "Glasfaser für Schulen"
    ("wlan-c", "dgh-b"),  # the same house, but WLAN is not a booking calendar
    ("wlan-c", "dgh-d"),
    ("glas-a", "lern-c"),  # both for Grundschulen
    ("app-a", "park-d"),  # both apps
    ("termin-b", "kita-e"),  # both online
    ("termin-b", "dgh-b"),  # both book something
    ("akte-a", "ris-b"),  # both less paper
    ("friedhof-a", "dgh-b"),
]


def positive_pairs():
    pairs = set()
    for group in GROUPS:
        for a in group:
            for b in group:
                if a < b:
                    pairs.add((a, b))
    return pairs


def relevant(key):
    for group in GROUPS:
        if key in group:
            return set(group) - {key}
    return set()


def precision_recall_at(found, k=5):
    """Micro precision and recall at k. ``found``: {key: [keys of matches, best first]}."""
    hits = predicted = wanted = 0
    for key, _body, *_rest in MEASURES:
        top = found.get(key, [])[:k]
        want = relevant(key)
        hits += len(want & set(top))
        predicted += len(top)
        wanted += len(want)
    precision = hits / predicted if predicted else 1.0
    recall = hits / wanted if wanted else 1.0
    return precision, recall


def create_measures(bodies):
    """Create the set's measures; ``bodies``: {"A": Municipality, ...}. Returns {key: Measure}."""
    from fields_of_action.models import FieldOfAction
    from measures.models import Measure

    fields = {f.number: f for f in FieldOfAction.objects.all()}
    created = {}
    for key, body, number, title, summary, description, leika in MEASURES:
        created[key] = Measure.objects.create(
            lead_municipality=bodies[body],
            field_of_action=fields[number],
            title=title,
            summary=summary,
            description=description,
            leika_key=leika,
        )
    return created


def found_in_db(created):
    """{key: [keys of stored matches, best first]} for the created measures."""
    from measures.models import SimilarMeasure

    keys = {m.pk: key for key, m in created.items()}
    found = {key: [] for key in created}
    rows = SimilarMeasure.objects.filter(measure_id__in=keys).order_by(
        "measure_id", "-score", "other_id"
    )
    for row in rows:
        if row.other_id in keys:
            found[keys[row.measure_id]].append(keys[row.other_id])
    return found
