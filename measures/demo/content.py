"""Demo content as plain data: goals per field of action and measure templates.

Used by measures/demo/seeder.py (`manage.py seed_demo`). Titles, summaries and descriptions may use
{name}, {kommune} and {in_kommune}, filled in per municipality.
"""

from dataclasses import dataclass

DISTRICT, SAMTGEMEINDE, GEMEINDE = "D", "S", "G"

# --- Goals (Ziele) per field of action --------------------------------------------------------

GOALS = {
    1: [
        (
            "Die häufigsten Verwaltungsleistungen sind bis 2028 vollständig online verfügbar",
            "Gemeint sind die 30 Leistungen mit den meisten Fällen in Landkreis und "
            "Samtgemeinden, vom Antrag bis zum Bescheid.",
        ),
        (
            "Bescheide und Rückfragen erreichen Antragstellende digital",
            "Über das Postfach des Nutzerkontos (BundID, Mein Unternehmenskonto) statt per Brief.",
        ),
        (
            "Unternehmen erledigen Behördengänge ohne Vor-Ort-Termin",
            "Gewerbe, Bauen und Zulassung sind für Betriebe im Landkreis digital erreichbar.",
        ),
    ],
    2: [
        (
            "Fachverfahren werden kreisweit einheitlich und gemeinsam betrieben",
            "Gleiche Aufgaben, gleiche Software: Lizenzen, Betrieb und Schulung werden geteilt.",
        ),
        (
            "Rechenzentrumsleistungen werden gebündelt und ausfallsicher bereitgestellt",
            "Ein gemeinsamer Betrieb mit zweitem Standort ersetzt einzelne Serverräume.",
        ),
        (
            "Alle Verwaltungsstandorte und Schulen sind gigabitfähig angebunden",
            "",
        ),
    ],
    3: [
        (
            "Die E-Akte ist in allen Verwaltungen der kommunalen Familie eingeführt",
            "Neue Vorgänge werden ab 2028 ausschließlich elektronisch geführt.",
        ),
        (
            "Eingangsrechnungen werden vollständig elektronisch bearbeitet",
            "XRechnung und ZUGFeRD werden ohne Ausdruck geprüft, freigegeben und gebucht.",
        ),
        (
            "Interne Anträge und Freigaben laufen ohne Papier",
            "Urlaubs-, Dienstreise- und Beschaffungsanträge werden digital gestellt und genehmigt.",
        ),
    ],
    4: [
        (
            "Alle Kommunen arbeiten nach einer gemeinsamen Informationssicherheits-Leitlinie",
            "Grundlage ist der BSI IT-Grundschutz; jede Verwaltung benennt eine "
            "Ansprechperson für Informationssicherheit.",
        ),
        (
            "Datenschutz wird mit gemeinsamen Ressourcen verlässlich gewährleistet",
            "",
        ),
        (
            "Verwaltungsdaten werden nach gemeinsamen Standards offen bereitgestellt",
            "Offene Daten erscheinen maschinenlesbar und unter freier Lizenz.",
        ),
    ],
    5: [
        (
            "Digitalisierungskompetenz wird interkommunal gebündelt",
            "Fachleute aus Landkreis und Samtgemeinden arbeiten in gemeinsamen Teams.",
        ),
        (
            "Beschaffungen und Verträge werden gemeinsam vergeben",
            "",
        ),
        (
            "Lösungen einer Kommune stehen allen anderen zur Verfügung",
            "Einer für alle: was eine Verwaltung einführt, können die anderen übernehmen.",
        ),
    ],
    6: [
        (
            "Alle kommunalen Websites und Online-Dienste sind barrierefrei nach BITV 2.0",
            "",
        ),
        (
            "Menschen mit wenig digitaler Erfahrung finden wohnortnah Unterstützung",
            "Sprechstunden und Digitallotsen gibt es in jeder Samtgemeinde.",
        ),
        (
            "Öffentliche Orte bieten freien Internetzugang",
            "Dorfgemeinschaftshäuser, Bibliotheken und Ortsmitten erhalten freies WLAN.",
        ),
    ],
}


# --- Measure templates ------------------------------------------------------------------------

HAUSHALT = "Haushalt"
FOERDER_NDS = "Förderprogramm Digitale Verwaltung Niedersachsen"
OZG = "OZG-Umsetzungsmittel"
FONDS = "Landkreis-Digitalfonds"
GIGABIT = "Gigabitförderung des Bundes und des Landes Niedersachsen"
DIGITALPAKT = "DigitalPakt Schule"
DORF = "Dorfentwicklung (ZILE-Richtlinie Niedersachsen)"
UMLAGE = "Haushalt, Kostenteilung nach Einwohnerzahl"


@dataclass(frozen=True)
class MeasureTemplate:
    """One kind of measure. ``leads``: which kinds may lead it (D district, S Samtgemeinde,
    G member Gemeinde). ``groups``: c citizens, b businesses, a administration.
    ``title``, ``summary`` and ``description`` may use {name}, {kommune} and {in_kommune}."""

    field: int
    leads: str
    title: str
    summary: str
    description: str
    groups: str = "a"
    budget: tuple | None = (10_000, 50_000)
    funding: tuple = (HAUSHALT,)
    joint: float = 0.2
    goals: tuple = (0,)
    leika_key: str = ""
    contact_role: str = ""


T = MeasureTemplate

TEMPLATES = [
    # 1 – Digitale Verwaltungsleistungen
    T(
        1,
        "D",
        "Online-Kfz-Zulassung (i-Kfz) für alle Zulassungsvorgänge",
        "Neuzulassung, Umschreibung und Außerbetriebsetzung von Fahrzeugen sollen vollständig "
        "online möglich sein.",
        "Die Zulassungsstelle bietet die internetbasierte Fahrzeugzulassung bisher nur für "
        "einzelne Vorgänge an. Künftig wickeln auch Autohäuser und Flottenbetreiber ihre "
        "Vorgänge über das Großkundenportal ab. Plaketten und Zulassungsbescheinigungen kommen "
        "per Post, der Weg zur Zulassungsstelle entfällt.",
        groups="cb",
        budget=(40_000, 120_000),
        funding=(OZG, HAUSHALT),
        goals=(0, 2),
        contact_role="Straßenverkehrsamt – Zulassungsstelle",
    ),
    T(
        1,
        "D",
        "Digitaler Bauantrag über das Bauportal Niedersachsen",
        "Bauanträge, Bauvoranfragen und Nachreichungen werden digital eingereicht und "
        "medienbruchfrei bearbeitet.",
        "Die untere Bauaufsichtsbehörde nimmt Bauanträge bisher überwiegend auf Papier "
        "entgegen. Mit dem Anschluss an das Bauportal Niedersachsen erhalten die Gemeinden "
        "und Fachbehörden die Unterlagen für ihre Stellungnahmen elektronisch. "
        "Entwurfsverfasserinnen und -verfasser sehen den Bearbeitungsstand online.",
        groups="cba",
        budget=(80_000, 250_000),
        funding=(OZG, FOERDER_NDS),
        joint=0.7,
        goals=(0, 2),
        contact_role="Fachdienst Bauaufsicht",
    ),
    T(
        1,
        "S",
        "Online-Terminbuchung im Bürgerbüro",
        "Termine für Personalausweis, Reisepass und Meldeangelegenheiten können rund um die "
        "Uhr online gebucht werden.",
        "Die Wartezeiten im Bürgerbüro sollen sinken, auch für Pendlerinnen und Pendler. Das "
        "Terminsystem erinnert per E-Mail und nennt die mitzubringenden Unterlagen. Freie "
        "Termine in den Außenstellen werden gemeinsam angezeigt.",
        groups="c",
        budget=(6_000, 25_000),
        funding=(HAUSHALT, FONDS),
        leika_key="99008001012000",
        contact_role="Bürgerbüro",
    ),
    T(
        1,
        "S",
        "Online-Gewerbeanmeldung",
        "Gewerbe werden über das Serviceportal an-, um- und abgemeldet; die Daten gehen "
        "automatisch an die beteiligten Stellen.",
        "Bisher wird das Formular ausgedruckt, unterschrieben und im Ordnungsamt abgetippt. "
        "Künftig kommt der Antrag über den Online-Dienst des Landes mit Unternehmenskonto "
        "direkt im Fachverfahren an. Finanzamt, Kammern und Statistik erhalten ihre "
        "Meldungen elektronisch.",
        groups="b",
        budget=(5_000, 20_000),
        funding=(OZG,),
        goals=(0, 2),
        leika_key="99050012104000",
        contact_role="Fachbereich Ordnung",
    ),
    T(
        1,
        "SG",
        "Hundesteuer online an- und abmelden",
        "Hunde können über ein Online-Formular an- und abgemeldet werden, der Steuerbescheid "
        "kommt digital.",
        "Die Hundesteuer ist eine der häufigsten Anfragen an die Gemeinden. Das Online-"
        "Formular prüft die Angaben und übergibt sie an das Steuerverfahren der Samtgemeinde. "
        "Die Hundemarke wird zugeschickt.",
        groups="c",
        budget=(2_000, 8_000),
        funding=(HAUSHALT,),
        joint=0.3,
        goals=(0, 1),
        leika_key="99102013104000",
        contact_role="Steueramt",
    ),
    T(
        1,
        "D",
        "Wohngeld digital beantragen",
        "Wohngeldanträge werden online gestellt und mit allen Nachweisen elektronisch an die "
        "Wohngeldstelle übermittelt.",
        "Seit der Wohngeldreform haben sich die Antragszahlen fast verdoppelt. Der Online-"
        "Antrag des Landes wird an das Fachverfahren angebunden, Nachweise können "
        "fotografiert und hochgeladen werden. Rückfragen und Bescheid laufen über das "
        "Postfach der BundID.",
        groups="c",
        budget=(15_000, 45_000),
        funding=(OZG, HAUSHALT),
        goals=(0, 1),
        leika_key="99107023037000",
        contact_role="Fachdienst Soziales – Wohngeldstelle",
    ),
    T(
        1,
        "S",
        "Personenstandsurkunden online bestellen",
        "Geburts-, Ehe- und Sterbeurkunden können online beantragt und bezahlt werden.",
        "Das Standesamt erhält die Bestellung mit Bezahlung über ePayment und versendet die "
        "Urkunde per Post. Für Behörden werden Urkunden künftig elektronisch übermittelt.",
        groups="c",
        budget=(3_000, 12_000),
        funding=(OZG, HAUSHALT),
        leika_key="99027002012000",
        contact_role="Standesamt",
    ),
    T(
        1,
        "D",
        "Wohnberechtigungsschein online beantragen",
        "Der Antrag auf einen Wohnberechtigungsschein wird als Online-Dienst angeboten.",
        "Die Fallzahlen sind gering, der Aufwand für Antragstellende aber hoch. Der Online-"
        "Dienst aus dem Einer-für-Alle-Angebot wird übernommen und an das Postfach der "
        "BundID angebunden.",
        groups="c",
        budget=(2_000, 9_000),
        funding=(OZG,),
        leika_key="99107022012000",
        contact_role="Fachdienst Soziales",
    ),
    T(
        1,
        "DS",
        "Bescheide digital zustellen über das BundID-Postfach",
        "Bescheide werden auf Wunsch elektronisch in das Postfach des Nutzerkontos zugestellt.",
        "Viele Online-Anträge enden heute mit einem Brief. Die Fachverfahren werden so "
        "angebunden, dass Bescheide rechtssicher in das Postfach von BundID oder Mein "
        "Unternehmenskonto gehen. Porto und Druckkosten sinken spürbar.",
        groups="cba",
        budget=(20_000, 60_000),
        funding=(OZG, FOERDER_NDS),
        joint=0.4,
        goals=(1,),
        contact_role="Digitalisierung und E-Government",
    ),
    T(
        1,
        "G",
        "Online-Buchung des Dorfgemeinschaftshauses",
        "Freie Termine im Dorfgemeinschaftshaus sind online sichtbar und können direkt "
        "angefragt werden.",
        "Vereine und Privatpersonen fragen bisher telefonisch bei der Bürgermeisterin oder dem "
        "Bürgermeister an. Ein gemeinsamer Belegungskalender zeigt freie Termine, die "
        "Schlüsselübergabe wird per E-Mail vereinbart.",
        groups="c",
        budget=(500, 3_000),
        funding=(HAUSHALT,),
        joint=0.2,
        goals=(0,),
        contact_role="Gemeindebüro",
    ),
    T(
        1,
        "SG",
        "Digitaler Mängelmelder",
        "Schäden an Straßen, Beleuchtung und Spielplätzen können online mit Foto und "
        "Standort gemeldet werden.",
        "Meldungen landen heute per Telefon oder E-Mail bei verschiedenen Stellen. Der "
        "Mängelmelder ordnet sie nach Ort und Zuständigkeit zu und zeigt den Bearbeitungsstand "
        "öffentlich auf einer Karte.",
        groups="c",
        budget=(3_000, 15_000),
        funding=(HAUSHALT, FONDS),
        joint=0.4,
        goals=(1,),
        contact_role="Bauhof",
    ),
    T(
        1,
        "D",
        "Schülerbeförderung: Fahrkarten online beantragen",
        "Eltern beantragen die Schülerfahrkarte online; die Berechtigung wird automatisch geprüft.",
        "Zu jedem Schuljahresbeginn gehen mehrere tausend Papieranträge ein. Der Online-Antrag "
        "prüft die Entfernung zur Schule anhand der Adresse und übergibt die Daten an das "
        "Verkehrsunternehmen.",
        groups="c",
        budget=(15_000, 50_000),
        funding=(HAUSHALT, FOERDER_NDS),
        goals=(0,),
        contact_role="Fachdienst Schulen",
    ),
    T(
        1,
        "DS",
        "Kita-Portal: Betreuungsplätze online vormerken",
        "Eltern melden ihren Betreuungsbedarf an einer Stelle für alle Kindertagesstätten an.",
        "Heute führen die Einrichtungen eigene Wartelisten, Mehrfachanmeldungen sind die "
        "Regel. Das Kita-Portal bündelt die Vormerkungen und zeigt den Bedarf für die "
        "Jugendhilfeplanung.",
        groups="ca",
        budget=(20_000, 70_000),
        funding=(FOERDER_NDS, HAUSHALT),
        joint=0.6,
        goals=(0,),
        contact_role="Kinderbetreuung",
    ),
    # 2 – Gemeinsame Fachverfahren und Infrastruktur
    T(
        2,
        "D",
        "Rechenzentrumsverbund der kommunalen Familie",
        "Die Server der Samtgemeinden werden in das Rechenzentrum des Landkreises überführt "
        "und gemeinsam betrieben.",
        "Jede Verwaltung betreibt heute einen eigenen Serverraum mit eigener Klimatisierung "
        "und Datensicherung. Der Verbund senkt Kosten, verbessert die Ausfallsicherheit und "
        "entlastet die kleinen IT-Teams. Die Kosten werden nach Einwohnerzahl geteilt.",
        budget=(250_000, 600_000),
        funding=(FONDS, UMLAGE),
        joint=1.0,
        goals=(1, 0),
        contact_role="Fachdienst IT",
    ),
    T(
        2,
        "D",
        "Zweiter Rechenzentrumsstandort für Datensicherung",
        "Ein zweiter, räumlich getrennter Standort spiegelt die Daten und übernimmt bei einem "
        "Ausfall.",
        "Die Datensicherung liegt bisher im selben Gebäude wie die Produktivsysteme. Mit "
        "einem zweiten Standort in einer Samtgemeinde wird das Risiko bei Brand, Hochwasser "
        "oder Stromausfall deutlich gesenkt.",
        budget=(120_000, 300_000),
        funding=(FONDS, HAUSHALT),
        joint=0.6,
        goals=(1,),
        contact_role="Fachdienst IT",
    ),
    T(
        2,
        "D",
        "Gemeinsames Geoinformationssystem (GIS)",
        "Landkreis und Samtgemeinden nutzen ein gemeinsames GIS mit Liegenschaftskataster, "
        "Bebauungsplänen und Leitungsdaten.",
        "Geodaten werden heute mehrfach gepflegt und per E-Mail ausgetauscht. Das gemeinsame "
        "GIS stellt sie allen Verwaltungen aktuell bereit; ein Bürger-GIS zeigt "
        "Bebauungspläne und Bodenrichtwerte öffentlich.",
        groups="cba",
        budget=(60_000, 180_000),
        funding=(FOERDER_NDS, UMLAGE),
        joint=0.9,
        goals=(0,),
        contact_role="Fachdienst Geoinformation",
    ),
    T(
        2,
        "S",
        "Einheitliches Finanzverfahren für Samtgemeinde und Mitgliedsgemeinden",
        "Alle Haushalte der Samtgemeinde und ihrer Mitgliedsgemeinden werden in einem "
        "Finanzverfahren geführt.",
        "Für die Mitgliedsgemeinden werden derzeit getrennte Mandanten mit "
        "unterschiedlichen Versionsständen gepflegt. Ein gemeinsamer Stand vereinfacht "
        "Jahresabschlüsse und Updates.",
        budget=(30_000, 90_000),
        funding=(HAUSHALT,),
        joint=0.8,
        goals=(0,),
        contact_role="Fachbereich Finanzen",
    ),
    T(
        2,
        "D",
        "Breitband- und Glasfaser-Koordination",
        "Eine Koordinierungsstelle begleitet den geförderten Glasfaserausbau und schließt "
        "die verbleibenden weißen Flecken.",
        "Im Landkreis sind viele Ortsteile noch nicht gigabitfähig versorgt. Die "
        "Koordinierungsstelle bündelt Förderanträge, stimmt Tiefbau mit den Gemeinden ab und "
        "informiert Haushalte und Betriebe über den Ausbaustand.",
        groups="cba",
        budget=(150_000, 450_000),
        funding=(GIGABIT, HAUSHALT),
        joint=0.5,
        goals=(2,),
        contact_role="Breitbandkoordination",
    ),
    T(
        2,
        "SG",
        "Glasfaseranschluss für Verwaltungsstandorte und öffentliche Gebäude",
        "Rathaus, Bauhof und Dorfgemeinschaftshäuser werden an das Glasfasernetz angeschlossen.",
        "Die bisherigen DSL-Anschlüsse reichen für Videokonferenzen und Cloud-Dienste nicht "
        "aus. Der Anschluss wird mit dem laufenden Ausbau {in_kommune} koordiniert.",
        budget=(20_000, 90_000),
        funding=(GIGABIT, DIGITALPAKT),
        joint=0.2,
        goals=(2,),
        contact_role="Fachbereich Bauen und Liegenschaften",
    ),
    T(
        2,
        "DS",
        "Zentrale IT-Administration für Schulen",
        "Schulen erhalten Geräteverwaltung, Support und Lernplattform aus einer Hand.",
        "Bisher betreuen Lehrkräfte die Schul-IT oft nebenbei. Ein Schul-IT-Team verwaltet "
        "die Endgeräte zentral, spielt Updates ein und ist über ein Ticketsystem erreichbar.",
        groups="ca",
        budget=(80_000, 220_000),
        funding=(DIGITALPAKT, HAUSHALT),
        joint=0.4,
        goals=(0, 2),
        contact_role="Schulverwaltung",
    ),
    T(
        2,
        "S",
        "Gemeinsame Telefonanlage (VoIP) für alle Verwaltungsstandorte",
        "Die alten Telefonanlagen werden durch eine gemeinsame IP-Telefonie ersetzt.",
        "Die Telefonanlagen in Rathaus und Außenstellen sind über 15 Jahre alt. Die neue "
        "Lösung läuft im Rechenzentrum und ermöglicht Telefonieren im Homeoffice.",
        budget=(25_000, 80_000),
        funding=(HAUSHALT,),
        joint=0.5,
        goals=(1,),
        contact_role="IT-Koordination",
    ),
    T(
        2,
        "DS",
        "Ratsinformationssystem für alle Gremien",
        "Sitzungsunterlagen, Beschlüsse und Niederschriften aller Räte und Ausschüsse sind "
        "in einem System abrufbar.",
        "Kreistag, Samtgemeinderäte und Gemeinderäte nutzen heute unterschiedliche Wege. Ein "
        "gemeinsames Ratsinformationssystem mit Mandantenfähigkeit macht die Unterlagen "
        "öffentlich recherchierbar und spart Druck und Versand.",
        groups="ca",
        budget=(20_000, 70_000),
        funding=(FONDS, UMLAGE),
        joint=0.8,
        goals=(0,),
        contact_role="Sitzungsdienst",
    ),
    T(
        2,
        "D",
        "Gemeinsame E-Vergabe-Plattform",
        "Ausschreibungen aller Kommunen werden über eine gemeinsame Vergabeplattform "
        "veröffentlicht und elektronisch angeboten.",
        "Kleine Verwaltungen stemmen die elektronische Vergabe nur mit großem Aufwand. Die "
        "zentrale Vergabestelle stellt Plattform, Vorlagen und Beratung bereit.",
        groups="ba",
        budget=(10_000, 40_000),
        funding=(HAUSHALT, UMLAGE),
        joint=0.7,
        goals=(0,),
        contact_role="Zentrale Vergabestelle",
    ),
    # 3 – Medienbruchfreie Prozesse
    T(
        3,
        "DS",
        "Einführung der E-Akte",
        "Vorgänge werden in einem Dokumentenmanagementsystem elektronisch geführt, "
        "beginnend mit den zentralen Diensten.",
        "Die Einführung erfolgt schrittweise, Fachbereich für Fachbereich. Aktenplan und "
        "Aufbewahrungsfristen werden vorher gemeinsam abgestimmt. Papierakten werden ab "
        "dem Stichtag nicht mehr angelegt.",
        budget=(60_000, 300_000),
        funding=(FOERDER_NDS, HAUSHALT),
        joint=0.3,
        goals=(0,),
        contact_role="Organisation und IT",
    ),
    T(
        3,
        "DS",
        "E-Rechnung: digitaler Rechnungseingang und Freigabe-Workflow",
        "Rechnungen kommen als XRechnung an, werden digital geprüft, freigegeben und "
        "automatisch gebucht.",
        "Die Verwaltung ist zum Empfang elektronischer Rechnungen verpflichtet, druckt sie "
        "bisher aber häufig aus. Der Workflow führt die Rechnung vom Posteingang über die "
        "sachliche Prüfung bis zur Buchung im Finanzverfahren.",
        groups="ba",
        budget=(15_000, 60_000),
        funding=(HAUSHALT, FOERDER_NDS),
        joint=0.3,
        goals=(1,),
        contact_role="Kämmerei",
    ),
    T(
        3,
        "S",
        "Digitaler Posteingang mit zentraler Scanstelle",
        "Papierpost wird am ersten Tag gescannt und elektronisch an die Sachbearbeitung verteilt.",
        "Die zentrale Scanstelle ist Voraussetzung für die E-Akte. Originale werden nach "
        "einer Frist vernichtet, soweit keine Aufbewahrungspflicht besteht.",
        budget=(10_000, 35_000),
        funding=(HAUSHALT,),
        goals=(0,),
        contact_role="Fachbereich Zentrale Dienste",
    ),
    T(
        3,
        "SG",
        "Papierlose Gremienarbeit mit Tablets",
        "Ratsmitglieder erhalten Sitzungsunterlagen ausschließlich digital auf Tablets.",
        "Der Versand der Sitzungsunterlagen kostet Papier, Porto und Zeit. Die Ratsmitglieder "
        "{in_kommune} erhalten Tablets mit Zugang zum Ratsinformationssystem und eine "
        "Einführung.",
        groups="a",
        budget=(4_000, 20_000),
        funding=(HAUSHALT,),
        joint=0.2,
        goals=(2,),
        contact_role="Sitzungsdienst",
    ),
    T(
        3,
        "D",
        "Online-Anträge medienbruchfrei an Fachverfahren anbinden",
        "Online-Anträge landen direkt im Fachverfahren, statt ausgedruckt und abgetippt zu werden.",
        "Viele Online-Dienste liefern heute eine PDF-Datei per E-Mail. Über die Schnittstellen "
        "der Fachverfahren (XÖV-Standards) werden die Daten direkt übernommen. Begonnen wird "
        "mit Eingliederungshilfe und Elterngeld.",
        groups="ca",
        budget=(40_000, 140_000),
        funding=(OZG, FOERDER_NDS),
        goals=(0,),
        contact_role="Fachdienst Digitalisierung",
    ),
    T(
        3,
        "DS",
        "Elektronische Personalakte",
        "Personalakten werden digitalisiert und im Personalverfahren elektronisch geführt.",
        "Die Personalakten liegen in Stahlschränken und sind nur vor Ort einsehbar. Die "
        "elektronische Akte ermöglicht Vertretung und mobiles Arbeiten und setzt ein "
        "strenges Rollenkonzept um.",
        budget=(15_000, 60_000),
        funding=(HAUSHALT,),
        goals=(0,),
        contact_role="Personalverwaltung",
    ),
    T(
        3,
        "SG",
        "Digitale Friedhofsverwaltung",
        "Grabstellen, Nutzungsrechte und Gebühren werden digital verwaltet, ein Grabplan ist "
        "online einsehbar.",
        "Die Friedhofsunterlagen bestehen aus Karteikarten und handgezeichneten Plänen. Mit "
        "der Digitalisierung werden Gebührenbescheide automatisch erstellt und "
        "Anfragen von Angehörigen schneller beantwortet.",
        groups="ca",
        budget=(3_000, 15_000),
        funding=(HAUSHALT,),
        joint=0.3,
        goals=(0,),
        contact_role="Friedhofsverwaltung",
    ),
    T(
        3,
        "D",
        "Elektronische Signatur und Fernsignatur",
        "Beschäftigte unterschreiben Dokumente qualifiziert elektronisch, auch unterwegs.",
        "Viele Vorgänge werden nur für die Unterschrift ausgedruckt. Mit Fernsignatur-"
        "Zertifikaten können Bescheide und Verträge ohne Medienbruch gezeichnet werden.",
        budget=(5_000, 25_000),
        funding=(HAUSHALT, FOERDER_NDS),
        joint=0.4,
        goals=(2,),
        contact_role="Fachdienst Organisation",
    ),
    T(
        3,
        "S",
        "Digitale Personalprozesse: Urlaub, Dienstreise, Zeiterfassung",
        "Urlaubs- und Dienstreiseanträge werden im Mitarbeiterportal gestellt und genehmigt.",
        "Papierformulare wandern heute durch mehrere Postfächer. Das Portal verbindet "
        "Antrag, Genehmigung und Zeiterfassung und entlastet die Personalabteilung.",
        budget=(8_000, 30_000),
        funding=(HAUSHALT,),
        joint=0.3,
        goals=(2,),
        contact_role="Fachbereich Zentrale Dienste",
    ),
    # 4 – IT-Sicherheit, Datenschutz und Datenmanagement
    T(
        4,
        "D",
        "Gemeinsame Informationssicherheits-Leitlinie",
        "Landkreis, Samtgemeinden und Mitgliedsgemeinden beschließen eine gemeinsame "
        "Leitlinie zur Informationssicherheit.",
        "Die Leitlinie legt Verantwortlichkeiten, Sicherheitsniveau und Meldewege fest und "
        "orientiert sich am BSI IT-Grundschutz. Jede Verwaltung benennt eine Ansprechperson "
        "für Informationssicherheit.",
        budget=(3_000, 15_000),
        funding=(HAUSHALT,),
        joint=1.0,
        goals=(0,),
        contact_role="Informationssicherheitsbeauftragte des Landkreises",
    ),
    T(
        4,
        "D",
        "Gemeinsame Datenschutzbeauftragte für die kommunale Familie",
        "Der Landkreis stellt den Samtgemeinden und Mitgliedsgemeinden eine gemeinsame "
        "behördliche Datenschutzbeauftragte.",
        "Die kleinen Verwaltungen können die Aufgabe kaum mit eigenem Personal erfüllen. "
        "Eine Zweckvereinbarung regelt Aufgaben, Erreichbarkeit und Kostenerstattung.",
        budget=(40_000, 90_000),
        funding=(UMLAGE,),
        joint=1.0,
        goals=(1,),
        contact_role="Datenschutzbeauftragte",
    ),
    T(
        4,
        "D",
        "Open-Data-Portal des Landkreises",
        "Verwaltungsdaten wie Haushalt, Standorte und Geodaten werden maschinenlesbar und "
        "unter freier Lizenz veröffentlicht.",
        "Das Portal wird an das Open-Data-Angebot des Landes angebunden. Begonnen wird mit "
        "Haushaltsdaten, Schulstandorten, Ladesäulen und Bebauungsplänen. Die Samtgemeinden "
        "können eigene Datensätze einstellen.",
        groups="cba",
        budget=(15_000, 50_000),
        funding=(FOERDER_NDS, FONDS),
        joint=0.5,
        goals=(2,),
        contact_role="Fachdienst Digitalisierung",
    ),
    T(
        4,
        "S",
        "Informationssicherheits-Management nach BSI IT-Grundschutz",
        "Die Verwaltung baut ein Informationssicherheits-Managementsystem auf und prüft sich "
        "jährlich.",
        "Ausgangspunkt ist ein Basis-Check nach dem Profil für Kommunalverwaltungen. Die "
        "wichtigsten Lücken werden priorisiert geschlossen, beginnend mit Datensicherung "
        "und Rechtevergabe.",
        budget=(10_000, 40_000),
        funding=(FOERDER_NDS, HAUSHALT),
        joint=0.2,
        goals=(0,),
        contact_role="IT-Koordination",
    ),
    T(
        4,
        "DS",
        "Phishing-Schulungen und Sensibilisierung der Beschäftigten",
        "Alle Beschäftigten nehmen jährlich an einer Online-Schulung zur Informationssicherheit "
        "teil.",
        "Die meisten Angriffe beginnen mit einer E-Mail. Kurze Lernmodule und simulierte "
        "Phishing-Mails schärfen den Blick; die Ergebnisse werden nur anonym ausgewertet.",
        budget=(3_000, 12_000),
        funding=(HAUSHALT,),
        joint=0.5,
        goals=(0,),
        contact_role="Informationssicherheitsbeauftragte",
    ),
    T(
        4,
        "D",
        "IT-Notfallhandbuch und jährliche Notfallübung",
        "Ein abgestimmtes Notfallhandbuch regelt Wiederanlauf und Kommunikation bei einem "
        "Cyberangriff.",
        "Die Übung spielt einen Ausfall der zentralen Systeme durch, gemeinsam mit den "
        "Samtgemeinden. Erkenntnisse fließen in das Handbuch und die Verträge mit "
        "Dienstleistern ein.",
        budget=(5_000, 25_000),
        funding=(HAUSHALT, FONDS),
        joint=0.7,
        goals=(0,),
        contact_role="Fachdienst IT",
    ),
    T(
        4,
        "DS",
        "Löschkonzept und digitale Langzeitarchivierung",
        "Aufbewahrungsfristen werden im Dokumentenmanagement hinterlegt; archivwürdige "
        "Unterlagen gehen digital an das Archiv.",
        "Mit der E-Akte wachsen die Datenbestände. Das Löschkonzept setzt die Fristen "
        "automatisch um, die Anbindung an das digitale Archiv sichert die Überlieferung.",
        budget=(10_000, 45_000),
        funding=(HAUSHALT,),
        joint=0.3,
        goals=(1, 2),
        contact_role="Registratur und Archiv",
    ),
    T(
        4,
        "G",
        "Verzeichnis der Verarbeitungstätigkeiten aktualisieren",
        "Das Verzeichnis nach Art. 30 DSGVO wird vollständig erfasst und künftig jährlich geprüft.",
        "Die Gemeinde nutzt dafür die Vorlagen der gemeinsamen Datenschutzbeauftragten. "
        "Besonders Vereinsförderung, Dorfgemeinschaftshaus und Friedhof werden neu erfasst.",
        budget=None,
        joint=0.0,
        goals=(1,),
        contact_role="Gemeindebüro",
    ),
    # 5 – Interkommunale Zusammenarbeit
    T(
        5,
        "D",
        "Netzwerk der Digitalisierungsbeauftragten",
        "Die Digitalisierungsbeauftragten von Landkreis und Samtgemeinden treffen sich "
        "monatlich und stimmen Vorhaben ab.",
        "Das Netzwerk bereitet die Fortschreibung der Digitalisierungsstrategie vor und "
        "verteilt Aufgaben nach Stärken. Ergebnisse werden im Portal dokumentiert.",
        budget=(1_000, 5_000),
        funding=(HAUSHALT,),
        joint=1.0,
        goals=(0, 2),
        contact_role="Fachdienst Digitalisierung",
    ),
    T(
        5,
        "D",
        "Gemeinsame Beschaffung von Hardware und Lizenzen",
        "Arbeitsplatzrechner, Notebooks und Softwarelizenzen werden über einen gemeinsamen "
        "Rahmenvertrag beschafft.",
        "Durch gebündelte Mengen sinken die Preise, und alle Verwaltungen arbeiten mit "
        "einheitlicher Ausstattung. Der Landkreis führt die Ausschreibung, die Kommunen rufen "
        "ab.",
        budget=(5_000, 20_000),
        funding=(HAUSHALT,),
        joint=0.9,
        goals=(1,),
        contact_role="Zentrale Vergabestelle",
    ),
    T(
        5,
        "S",
        "Gemeinsamer IT-Service-Desk der Samtgemeinden",
        "Die Samtgemeinden betreiben einen gemeinsamen Service-Desk mit Ticketsystem und "
        "Vertretungsregelung.",
        "Jede Samtgemeinde hat nur ein bis zwei IT-Beschäftigte; Urlaub und Krankheit führen "
        "zu Engpässen. Der gemeinsame Service-Desk sichert die Erreichbarkeit an allen "
        "Arbeitstagen.",
        budget=(20_000, 60_000),
        funding=(UMLAGE, FONDS),
        joint=1.0,
        goals=(0,),
        contact_role="IT-Koordination",
    ),
    T(
        5,
        "D",
        "Interkommunale Digitalakademie",
        "Beschäftigte aller Verwaltungen bilden sich gemeinsam zu E-Akte, Online-Diensten und "
        "Informationssicherheit fort.",
        "Das Programm bietet kurze Präsenz- und Online-Formate. Multiplikatorinnen und "
        "Multiplikatoren aus den Samtgemeinden geben ihr Wissen weiter.",
        budget=(10_000, 35_000),
        funding=(FONDS, FOERDER_NDS),
        joint=0.8,
        goals=(0, 2),
        contact_role="Fachdienst Personal",
    ),
    T(
        5,
        "S",
        "Gemeinsames Tourismus- und Veranstaltungsportal",
        "Veranstaltungen, Unterkünfte und Freizeitangebote im Wendland erscheinen in einem "
        "gemeinsamen Portal.",
        "Vereine und Gemeinden pflegen ihre Termine einmal, das Portal verteilt sie an "
        "Websites, Apps und Aushänge. Die Daten stehen auch als offene Daten bereit.",
        groups="cb",
        budget=(5_000, 30_000),
        funding=(FONDS, HAUSHALT),
        joint=0.7,
        goals=(2,),
        contact_role="Tourismus und Kultur",
    ),
    T(
        5,
        "D",
        "Einer-für-Alle-Leistungen gemeinsam übernehmen",
        "Online-Dienste aus dem Einer-für-Alle-Angebot werden einmal geprüft und für alle "
        "Kommunen aktiviert.",
        "Der Landkreis prüft Vertragsbedingungen, Datenschutz und Schnittstellen zentral. Die "
        "Samtgemeinden müssen danach nur noch ihre Zuständigkeiten hinterlegen.",
        groups="ca",
        budget=(10_000, 40_000),
        funding=(OZG, FONDS),
        joint=0.9,
        goals=(2, 0),
        contact_role="Fachdienst Digitalisierung",
    ),
    T(
        5,
        "S",
        "Gemeinsame Website-Plattform für die Mitgliedsgemeinden",
        "Die Mitgliedsgemeinden erhalten eigene Seiten auf der Plattform der Samtgemeinde.",
        "Viele Gemeinden pflegen veraltete Websites mit ehrenamtlicher Hilfe. Die gemeinsame "
        "Plattform bietet Vorlagen für Bekanntmachungen, Termine und Ansprechpersonen und ist "
        "barrierefrei.",
        groups="ca",
        budget=(8_000, 30_000),
        funding=(HAUSHALT, FONDS),
        joint=0.9,
        goals=(2,),
        contact_role="Öffentlichkeitsarbeit",
    ),
    # 6 – Digitale Teilhabe und Barrierefreiheit
    T(
        6,
        "GS",
        "Freies WLAN in den Dorfgemeinschaftshäusern",
        "Die Dorfgemeinschaftshäuser {in_kommune} erhalten freies WLAN für Veranstaltungen, "
        "Kurse und Sprechstunden.",
        "Die Häuser sind Treffpunkt in den Ortsteilen, haben aber meist keinen "
        "Internetzugang. Das WLAN wird über ein landesweites Freifunk- oder Hotspot-Angebot "
        "betrieben, ohne Anmeldung.",
        groups="c",
        budget=(1_500, 9_000),
        funding=(DORF, HAUSHALT),
        joint=0.2,
        goals=(2,),
    ),
    T(
        6,
        "SG",
        "Digitale Sprechstunde für Seniorinnen und Senioren {in_kommune}",
        "Ehrenamtliche helfen einmal im Monat bei Smartphone, Online-Banking und Online-Anträgen.",
        "Die Sprechstunde findet im Gemeindehaus oder in der Bibliothek statt. Die Helferinnen "
        "und Helfer werden von den Digitallotsen des Landkreises geschult und mit Leihgeräten "
        "unterstützt.",
        groups="c",
        budget=(500, 4_000),
        funding=(HAUSHALT, FONDS),
        joint=0.2,
        goals=(1,),
        contact_role="Seniorenbeirat",
    ),
    T(
        6,
        "DS",
        "Digitallotsinnen und Digitallotsen im ländlichen Raum",
        "Geschulte Digitallotsen unterstützen Bürgerinnen und Bürger wohnortnah beim Nutzen "
        "digitaler Verwaltungsangebote.",
        "Das Programm des Landes wird auf den Landkreis übertragen. Die Lotsen sind in "
        "Bürgerbüros, Bibliotheken und Mehrgenerationenhäusern erreichbar und kennen die "
        "Online-Dienste der Verwaltungen.",
        groups="c",
        budget=(10_000, 45_000),
        funding=(FOERDER_NDS, FONDS),
        joint=0.5,
        goals=(1,),
        contact_role="Digitalisierung und E-Government",
    ),
    T(
        6,
        "DSG",
        "Barrierefreie Website nach BITV 2.0",
        "Der Internetauftritt wird nach BITV 2.0 geprüft und barrierefrei umgestaltet.",
        "Ein externer BITV-Test zeigt die Mängel, etwa fehlende Alternativtexte, zu geringe "
        "Kontraste und nicht bedienbare Formulare. Die Erklärung zur Barrierefreiheit und "
        "ein Feedback-Mechanismus werden ergänzt.",
        groups="c",
        budget=(3_000, 25_000),
        funding=(HAUSHALT,),
        joint=0.1,
        goals=(0,),
        contact_role="Öffentlichkeitsarbeit",
    ),
    T(
        6,
        "D",
        "Erklärvideos und Leichte Sprache für Online-Dienste",
        "Die wichtigsten Online-Dienste werden mit kurzen Erklärvideos und Texten in Leichter "
        "Sprache begleitet.",
        "Menschen mit Lernschwierigkeiten und geringen Deutschkenntnissen scheitern oft an "
        "der Antragssprache. Die Texte werden mit einer Prüfgruppe aus dem Landkreis "
        "erstellt.",
        groups="c",
        budget=(8_000, 30_000),
        funding=(FOERDER_NDS, HAUSHALT),
        goals=(0, 1),
        contact_role="Fachdienst Digitalisierung",
    ),
    T(
        6,
        "G",
        "Öffentliches WLAN in der Ortsmitte von {name}",
        "Am Marktplatz und an den Bushaltestellen in {name} gibt es freies WLAN.",
        "Das WLAN hilft Einheimischen und Gästen, etwa beim Abruf von Fahrplänen und "
        "Touristeninformationen. Die Zugangspunkte werden an öffentlichen Gebäuden montiert.",
        groups="cb",
        budget=(3_000, 15_000),
        funding=(DORF, HAUSHALT),
        joint=0.0,
        goals=(2,),
        contact_role="Gemeindebüro",
    ),
    T(
        6,
        "D",
        "Leihgeräte für Menschen ohne eigenes Endgerät",
        "Bibliotheken und Bürgerbüros verleihen Tablets mit einfacher Oberfläche.",
        "Nicht jeder Haushalt hat ein geeignetes Gerät für Online-Anträge oder "
        "Videosprechstunden. Die Geräte werden mit Anleitung verliehen und nach Rückgabe "
        "zurückgesetzt.",
        groups="c",
        budget=(5_000, 20_000),
        funding=(FONDS,),
        joint=0.4,
        goals=(1,),
        contact_role="Kreisbibliothek",
    ),
    T(
        6,
        "G",
        "Dorf-App für {name}",
        "Eine App bündelt Neuigkeiten, Termine und Nachbarschaftshilfe für die Menschen "
        "{in_kommune}.",
        "Die App ersetzt den Aushangkasten nicht, ergänzt ihn aber um Push-Nachrichten, "
        "etwa bei Straßensperrungen. Vereine können eigene Beiträge einstellen.",
        groups="c",
        budget=(1_000, 6_000),
        funding=(DORF, HAUSHALT),
        joint=0.1,
        goals=(2,),
        contact_role="Gemeindebüro",
    ),
    T(
        6,
        "DS",
        "Barrierefreie Formulare und Dokumente",
        "Formulare und Bekanntmachungen werden als barrierefreie PDF-Dateien oder als "
        "Online-Formular angeboten.",
        "Eingescannte Formulare sind für Screenreader nicht lesbar. Die Vorlagen werden "
        "überarbeitet und die Beschäftigten im Erstellen barrierefreier Dokumente geschult.",
        groups="c",
        budget=(4_000, 18_000),
        funding=(HAUSHALT,),
        joint=0.3,
        goals=(0,),
        contact_role="Öffentlichkeitsarbeit",
    ),
]

# Clearly fictitious contact names.
CONTACT_NAMES = [
    "Erika Mustermann",
    "Max Mustermann",
    "Maria Musterfrau",
    "Bernd Beispiel",
    "Paula Platzhalter",
    "Theo Testmann",
    "Doris Demo",
    "Emil Exempel",
    "Frieda Fiktiv",
    "Otto Normalverbraucher",
]

DEFAULT_CONTACT_ROLES = {
    DISTRICT: ["Fachdienst Digitalisierung", "Stabsstelle Digitalisierung und IT"],
    SAMTGEMEINDE: ["Fachbereich Zentrale Dienste", "IT-Koordination"],
    GEMEINDE: ["Gemeindebüro", "Büro der Bürgermeisterin / des Bürgermeisters"],
}
