"""Demo indicators, measurements and assessments for the demo measures (``Measure.is_demo``).

Idempotent: indicators are found by measure and name, values are upserted, an assessment is
only added to a measure that has none. Called by ``manage.py seed_evaluation_demo`` (and by
``make run`` through the foundation's demo seeding).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from measures.models import Measure, Status

from .gathering import upsert_values
from .models import Assessment, Indicator, Origin, Verdict
from .periods import add_periods, period_start
from .published import PART, review_part

# (name, unit, kind, direction, baseline, target, frequency, source_kind, options, note, values)
# ``values`` are relative steps from the baseline for the most recent periods, oldest first.
TEMPLATES = [
    (
        "Anteil online gestellter Anträge",
        "%",
        "effect",
        "increase",
        "12",
        "60",
        "quarterly",
        "manual",
        {},
        "Auswertung des Antragsportals",
        ["0", "4.5", "9", "15.5", "19"],
    ),
    (
        "Bearbeitungszeit in Tagen",
        "Tage",
        "effect",
        "decrease",
        "28",
        "10",
        "quarterly",
        "manual",
        {},
        "Stichprobe aus dem Fachverfahren",
        ["0", "-1", "-1.5", "-2", "-3"],
    ),
    (
        "Anzahl Beschäftigter mit E-Akte",
        "Anzahl",
        "output",
        "increase",
        "0",
        "120",
        "yearly",
        "manual",
        {},
        "Lizenzübersicht der IT",
        ["0", "35", "80"],
    ),
    (
        "Anteil abgeschlossener Maßnahmen der Kommune",
        "%",
        "output",
        "increase",
        "0",
        "50",
        "yearly",
        "portal",
        {"metric": "share_completed"},
        "aus den Daten des Portals",
        [],
    ),
    (
        "Zufriedenheit mit Online-Diensten (Befragung)",
        "%",
        "effect",
        "increase",
        "55",
        "75",
        "yearly",
        "manual",
        {},
        "jährliche Bürgerbefragung",
        ["0"],
    ),
]


def seed_evaluation_demo(today=None):
    """Add demo indicators and values to the demo measures; returns the number of indicators."""
    today = today or timezone.localdate()
    measures = list(Measure.objects.filter(is_demo=True).order_by("pk"))
    created = 0
    with transaction.atomic():
        for index, measure in enumerate(measures):
            # Every fifth demo measure stays without indicator, so the dashboard flags it.
            if index % 5 == 4:
                continue
            picks = [TEMPLATES[index % len(TEMPLATES)]]
            if index % 2 == 0:
                picks.append(TEMPLATES[(index + 1) % len(TEMPLATES)])
            for template in picks:
                created += _indicator(measure, template, today)
            if measure.status in (Status.IN_PROGRESS, Status.COMPLETED) and not (
                measure.assessments.exists()
            ):
                Assessment.objects.create(
                    measure=measure,
                    assessed_on=today - datetime.timedelta(days=30 + 90 * (index % 6)),
                    verdict=[Verdict.PARTLY, Verdict.ACHIEVED, Verdict.TOO_EARLY][index % 3],
                    justification=(
                        "Die Indikatoren entwickeln sich in die gewünschte Richtung; die "
                        "Rückmeldungen aus den Fachdiensten bestätigen das (Demo-Inhalt)."
                    ),
                )
            if measure.accepted_snapshot is not None:
                # The seeder accepts demo measures directly; their indicators and assessments
                # count as accepted with them (evaluation.published), so drafts print them.
                accepted = dict(measure.accepted_snapshot, **{PART: review_part(measure)})
                Measure.objects.filter(pk=measure.pk).update(accepted_snapshot=accepted)
    return created


def _indicator(measure, template, today):
    (name, unit, kind, direction, baseline, target, frequency, source, options, note, steps) = (
        template
    )
    current = period_start(today, frequency)
    first = add_periods(current, frequency, -len(steps)) if steps else current
    indicator, was_created = Indicator.objects.get_or_create(
        measure=measure,
        name=name,
        defaults={
            "unit": unit,
            "kind": kind,
            "direction": direction,
            "baseline_value": Decimal(baseline),
            "baseline_date": first,
            "target_value": Decimal(target),
            "target_date": datetime.date(today.year + 3, 12, 31),
            "frequency": frequency,
            "source_kind": source,
            "source_options": options,
            "source_note": note,
            "description": f"{name} – Demo-Inhalt.",
        },
    )
    values = {
        add_periods(first, frequency, position): Decimal(baseline) + Decimal(step)
        for position, step in enumerate(steps)
    }
    upsert_values(indicator, values, origin=Origin.MANUAL)
    return int(was_created)
