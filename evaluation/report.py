"""The Sachstandsbericht: frozen into a snapshot when built, rendered from it only.

What it reports, for the district or for one body (the measures it leads or takes part in):

- the key figures now (evaluation.figures, the same definitions as the dashboards and the
  draft) and the measures per status at the end of the period and at the end of the previous
  report's (status over time: measures.status_changes, evaluation.status_history);
- what happened in the period: measures new, started, completed, dropped;
- the indicators per status at both days;
- per active measure its latest Sachstand in the period and its indicators against target;
- the active measures without a Sachstand.

Presented "zur Kenntnisnahme" (evaluation.report_presenting), the report is public. So what
it names is what the public may read already: measures are listed by their published version
(title, lead and field of the version laid before the Kreistag) and their indicators by their
published texts; a measure never published counts in the figures but is not named (the method
section says how many). A listed measure shows its published status and is listed when that
status is active; its costs are those of its published cost plan (money.report_costs). The key
figures, the status tables and the fields over time count the current data of every measure in
scope, published or not, as the coordinator's dashboard does (the method section says so).
Indicator values and the Sachstand (written for reporting) are current, as on the public
evaluation pages; no person's name is stored in the snapshot.
"""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import formats, timezone

from measures import status_changes
from measures.models import Measure, MeasureStatusChange, ReviewState, Status

from . import money, status_history
from .figures import ACTIVE_STATUSES, STRATEGY_STATUSES, figures_for
from .models import Indicator, ProgressNote, ProgressReport
from .status import IndicatorStatus

SCHEMA_VERSION = 2

METHOD = [
    "Der Bericht beruht auf den Angaben, die die Kommunen im Digitalstrategie-Portal gemacht "
    "haben: dem Umsetzungsstand jeder Maßnahme, ihren Sachständen und den Werten ihrer "
    "Indikatoren.",
    "Jede Änderung des Umsetzungsstands wird mit Datum gespeichert. Daher lässt sich der Stand "
    "an jedem Tag angeben, etwa am Ende dieses und des vorigen Berichtszeitraums.",
    "Ein Indikator ist „auf Kurs“, wenn mindestens 95 Prozent des bis heute erwarteten Wegs vom "
    "Ausgangswert zum Zielwert geschafft sind; ab 50 Prozent „gefährdet“, darunter „nicht auf "
    "Kurs“. Fehlt ein fälliger Wert, heißt er „veraltet“.",
    "Eine Maßnahme in Umsetzung gilt als „fortlaufend evaluiert“, wenn mindestens einer ihrer "
    "Indikatoren einen aktuellen Wert hat. Dieselben Zahlen sieht die Verwaltung in der "
    "Evaluierung im Portal.",
    "Die Kennzahlen, die Tabellen der Maßnahmen und Indikatoren je Stand, die Zahl der neuen, "
    "begonnenen, abgeschlossenen und verworfenen Maßnahmen und der Stand je Handlungsfeld "
    "zählen alle Maßnahmen des Berichts mit ihren aktuellen Angaben im Portal: auch "
    "Maßnahmen, die noch nie veröffentlicht wurden, und Änderungen, die noch nicht "
    "veröffentlicht sind.",
    "Einzeln genannt werden nur Maßnahmen, deren veröffentlichte Fassung geplant, in "
    "Umsetzung oder abgeschlossen ist: mit Titel, federführender Kommune, Handlungsfeld und "
    "Umsetzungsstand so, wie sie dem Kreistag zuletzt vorgelegt wurden, und mit den "
    "veröffentlichten Namen ihrer Indikatoren. Ist ein neuerer Umsetzungsstand noch nicht "
    "veröffentlicht, steht hier der veröffentlichte. Maßnahmen, die noch nie veröffentlicht "
    "wurden, zählen in den Kennzahlen mit, werden aber nicht aufgeführt. Der Sachstand ist "
    "der jüngste im Berichtszeitraum, die Werte der Indikatoren sind die aktuellen.",
    "Die Kosten sind Investition und laufender Aufwand aus den veröffentlichten Kostenplänen "
    "der Maßnahmen, je Haushaltsjahr und Handlungsfeld zusammengezählt: so, wie sie dem "
    "Kreistag zuletzt vorgelegt wurden. Maßnahmen, die noch nie veröffentlicht wurden, und "
    "spätere, noch nicht veröffentlichte Änderungen zählen nicht mit. Die "
    "Abweichung vergleicht Ist und Plan nur in den Jahren, für die schon Ist-Kosten angegeben "
    "sind.",
]
METHOD_EASY = [
    "Die Gemeinden, Samtgemeinden und der Landkreis machen Maßnahmen für die Digitalisierung.",
    "Sie schreiben im Portal auf, wie weit jede Maßnahme ist.",
    "Das Portal merkt sich jede Änderung mit dem Datum.",
    "So sieht man: Was war vor einem Jahr? Was ist heute?",
    "Für viele Maßnahmen gibt es Zahlen. Die Zahlen zeigen: Wirkt die Maßnahme?",
    "Einzeln stehen im Bericht nur Maßnahmen, die schon öffentlich sind.",
    "Sie stehen so im Bericht, wie alle sie im Internet lesen können.",
]
STATUS_LABELS = dict(Status.choices)


def _moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _day(value):
    return formats.date_format(value, "d.m.Y") if value else ""


def in_scope(body=None):
    """The measures a report covers: the district's all, a body's those it leads or takes part
    in (with its members, for a Samtgemeinde: MeasureQuerySet.concerning). Never withdrawn."""
    return Measure.objects.concerning(body).exclude(review_state=ReviewState.WITHDRAWN)


def _happened(measures, start, end):
    """Measures new, started, completed and dropped in the period (one query)."""
    changes = MeasureStatusChange.objects.filter(
        changed_at__gt=_moment(start - datetime.timedelta(days=1)),
        changed_at__lte=_moment(end),
        measure__in=measures.order_by().values("pk"),
    )
    return changes.aggregate(
        new=Count("measure", distinct=True, filter=Q(old_status="")),
        started=Count("measure", distinct=True, filter=Q(new_status=Status.IN_PROGRESS)),
        completed=Count("measure", distinct=True, filter=Q(new_status=Status.COMPLETED)),
        dropped=Count("measure", distinct=True, filter=Q(new_status=Status.DROPPED)),
    )


def _status_table(counts_then, counts_before):
    return [
        {
            "label": str(status.label),
            "now": counts_then.get(status, 0),
            "before": counts_before.get(status, 0),
        }
        for status in (*STRATEGY_STATUSES, Status.DROPPED)
    ]


def quarter_ends(start, end):
    """The last days of the quarters that end within the period (at least its end)."""
    days = []
    year, month = start.year, ((start.month - 1) // 3 + 1) * 3
    while True:
        last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        if last > end:
            break
        days.append(last)
        year, month = (year + 1, 3) if month == 12 else (year, month + 3)
    if len(days) > 8:  # a long period: the ends of its years
        days = [day for day in days if day.month == 12]
    if not days or days[-1] != end:
        days.append(end)
    return days


def _fields_over_time(measures, days):
    """Per field of action: the measures in progress or completed at each day (one query)."""
    names = {f"then_{i}": day for i, day in enumerate(days)}
    rows = (
        measures.order_by()
        .annotate(**{n: status_changes.status_then(d) for n, d in names.items()})
        .values_list("field_of_action__number", "field_of_action__short_title", *names)
    )
    table = {}
    for number, title, *statuses in rows:
        entry = table.setdefault(number, {"field": f"{number}. {title}", "counts": [0] * len(days)})
        for i, status in enumerate(statuses):
            if status in (Status.IN_PROGRESS, Status.COMPLETED):
                entry["counts"][i] += 1
    return [table[number] for number in sorted(table)]


def _measures(measures, start, end):
    """Measures whose published version is active, by their published version (status
    included: a change not yet published does not show), with their latest Sachstand in the
    period and their published indicators; and how many active measures were never published
    (counted, not named). Three queries."""
    unlisted = measures.filter(status__in=ACTIVE_STATUSES, public_since__isnull=True).count()
    rows = list(
        measures.filter(public_since__isnull=False)
        .published_values()
        .filter(published_status__in=ACTIVE_STATUSES)
        .select_related("public_lead", "public_field")
        .only("pk", "public_lead", "public_field")
        .order_by(Coalesce("public_field__number", 0), "published_title", "pk")
    )
    ids = [m.pk for m in rows]
    notes = {}
    for note in ProgressNote.objects.filter(
        measure_id__in=ids, noted_on__gte=start, noted_on__lte=end
    ).order_by("measure_id", "-noted_on", "-pk"):
        notes.setdefault(note.measure_id, note)
    indicators = {}
    for indicator in (
        Indicator.objects.filter(measure_id__in=ids, public_since__isnull=False)
        .with_latest()
        .order_by("measure_id", "public_name", "pk")
    ):
        indicators.setdefault(indicator.measure_id, []).append(
            {
                "name": indicator.public_name,
                "unit": indicator.public_unit,
                "baseline": _num(indicator.baseline_value),
                "target": _num(indicator.target_value),
                "target_date": _day(indicator.target_date),
                "latest": _num(indicator.latest_value),
                "status": str(IndicatorStatus(indicator.stored_status).label),
            }
        )
    result = []
    for measure in rows:
        note = notes.get(measure.pk)
        field = measure.public_field
        result.append(
            {
                "id": measure.pk,
                "reference": measure.reference,
                "title": measure.published_title,
                "lead": measure.public_lead.label if measure.public_lead else "",
                "field": f"{field.number}. {field.short_title}" if field else "",
                "status": str(STATUS_LABELS.get(measure.published_status, "")),
                "status_code": measure.published_status,
                "note": (
                    {
                        "noted_on": _day(note.noted_on),
                        "text": note.text,
                        "percent": note.percent_done,
                        "status": str(note.get_status_display()),
                        "on_behalf": note.on_behalf_text,
                    }
                    if note
                    else None
                ),
                "indicators": indicators.get(measure.pk, []),
            }
        )
    return result, unlisted


def _num(value):
    if value is None:
        return ""
    return formats.number_format(value.normalize(), use_l10n=True, force_grouping=True)


def build_snapshot(title, start, end, previous=None, now=None, body=None):
    now = now or timezone.now()
    before = previous.period_end if previous else start - datetime.timedelta(days=1)
    measures = in_scope(body)
    status_counts = status_changes.status_counts_as_of(measures, [_moment(end), _moment(before)])
    indicator_counts = status_history.status_counts_as_of(
        Indicator.objects.filter(measure__in=measures), [end, before]
    )
    figures = figures_for(measures)
    listed, unlisted = _measures(measures, start, end)
    days = quarter_ends(start, end)
    return {
        "schema": SCHEMA_VERSION,
        "title": title,
        "body": body.label if body is not None and not body.is_district else None,
        # The council it goes to "zur Kenntnisnahme" (the district's report: the Kreistag).
        "council": body.council_label if body is not None and not body.is_district else None,
        "frozen_at": now.isoformat(),
        "period_start": _day(start),
        "period_end": _day(end),
        "before": _day(before),
        "previous_title": previous.title if previous else None,
        "figures": {
            "total_label": figures.total_label,
            "active_label": figures.active_label,
            "evaluated_label": figures.evaluated_label,
            "evaluated_percent": figures.evaluated_percent,
            "indicator_label": figures.indicator_label,
            "indicator_rows": [[str(label), n] for _code, label, n in figures.indicator_rows()],
        },
        "status_table": _status_table(status_counts[_moment(end)], status_counts[_moment(before)]),
        "indicator_table": [
            {
                "label": str(status.label),
                "now": indicator_counts[end].get(status, 0),
                "before": indicator_counts[before].get(status, 0),
            }
            for status in IndicatorStatus
        ],
        "happened": _happened(measures, start, end),
        "quarters": [_day(day) for day in days],
        "fields_over_time": _fields_over_time(measures, [_moment(day) for day in days]),
        "measures": listed,
        "unlisted": unlisted,
        "costs": money.report_costs(measures),
        "without_note": [
            {"reference": m["reference"], "title": m["title"], "lead": m["lead"]}
            for m in listed
            if m["note"] is None
        ],
        "method": METHOD,
        "method_easy": METHOD_EASY,
    }


def render(report):
    """Render the report's PDF from its snapshot and store it with its checksum."""
    from .report_pdf import ReportPDFGenerator  # WeasyPrint loads with the first render

    result = ReportPDFGenerator(report).render()
    if report.pdf:
        report.pdf.delete(save=False)
    report.pdf.save(f"sachstandsbericht-{report.pk}.pdf", ContentFile(result.content), save=False)
    report.pdf_sha256 = hashlib.sha256(result.content).hexdigest()
    report.pdf_pages = result.pages
    ProgressReport.objects.filter(pk=report.pk).update(
        pdf=report.pdf.name, pdf_sha256=report.pdf_sha256, pdf_pages=result.pages
    )
    return report


def build(title, start, end, user=None, now=None, body=None):
    """Freeze a new report for the period, of the district or of one ``body`` (the previous
    one: the latest of the same scope ending before it)."""
    if body is not None and body.is_district:
        body = None
    previous = (
        ProgressReport.objects.filter(period_end__lt=end, body=body).order_by("-period_end").first()
    )
    report = ProgressReport(
        title=title,
        body=body,
        period_start=start,
        period_end=end,
        previous=previous,
        created_by=user,
        frozen_at=now or timezone.now(),
    )
    report.full_clean()
    with transaction.atomic():
        report.snapshot = build_snapshot(title, start, end, previous, report.frozen_at, body)
        report.save()
    return report
