"""Standard texts of the Beschlussvorlage, in German, drawn from the Kreistag's resolution."""

PROPOSED_RESOLUTION = "\n\n".join(
    [
        "Der Kreistag des Landkreises Lüchow-Dannenberg beschließt:",
        "1. Die interkommunale Digitalisierungsstrategie des Landkreises Lüchow-Dannenberg und "
        "seiner Städte, Samtgemeinden und Gemeinden wird in der vorliegenden Fassung ({version}) "
        "beschlossen.",
        "2. Die Strategie umfasst die Handlungsfelder digitale Verwaltungsleistungen für "
        "Bürgerinnen und Bürger sowie Unternehmen, gemeinsame Nutzung digitaler Fachverfahren und "
        "technischer Infrastrukturen, medienbruchfreie Verwaltungsprozesse, gemeinsame Standards "
        "für IT-Sicherheit, Datenschutz und Datenmanagement, Synergien durch interkommunale "
        "Zusammenarbeit sowie digitale Teilhabe und Barrierefreiheit mit den in dieser Vorlage "
        "aufgeführten Maßnahmen.",
        "3. Die Kreisverwaltung setzt die Strategie in enger Abstimmung mit den kreisangehörigen "
        "Städten, Samtgemeinden und Gemeinden als gemeinsame Aufgabe der kommunalen Familie um.",
        "4. Alle Instrumente der Strategie werden fortlaufend daraufhin evaluiert, ob sie die "
        "gewünschten Effekte erzielen. Die Kreisverwaltung berichtet dem Kreistag regelmäßig über "
        "den Stand und legt Fortschreibungen zur Beschlussfassung vor.",
    ]
)

EASY_READ_SUMMARY = """Der Landkreis Lüchow-Dannenberg hat einen Plan gemacht.
Der Plan heißt: Digitalisierungs-Strategie.
{taking_part}

Digital heißt: mit dem Computer oder mit dem Handy.
Zum Beispiel: einen Antrag im Internet stellen.
Dann müssen die Menschen nicht zum Amt gehen.

In dem Plan stehen {count} Maßnahmen.
Eine Maßnahme ist eine Sache, die eine Kommune machen will.
Viele Kommunen machen Maßnahmen zusammen.
Dann muss nicht jede Kommune alles allein machen.

Der Plan hat 6 Themen.
Zum Beispiel: Die Internet-Seiten sollen für alle Menschen gut zu benutzen sein.
Auch für Menschen mit Behinderung.

Die Kommunen prüfen immer wieder:
Hilft die Maßnahme wirklich?

Der Kreis-Tag entscheidet über den Plan.
Der Kreis-Tag sind Politikerinnen und Politiker.
Die Menschen im Landkreis haben sie gewählt."""


def easy_read_summary(count, taking_part, total):
    """The Leichte-Sprache summary with the real numbers: measures, bodies taking part."""
    if total and taking_part >= total:
        who = f"Alle {total} Städte und Gemeinden im Landkreis machen mit."
    else:
        verb = "macht" if taking_part == 1 else "machen"
        who = f"Im Landkreis gibt es {total} Städte und Gemeinden.\n{taking_part} davon {verb} mit."
    return EASY_READ_SUMMARY.format(count=count, taking_part=who)


EVALUATION_METHOD = [
    "Jede Maßnahme kann Indikatoren haben: Kennzahlen mit einem Ausgangswert, einem Zielwert "
    "und einem Zieldatum, zum Beispiel „Anteil der online angebotenen Leistungen“.",
    "Die Werte kommen aus dem Portal selbst, aus offenen Datenquellen (etwa der "
    "Regionalstatistik) oder werden von den Kommunen in Datenerhebungsrunden eingetragen.",
    "Für jeden Indikator vergleicht das Portal, wie weit der Weg vom Ausgangswert zum Zielwert "
    "schon zurückgelegt ist, mit dem Weg, der bei gleichmäßigem Fortschritt bis heute zu "
    "erwarten wäre. Wer mindestens 95 Prozent des erwarteten Wegs geschafft hat, ist „auf "
    "Kurs“; ab 50 Prozent „gefährdet“; darunter „nicht auf Kurs“. Fehlt ein fälliger Wert, "
    "heißt der Stand „veraltet“; ohne jeden Wert „keine Daten“.",
    "Einmal im Jahr bewerten die Kommunen außerdem jede laufende oder abgeschlossene Maßnahme: "
    "Hat sie die gewünschte Wirkung erzielt?",
    "Eine Maßnahme in Umsetzung gilt als „fortlaufend evaluiert“, wenn mindestens einer ihrer "
    "Indikatoren einen aktuellen Wert hat (auf Kurs, gefährdet oder nicht auf Kurs). Gezählt "
    "werden die Indikatoren der aktiven Maßnahmen: geplant, in Umsetzung oder abgeschlossen. "
    "Dieselben Zahlen zeigt die Evaluierung im Portal.",
]

GLOSSARY = [
    ("BundID", "Das zentrale Nutzerkonto des Bundes, mit dem sich Bürgerinnen und Bürger für "
     "Online-Anträge aller Verwaltungen anmelden."),
    ("Fachverfahren", "Software für eine bestimmte Verwaltungsaufgabe, zum Beispiel für das "
     "Einwohnermeldewesen oder die Finanzbuchhaltung."),
    ("Federführende Kommune", "Die Kommune, die eine Maßnahme verantwortet und umsetzt; "
     "beteiligte Kommunen wirken mit und tragen gegebenenfalls einen Kostenanteil."),
    ("Indikator", "Eine Kennzahl, an der gemessen wird, ob eine Maßnahme wirkt."),
    ("Interkommunale Zusammenarbeit", "Kommunen erledigen eine Aufgabe gemeinsam, statt jede "
     "für sich, und teilen sich Kosten und Wissen."),
    ("LeiKa", "Der Leistungskatalog der öffentlichen Verwaltung: Er gibt jeder "
     "Verwaltungsleistung einen bundesweit einheitlichen 14-stelligen Schlüssel."),
    ("Medienbruchfrei", "Ein Vorgang läuft von Anfang bis Ende digital, ohne dass etwas "
     "ausgedruckt, abgetippt oder eingescannt werden muss."),
    ("OZG", "Onlinezugangsgesetz: verpflichtet Bund, Länder und Kommunen, ihre "
     "Verwaltungsleistungen auch online anzubieten."),
    ("Samtgemeinde", "Ein Zusammenschluss mehrerer Gemeinden in Niedersachsen, der viele "
     "Verwaltungsaufgaben für seine Mitgliedsgemeinden erledigt."),
    ("XÖV-Standards", "Einheitliche Formate für den Datenaustausch zwischen Verwaltungen, "
     "zum Beispiel XMeld für das Meldewesen oder XRechnung für Rechnungen."),
]  # fmt: skip


def financial_impact_texts(scope=None):
    """The wording of the section "Finanzielle Auswirkungen" (the PDFs and the Word files);
    ``scope``: in a body's Vorlage, whose part the figures show ("Samtgemeinde Gartow und ihre
    Mitgliedsgemeinden"); None in the Kreistag's, which shows all."""
    texts = {
        "intro": "Geplante Kosten der Maßnahmen je Haushaltsjahr in Euro. Investition: "
        "investive Auszahlungen; laufender Aufwand: ordentliche Aufwendungen; Folgekosten: "
        "jährliche Kosten nach Abschluss. Eigenanteil: Kosten abzüglich bewilligter "
        "Fördermittel. Noch offene Fördermittel (geplant oder beantragt) mindern den "
        "Eigenanteil nicht.",
        "empty": "Für die Maßnahmen dieses Entwurfs sind keine Kosten je Haushaltsjahr angegeben.",
        "caption": "Finanzielle Auswirkungen je Haushaltsjahr",
        "by_kind": "Kosten nach Art der Aufgabe",
        "by_body": "Eigenanteil je Kommune (gemeinsame Maßnahmen nach bestätigten "
        "Kostenanteilen; den Rest trägt die federführende Kommune)",
    }
    if scope is not None:
        texts["intro"] += (
            f" Gezeigt ist, was auf {scope} entfällt: die eigenen Maßnahmen und von gemeinsamen "
            "Maßnahmen der Teil nach den bestätigten Kostenanteilen."
        )
        texts["empty"] = (
            f"Für {scope} sind bei den Maßnahmen dieser Version keine Kosten je Haushaltsjahr "
            "angegeben."
        )
        texts["caption"] += f" für {scope}"
    return texts
