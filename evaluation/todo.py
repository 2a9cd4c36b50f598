"""The evaluation's part of an editor's "Meine Aufgaben" (see core.dashboard), and of the
coordinator's cockpit: the open rounds with their completeness.

Open data-collection rounds with their deadline and the values still missing, overdue
assessments, and manual indicators without a current value. A constant number of queries,
whatever the number of rounds, measures and indicators; overdue assessments and indicators
without a current value are counted in SQL (by the stored status) and named by their first
few.
"""

from django.urls import reverse
from django.utils import formats, timezone

from core.dashboard import CockpitItem, Task, days_text
from measures.models import Measure
from measures.todo import led_here

from .models import CollectionRound, Indicator, Measurement, ReportingRound, SourceKind
from .periods import format_period, period_start
from .reporting import completeness
from .rollup import ACTIVE_STATUSES, overdue_queryset
from .rounds import round_items
from .status import IndicatorStatus

# Names listed in a task before "und N weitere".
LISTED = 3


def _names(items, total=None):
    """The first names and "und N weitere"; ``total``: the number of all (default: items)."""
    shown = ", ".join(items[:LISTED])
    rest = (len(items) if total is None else total) - LISTED
    return f"{shown} und {rest} weitere" if rest > 0 else shown


def _round_tasks(measures, today):
    rounds = list(CollectionRound.objects.filter(closed_at__isnull=True).order_by("deadline"))
    if not rounds:
        return []
    indicators = list(
        Indicator.objects.filter(
            measure__in=measures.filter(status__in=ACTIVE_STATUSES),
            source_kind=SourceKind.MANUAL,
        )
        .select_related("measure__lead_municipality")
        .order_by("measure__title", "name")
    )
    if not indicators:
        return []
    wanted = {(r.pk, i.pk): period_start(r.period, i.frequency) for r in rounds for i in indicators}
    present = set(
        Measurement.objects.filter(
            indicator__in=[i.pk for i in indicators], period__in=set(wanted.values())
        ).values_list("indicator_id", "period")
    )
    tasks = []
    for collection_round in rounds:
        by_body = {}
        for indicator in indicators:
            period = wanted[(collection_round.pk, indicator.pk)]
            body = indicator.measure.lead_municipality
            entry = by_body.setdefault(body.pk, {"body": body, "due": 0, "missing": []})
            entry["due"] += 1
            if (indicator.pk, period) not in present:
                entry["missing"].append(
                    f"{indicator.name} ({format_period(period, indicator.frequency)})"
                )
        deadline = formats.date_format(collection_round.deadline, "j. F Y")
        overdue = collection_round.deadline < today
        for entry in sorted(by_body.values(), key=lambda e: e["body"].tree_path):
            missing = entry["missing"]
            if missing:
                text = (
                    f"Für {entry['body'].label} fehlen noch {len(missing)} von {entry['due']} "
                    f"Werten: {_names(missing)}. "
                    + (
                        f"Die Frist ist am {deadline} abgelaufen."
                        if overdue
                        else f"Frist: {deadline}."
                    )
                )
            else:
                text = f"Alle {entry['due']} Werte von {entry['body'].label} liegen vor. Danke!"
            tasks.append(
                Task(
                    title=f"Datenerhebungsrunde „{collection_round.title}“",
                    text=text,
                    url=reverse(
                        "evaluation:round_entry", args=[collection_round.pk, entry["body"].slug]
                    ),
                    link_text="Werte eintragen" if missing else "Werte ansehen",
                    deadline=collection_round.deadline if missing else None,
                )
            )
    return tasks


def _overdue_task(measures, today):
    # Counted in SQL, the first names loaded: the work does not grow with the measures.
    overdue = overdue_queryset(Measure.objects.filter(pk__in=measures.values("pk")), today)
    first = list(overdue.values_list("title", flat=True)[:LISTED])
    if not first:
        return []
    count = overdue.count()
    return [
        Task(
            title="Bewertung fällig",
            text=(
                f"{'1 Maßnahme wurde' if count == 1 else f'{count} Maßnahmen wurden'} seit über "
                f"einem Jahr nicht bewertet: {_names(first, count)}."
            ),
            url=reverse("evaluation:overdue_list"),
            link_text="Jetzt bewerten",
        )
    ]


def _stale_task(measures, municipality, today):
    # The stored status (evaluation.stored_status), counted in SQL.
    stale = Indicator.objects.filter(
        measure__in=measures.filter(status__in=ACTIVE_STATUSES),
        source_kind=SourceKind.MANUAL,
        stored_status=IndicatorStatus.STALE,
    ).order_by("name", "pk")
    first = list(stale.only("pk", "name")[:LISTED])
    if not first:
        return []
    count = stale.count()
    return [
        Task(
            title="Wert fehlt",
            text=(
                f"{'1 Indikator hat' if count == 1 else f'{count} Indikatoren haben'} keinen "
                f"aktuellen Wert ({IndicatorStatus.STALE.label}): "
                f"{_names([i.name for i in first], count)}."
            ),
            url=first[0].get_absolute_url()
            if count == 1
            else reverse("evaluation:municipality_overview", args=[municipality.slug]),
            link_text="Wert eintragen" if count == 1 else "Zur Evaluierung",
        )
    ]


def _reporting_tasks(measures, today):
    """Open Berichtsrunden: the Sachstände and values this body still owes (evaluation.reporting;
    one query without an open round, four with any number of them)."""
    rounds = list(ReportingRound.objects.filter(closed_at__isnull=True).order_by("deadline"))
    tasks = []
    for reporting_round in rounds[:LISTED]:
        bodies = completeness(reporting_round, measures).values()
        items = [item for body in bodies for item in body.items]
        if not items:
            continue
        without = [i.measure.title for i in items if i.note is None]
        values = sum(len(i.missing) for i in items)
        deadline = formats.date_format(reporting_round.deadline, "j. F Y")
        if without or values:
            parts = []
            if without:
                parts.append(
                    f"zu {len(without)} von {len(items)} Maßnahmen fehlt ein Sachstand "
                    f"({_names(without)})"
                )
            if values:
                parts.append(
                    f"{values} Wert{'' if values == 1 else 'e'} fehl{'t' if values == 1 else 'en'}"
                )
            text = "; ".join(parts) + (
                f". Die Frist ist am {deadline} abgelaufen."
                if reporting_round.deadline < today
                else f". Frist: {deadline}."
            )
            text = text[0].upper() + text[1:]
        else:
            text = f"Alle {len(items)} Sachstände liegen vor. Danke!"
        tasks.append(
            Task(
                title=f"Berichtsrunde „{reporting_round.title}“",
                text=text,
                url=reporting_round.get_absolute_url(),
                link_text="Sachstände schreiben" if without or values else "Stand ansehen",
                deadline=reporting_round.deadline if without or values else None,
            )
        )
    return tasks


def dashboard_tasks(user, municipality):
    measures = led_here(user, municipality)
    if measures is None:
        return []
    today = timezone.localdate()
    return (
        _round_tasks(measures, today)
        + _reporting_tasks(measures, today)
        + _overdue_task(measures, today)
        + _stale_task(measures, municipality, today)
    )


# Days before a round's deadline from which an incomplete round is highlighted.
ROUND_SOON_DAYS = 7


def _deadline_text(deadline, today):
    day = formats.date_format(deadline, "j. F Y")
    return f"Frist: {day} ({days_text((deadline - today).days)})"


def _collection_round_item(collection_round, today):
    """The round's completeness as its page shows it (rounds.round_items; two queries)."""
    progress = list(round_items(collection_round).values())
    due = sum(p.due for p in progress)
    done = sum(p.done for p in progress)
    complete = sum(1 for p in progress if p.complete)
    percent = round(100 * done / due) if due else 100
    text = (
        f"{done} von {due} Werten liegen vor ({percent} %); {complete} von {len(progress)} "
        f"Kommunen vollständig. {_deadline_text(collection_round.deadline, today)}."
        if due
        else "In dieser Runde muss keine Kommune Werte liefern. "
        f"{_deadline_text(collection_round.deadline, today)}."
    )
    return CockpitItem(
        title=f"Datenerhebungsrunde „{collection_round.title}“",
        text=text,
        url=collection_round.get_absolute_url(),
        link_text="Stand der Runde ansehen",
        order=60,
        urgent=done < due and (collection_round.deadline - today).days <= ROUND_SOON_DAYS,
    )


def _reporting_round_item(reporting_round, today):
    """The round's completeness as its page shows it (reporting.completeness; three queries)."""
    bodies = list(completeness(reporting_round).values())
    due = sum(b.due for b in bodies)
    with_note = sum(b.with_note for b in bodies)
    complete = sum(1 for b in bodies if b.complete)
    percent = round(100 * with_note / due) if due else 100
    return CockpitItem(
        title=f"Berichtsrunde „{reporting_round.title}“",
        text=(
            f"Sachstände zu {with_note} von {due} Maßnahmen liegen vor ({percent} %); "
            f"{complete} von {len(bodies)} Kommunen vollständig. "
            f"{_deadline_text(reporting_round.deadline, today)}."
        ),
        url=reporting_round.get_absolute_url(),
        link_text="Stand der Berichtsrunde ansehen",
        order=61,
        urgent=complete < len(bodies)
        and (reporting_round.deadline - today).days <= ROUND_SOON_DAYS,
    )


def cockpit_items(user):
    """The open data-collection and reporting rounds, the first few of each with their
    completeness (a constant number of queries: at most LISTED rounds of each kind)."""
    today = timezone.localdate()
    collection = list(
        CollectionRound.objects.filter(closed_at__isnull=True).order_by("deadline", "pk")[
            : LISTED + 1
        ]
    )
    reporting = list(
        ReportingRound.objects.filter(closed_at__isnull=True).order_by("deadline", "pk")[
            : LISTED + 1
        ]
    )
    if not collection and not reporting:
        return [
            CockpitItem(
                title="Runden",
                text="Keine Datenerhebungs- oder Berichtsrunde ist offen.",
                url=reverse("evaluation:round_list"),
                link_text="Zu den Datenerhebungsrunden",
                order=60,
                waiting=False,
            )
        ]
    items = [_collection_round_item(r, today) for r in collection[:LISTED]]
    items += [_reporting_round_item(r, today) for r in reporting[:LISTED]]
    if len(collection) > LISTED:
        items.append(
            CockpitItem(
                title="Weitere Datenerhebungsrunden",
                text="Es sind noch mehr Datenerhebungsrunden offen.",
                url=reverse("evaluation:round_list"),
                link_text="Alle Datenerhebungsrunden",
                order=62,
            )
        )
    if len(reporting) > LISTED:
        items.append(
            CockpitItem(
                title="Weitere Berichtsrunden",
                text="Es sind noch mehr Berichtsrunden offen.",
                url=reverse("evaluation:reporting_rounds"),
                link_text="Alle Berichtsrunden",
                order=63,
            )
        )
    return items
