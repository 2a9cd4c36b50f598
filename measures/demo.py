"""Demo content for development and presentations: `manage.py seed_demo`.

The content is plain data (goals, measure templates, demo users) plus a seeder that combines
the templates deterministically (fixed random seed) with the municipalities in the database.
Every demo measure carries ``is_demo=True``; titles stay realistic because the portal shows the
flag itself.

Idempotent: users, memberships and goals are created only where missing (never reset), and
measures only if no demo measure exists yet, so nothing entered in between is overwritten.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from fields_of_action.models import FieldOfAction, Goal
from municipalities.models import Membership, Municipality, MunicipalityKind, Role

from .models import Measure, Partnership, Priority, Status

SEED = 20261127
TOTAL_MEASURES = 132
# Only for local development (the command refuses unless DEBUG is on).
DEMO_PASSWORD = "demo"  # noqa: S105

DISTRICT, SAMTGEMEINDE, GEMEINDE = "D", "S", "G"


class DemoRefused(Exception):
    """The demo content cannot be created; the message (German) says why."""


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

STATUS_WEIGHTS = {
    Status.IDEA: 16,
    Status.PLANNED: 25,
    Status.IN_PROGRESS: 30,
    Status.COMPLETED: 19,
    Status.PAUSED: 5,
    Status.DROPPED: 5,
}
PRIORITY_WEIGHTS = {Priority.HIGH: 30, Priority.MEDIUM: 50, Priority.LOW: 20}


# --- Demo users -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    municipality_slug: str | None  # None: the district

    @property
    def email(self):
        return f"{self.username}@example.org"


DEMO_USERS = [
    DemoUser("koordination", "Sabine", "Wendt", Role.COORDINATOR, None),
    DemoUser("kreistag", "Jürgen", "Albers", Role.COUNCIL, None),
    DemoUser("sg-elbtalaue", "Miriam", "Schulze", Role.EDITOR, "sg-elbtalaue"),
    DemoUser("hitzacker", "Henrik", "Brandt", Role.EDITOR, "hitzacker-elbe"),
]


# --- Seeder -----------------------------------------------------------------------------------


def kind_code(municipality):
    if municipality.kind == MunicipalityKind.DISTRICT:
        return DISTRICT
    if municipality.kind == MunicipalityKind.SAMTGEMEINDE:
        return SAMTGEMEINDE
    return GEMEINDE


def full_name(municipality):
    """'Landkreis Lüchow-Dannenberg', 'Samtgemeinde Elbtalaue', 'Stadt Hitzacker (Elbe)'."""
    prefix = {
        MunicipalityKind.DISTRICT: "Landkreis",
        MunicipalityKind.SAMTGEMEINDE: "Samtgemeinde",
        MunicipalityKind.TOWN: "Stadt",
        MunicipalityKind.FLECKEN: "Flecken",
    }.get(municipality.kind, "Gemeinde")
    return f"{prefix} {municipality.name}"


def in_name(municipality):
    """'im Landkreis Lüchow-Dannenberg', 'in der Samtgemeinde Gartow', 'in Gorleben'."""
    if municipality.kind == MunicipalityKind.DISTRICT:
        return f"im Landkreis {municipality.name}"
    if municipality.kind == MunicipalityKind.SAMTGEMEINDE:
        return f"in der Samtgemeinde {municipality.name}"
    return f"in {municipality.name}"


def add_months(day, months):
    years, month_index = divmod(day.month - 1 + months, 12)
    return datetime.date(day.year + years, month_index + 1, 1)


@dataclass
class Login:
    username: str
    role: str
    municipality: str
    created: bool


@dataclass
class SeedResult:
    logins: list = field(default_factory=list)
    goals_created: int = 0
    measures_created: int = 0
    measures_existing: int = 0


class DemoSeeder:
    """Creates the demo users, goals and measures. ``run()`` is idempotent."""

    def __init__(self, seed=SEED, total=TOTAL_MEASURES, today=None):
        self.rng = random.Random(seed)
        self.total = total
        today = today or timezone.localdate()
        self.this_month = today.replace(day=1)

    def check(self):
        if not settings.DEBUG:
            raise DemoRefused(
                "Die Demo-Inhalte werden nur mit DEBUG=True angelegt, weil sie Zugänge mit "
                "dem bekannten Passwort „demo“ einrichten. In einer produktiven Umgebung "
                "wäre das ein Sicherheitsrisiko."
            )
        if not Municipality.objects.exists():
            raise DemoRefused(
                "Es sind noch keine Kommunen geladen. Bitte zuerst ausführen: manage.py "
                "import_municipalities municipalities/data/"
                "destatis_gv_auszug_q4_luechow-dannenberg_raw.csv "
                "--seats municipalities/data/samtgemeinde_sitze.csv"
            )
        if not Municipality.objects.filter(kind=MunicipalityKind.DISTRICT).exists():
            raise DemoRefused(
                "Es ist kein Landkreis angelegt; Koordinierungsstelle und Kreistag gehören "
                "zum Landkreis. Bitte den vollständigen GV-ISys-Auszug importieren."
            )
        if FieldOfAction.objects.count() == 0:
            raise DemoRefused(
                "Es sind keine Handlungsfelder vorhanden. Bitte zuerst „manage.py migrate“ "
                "ausführen."
            )

    @transaction.atomic
    def run(self):
        self.check()
        result = SeedResult()
        self.municipalities = list(Municipality.objects.in_tree_order())
        self.district = next(m for m in self.municipalities if kind_code(m) == DISTRICT)
        self.users = self._ensure_users(result)
        self.goals = self._ensure_goals(result)
        existing = Measure.objects.filter(is_demo=True).count()
        if existing:
            # Do not touch the demo measures again: they may have been edited since.
            result.measures_existing = existing
        else:
            result.measures_created = self._create_measures()
        return result

    # Users and goals

    def _ensure_users(self, result):
        User = get_user_model()
        by_slug = {m.slug: m for m in self.municipalities}
        users = {}
        for demo in DEMO_USERS:
            municipality = (
                self.district
                if demo.municipality_slug is None
                else by_slug.get(demo.municipality_slug)
            )
            if municipality is None:
                continue
            user, created = User.objects.get_or_create(
                username=demo.username,
                defaults={
                    "first_name": demo.first_name,
                    "last_name": demo.last_name,
                    "email": demo.email,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(user=user, municipality=municipality, role=demo.role)
            users[demo.username] = user
            result.logins.append(
                Login(
                    username=demo.username,
                    role=str(Role(demo.role).label),
                    municipality=full_name(municipality),
                    created=created,
                )
            )
        return users

    def _ensure_goals(self, result):
        fields = {f.number: f for f in FieldOfAction.objects.all()}
        goals = {}
        for number, entries in GOALS.items():
            field_of_action = fields.get(number)
            if field_of_action is None:
                continue
            goals[number] = []
            for position, (title, description) in enumerate(entries, start=1):
                goal, created = Goal.objects.get_or_create(
                    field_of_action=field_of_action,
                    title=title,
                    defaults={
                        "description": description,
                        "position": position,
                        "created_by": self.users.get("koordination"),
                    },
                )
                result.goals_created += created
                goals[number].append(goal)
        self.fields = fields
        return goals

    # Measures

    def _plan(self):
        """(template, lead) pairs: every template and every municipality at least once."""
        rng = self.rng
        by_kind = {DISTRICT: [], SAMTGEMEINDE: [], GEMEINDE: []}
        for m in self.municipalities:
            by_kind[kind_code(m)].append(m)
        templates = [t for t in TEMPLATES if t.field in self.fields]
        plan, used = [], set()
        lead_count, template_count = Counter(), Counter()

        def add(index, lead):
            plan.append((templates[index], lead))
            used.add((index, lead.pk))
            lead_count[lead.pk] += 1
            template_count[index] += 1

        def least_used(options):
            fewest = min(template_count[i] for i in options)
            return rng.choice([i for i in options if template_count[i] == fewest])

        for index, template in enumerate(templates):
            candidates = [m for k in template.leads for m in by_kind[k]] or self.municipalities
            fresh = [m for m in candidates if not lead_count[m.pk]]
            add(index, rng.choice(fresh or candidates))

        for m in self.municipalities:
            if lead_count[m.pk]:
                continue
            options = [i for i, t in enumerate(templates) if kind_code(m) in t.leads]
            add(least_used(options or list(range(len(templates)))), m)

        kinds = [k for k in (DISTRICT, SAMTGEMEINDE, GEMEINDE) if by_kind[k]]
        weights = {DISTRICT: 1, SAMTGEMEINDE: 3, GEMEINDE: 6}
        attempts = 0
        while len(plan) < self.total and attempts < self.total * 50:
            attempts += 1
            kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
            lead = rng.choice(by_kind[kind])
            options = [
                i for i, t in enumerate(templates) if kind in t.leads and (i, lead.pk) not in used
            ]
            if options:
                add(least_used(options), lead)
        rng.shuffle(plan)
        return plan

    def _spread(self, weights, count):
        """A shuffled list of ``count`` choices in the given proportions, each at least twice."""
        total = sum(weights.values())
        values = []
        for choice, weight in weights.items():
            values += [choice] * max(2, round(count * weight / total))
        self.rng.shuffle(values)
        while len(values) < count:
            values.append(self.rng.choices(list(weights), weights=list(weights.values()))[0])
        # Trim from the most common choice so that every choice stays present.
        while len(values) > count:
            most = Counter(values).most_common(1)[0][0]
            values.remove(most)
        return values

    def _dates(self, status):
        rng, now = self.rng, self.this_month
        if status == Status.IDEA:
            if rng.random() < 0.4:
                return None, None
            start = add_months(now, rng.randint(6, 24))
            return start, add_months(start, rng.randint(6, 18))
        if status == Status.PLANNED:
            start = add_months(now, rng.randint(1, 12))
            return start, add_months(start, rng.randint(6, 24))
        if status == Status.IN_PROGRESS:
            return add_months(now, -rng.randint(2, 24)), add_months(now, rng.randint(1, 18))
        if status == Status.COMPLETED:
            end = add_months(now, -rng.randint(1, 24))
            return add_months(end, -rng.randint(3, 18)), end
        if status == Status.PAUSED:
            return add_months(now, -rng.randint(4, 18)), add_months(now, rng.randint(3, 15))
        start = add_months(now, -rng.randint(3, 18))  # dropped
        return start, add_months(start, rng.randint(6, 18))

    def _budget(self, template, status):
        rng = self.rng
        if template.budget is None or (status == Status.IDEA and rng.random() < 0.4):
            return None, None
        low, high = template.budget
        step = 500 if high >= 20_000 else 100
        planned = Decimal(max(step, round(rng.uniform(low, high) / step) * step))
        spent_range = {
            Status.COMPLETED: (0.82, 1.08),
            Status.IN_PROGRESS: (0.1, 0.7),
            Status.PAUSED: (0.05, 0.4),
            Status.DROPPED: (0.0, 0.15),
        }.get(status)
        if spent_range is None:
            return planned, None
        spent = Decimal(round(float(planned) * rng.uniform(*spent_range) / 10) * 10)
        return planned, spent or None

    def _partners(self, lead):
        rng = self.rng
        code = kind_code(lead)
        samtgemeinden = [m for m in self.municipalities if kind_code(m) == SAMTGEMEINDE]
        if code == DISTRICT:
            pool = samtgemeinden
        elif code == SAMTGEMEINDE:
            members = [m for m in self.municipalities if m.parent_id == lead.pk]
            others = [m for m in samtgemeinden if m.pk != lead.pk]
            pool = members if members and rng.random() < 0.5 else others + [self.district]
        else:
            siblings = [
                m
                for m in self.municipalities
                if m.parent_id == lead.parent_id and m.pk != lead.pk and kind_code(m) == GEMEINDE
            ]
            parent = [m for m in self.municipalities if m.pk == lead.parent_id]
            pool = parent if not siblings or rng.random() < 0.3 else siblings
        pool = [m for m in pool if m.pk != lead.pk]
        if not pool:
            return []
        count = rng.randint(1, min(len(pool), 4))
        partners = sorted(rng.sample(pool, count), key=lambda m: m.tree_path)
        if rng.random() < 0.4:
            return [(m, None) for m in partners]
        # The partners carry part of the cost, the lead keeps the rest.
        partner_total = Decimal(rng.choice([30, 40, 50, 60, 75, 80]))
        each = (partner_total / len(partners)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        return [(m, each) for m in partners]

    def _author(self, lead):
        users = self.users
        if lead.slug == "hitzacker-elbe" and "hitzacker" in users:
            return users["hitzacker"]
        elbtalaue = lead.slug == "sg-elbtalaue" or (
            lead.parent is not None and lead.parent.slug == "sg-elbtalaue"
        )
        if elbtalaue and "sg-elbtalaue" in users:
            return users["sg-elbtalaue"]
        return users.get("koordination")

    def _create_measures(self):
        rng = self.rng
        plan = self._plan()
        statuses = self._spread(STATUS_WEIGHTS, len(plan))
        priorities = self._spread(PRIORITY_WEIGHTS, len(plan))
        for (template, lead), status, priority in zip(plan, statuses, priorities, strict=True):
            names = {"name": lead.name, "kommune": full_name(lead), "in_kommune": in_name(lead)}
            start, end = self._dates(status)
            budget_planned, budget_spent = self._budget(template, status)
            code = kind_code(lead)
            with_contact = rng.random() < 0.85
            author = self._author(lead)
            measure = Measure(
                lead_municipality=lead,
                field_of_action=self.fields[template.field],
                title=template.title.format(**names),
                summary=template.summary.format(**names),
                description=template.description.format(**names),
                for_citizens="c" in template.groups,
                for_businesses="b" in template.groups,
                for_administration="a" in template.groups,
                status=status,
                priority=priority,
                planned_start=start,
                planned_end=end,
                budget_planned=budget_planned,
                budget_spent=budget_spent,
                funding_source=rng.choice(template.funding) if budget_planned else "",
                contact_role=(
                    (template.contact_role or rng.choice(DEFAULT_CONTACT_ROLES[code]))
                    if with_contact
                    else ""
                ),
                contact_name=rng.choice(CONTACT_NAMES) if with_contact else "",
                contact_email=(
                    f"digitalisierung@{lead.slug}.example.org"
                    if with_contact and rng.random() < 0.7
                    else ""
                ),
                leika_key=template.leika_key,
                created_by=author,
                updated_by=author,
                is_demo=True,
            )
            measure.full_clean()
            measure._history_user = author
            measure.save()
            goals = self.goals.get(template.field, [])
            chosen = {goals[i] for i in template.goals if i < len(goals)}
            if goals and rng.random() < 0.2:
                chosen.add(rng.choice(goals))
            if chosen:
                measure.goals.set(sorted(chosen, key=lambda g: g.pk))
            if rng.random() < template.joint:
                for municipality, share in self._partners(lead):
                    partnership = Partnership(
                        measure=measure, municipality=municipality, cost_share_percent=share
                    )
                    partnership._history_user = author
                    partnership.save()
        return len(plan)
