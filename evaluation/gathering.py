"""Gathering: run an indicator's source and upsert its values; log runs and their results."""

import logging

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from .models import CollectionResult, CollectionRun, Indicator, Measurement, Origin
from .sources import SourceError, TransientSourceError, source_for

logger = logging.getLogger(__name__)

# Fields an upsert overwrites when a period already has a (different) value.
_UPSERT_FIELDS = ["value", "origin", "recorded_at", "recorded_by", "updated_at"]


def upsert_values(indicator, values, *, origin, user=None, note=None):
    """Store ``{period: value}`` for one indicator; return ``(created, updated)``.

    Idempotent: unchanged values are not written again, and the write is one
    INSERT ... ON CONFLICT (indicator, period) DO UPDATE, so a second run, or a task re-run
    after a worker died, neither duplicates nor loses a value. ``note=None`` keeps notes.
    """
    if not values:
        return 0, 0
    existing = {
        period: (value, old_note)
        for period, value, old_note in Measurement.objects.filter(
            indicator=indicator, period__in=list(values)
        ).values_list("period", "value", "note")
    }

    def changed(period, value):
        if period not in existing:
            return True
        old_value, old_note = existing[period]
        return old_value != value or (note is not None and old_note != note)

    now = timezone.now()
    rows = [
        Measurement(
            indicator=indicator,
            period=period,
            value=value,
            origin=origin,
            recorded_at=now,
            recorded_by=user,
            note=note or "",
        )
        for period, value in sorted(values.items())
        if changed(period, value)
    ]
    if rows:
        Measurement.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["indicator", "period"],
            update_fields=_UPSERT_FIELDS + (["note"] if note is not None else []),
        )
    created = sum(1 for row in rows if row.period not in existing)
    return created, len(rows) - created


def _record(indicator_id, run_id, *, ok, created=0, updated=0, error=""):
    now = timezone.now()
    fields = {"last_attempt_at": now}
    if ok:
        fields["last_success_at"] = now
    else:
        fields.update(last_error=error[:2000], last_error_at=now)
    Indicator.objects.filter(pk=indicator_id).update(**fields)
    if run_id is None:
        return
    # One INSERT ... ON CONFLICT: a re-run task overwrites its earlier result.
    CollectionResult.objects.bulk_create(
        [
            CollectionResult(
                run_id=run_id,
                indicator_id=indicator_id,
                ok=ok,
                values_created=created,
                values_updated=updated,
                error=error[:2000],
                finished_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["run", "indicator"],
        update_fields=["ok", "values_created", "values_updated", "error", "finished_at"],
    )
    _refresh_run(run_id, now)


def _refresh_run(run_id, now):
    # The run row is locked so that concurrent tasks write their totals one after another.
    run = CollectionRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        return
    totals = CollectionResult.objects.filter(run_id=run_id).aggregate(
        done=Count("pk"),
        ok=Count("pk", filter=Q(ok=True)),
        created=Sum("values_created"),
        updated=Sum("values_updated"),
    )
    run.indicators_ok = totals["ok"]
    run.indicators_failed = totals["done"] - totals["ok"]
    run.values_created = totals["created"] or 0
    run.values_updated = totals["updated"] or 0
    if totals["done"] >= run.indicators_total and run.finished_at is None:
        run.finished_at = now
    run.save(
        update_fields=[
            "indicators_ok",
            "indicators_failed",
            "values_created",
            "values_updated",
            "finished_at",
            "updated_at",
        ]
    )


def gather(indicator, run_id=None):
    """Fetch and store one indicator's values. Returns ``(ok, created, updated, error)``.

    A SourceError is recorded on the indicator (and the run) and returned; a
    TransientSourceError is recorded and raised again so that a task can retry it.
    """
    try:
        values = source_for(indicator).values()
    except TransientSourceError as exc:
        with transaction.atomic():
            _record(indicator.pk, run_id, ok=False, error=str(exc))
        raise
    except SourceError as exc:
        with transaction.atomic():
            _record(indicator.pk, run_id, ok=False, error=str(exc))
        return False, 0, 0, str(exc)
    except Exception as exc:
        # A bug in a parser must not stop the other indicators; it is logged in full.
        logger.exception("Gathering indicator %s failed", indicator.pk)
        error = f"Unerwarteter Fehler beim Abruf ({exc.__class__.__name__})."
        with transaction.atomic():
            _record(indicator.pk, run_id, ok=False, error=error)
        return False, 0, 0, error
    with transaction.atomic():
        created, updated = upsert_values(indicator, values, origin=Origin.GATHERED)
        _record(indicator.pk, run_id, ok=True, created=created, updated=updated)
    return True, created, updated, ""


def indicators_for_gathering():
    return Indicator.objects.select_related("measure__lead_municipality")


def start_run(indicator_ids, trigger, user=None):
    now = timezone.now()
    return CollectionRun.objects.create(
        trigger=trigger,
        triggered_by=user,
        started_at=now,
        indicators_total=len(indicator_ids),
        finished_at=None if indicator_ids else now,
    )


def dispatch_gathering(indicators, trigger, user=None):
    """Open a run and queue one task per indicator once the transaction has committed."""
    from .tasks import gather_indicator_task

    ids = list(indicators.automatic().order_by("pk").values_list("pk", flat=True))
    run = start_run(ids, trigger, user)
    # Why: a second beat run before the workers caught up must not queue them again.
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        Indicator.objects.filter(pk__in=chunk).update(last_attempt_at=run.started_at)
    for pk in ids:
        gather_indicator_task.delay_on_commit(pk, run.pk)
    return run
