"""Gathering: run an indicator's source and upsert its values; log runs and their results."""

import datetime
import logging

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from core import data_version, dispatch

from .models import (
    CollectionResult,
    CollectionRun,
    Indicator,
    Measurement,
    MeasurementCorrection,
    Origin,
)
from .sources import SourceError, TransientSourceError, source_for
from .stored_status import refresh_stored_status

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
    # Why no savepoint: every caller runs this inside its own transaction (a gathering task,
    # a form, an import, the API) and none handles a database error within it, so a
    # savepoint would only cost two round trips per indicator (SAVEPOINT, RELEASE).
    with transaction.atomic(savepoint=False):
        # Lock order indicator -> measurements (as the views): the stored status written
        # below then sees every value committed before it.
        Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
        created, updated = _upsert(indicator, values, origin=origin, user=user, note=note)
        if created or updated:
            refresh_stored_status([indicator.pk])
    return created, updated


def _upsert(indicator, values, *, origin, user, note):
    existing = {
        period: (value, old_note, old_origin)
        for period, value, old_note, old_origin in Measurement.objects.filter(
            indicator=indicator, period__in=list(values)
        ).values_list("period", "value", "note", "origin")
    }

    def changed(period, value):
        if period not in existing:
            return True
        old_value, old_note, _ = existing[period]
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
        _log_corrections(indicator, rows, existing, origin=origin, user=user, note=note, now=now)
        Measurement.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["indicator", "period"],
            update_fields=_UPSERT_FIELDS + (["note"] if note is not None else []),
        )
        data_version.changed()  # bulk_create sends no signals
    created = sum(1 for row in rows if row.period not in existing)
    return created, len(rows) - created


def _log_corrections(indicator, rows, existing, *, origin, user, note, now):
    """Keep the old value of every period whose value changes (one INSERT, none if none)."""
    corrections = [
        MeasurementCorrection(
            indicator=indicator,
            period=row.period,
            old_value=existing[row.period][0],
            new_value=row.value,
            old_origin=existing[row.period][2],
            origin=origin,
            changed_at=now,
            changed_by=user,
            note=note or "",
        )
        for row in rows
        if row.period in existing and existing[row.period][0] != row.value
    ]
    if corrections:
        MeasurementCorrection.objects.bulk_create(corrections)


def _record(indicator_id, run_id, *, ok, created=0, updated=0, error="", final=True):
    """Record one attempt on the indicator and, within a run, as the indicator's result.

    ``final=False`` (a transient error that will be retried) keeps the result pending, so the
    run does not finish before the retry. A task delivered again after its worker died adds to
    the result it wrote before instead of replacing it: the values it stored then still count,
    and a later failure does not undo an earlier success in the same run.
    """
    now = timezone.now()
    fields = {"last_attempt_at": now}
    if ok:
        fields["last_success_at"] = now
    else:
        fields.update(last_error=error[:2000], last_error_at=now)
    Indicator.objects.filter(pk=indicator_id).update(**fields)
    if run_id is None:
        return
    # Lock order run -> result, as in _refresh_run: concurrent tasks write one after another.
    run = CollectionRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        return
    result = (
        CollectionResult.objects.select_for_update()
        .filter(run_id=run_id, indicator_id=indicator_id)
        .first()
    ) or CollectionResult(run_id=run_id, indicator_id=indicator_id)
    earlier_success = result.finished_at is not None and result.ok
    result.values_created += created
    result.values_updated += updated
    if not earlier_success:
        result.ok = ok
        result.error = error[:2000]
    if final or ok or earlier_success:
        result.finished_at = now
    result.save()
    _refresh_run(run, now)


def _refresh_run(run, now=None):
    """Recount the run's totals; it is finished when no result is pending any more."""
    now = now or timezone.now()
    totals = CollectionResult.objects.filter(run_id=run.pk).aggregate(
        n_pending=Count("pk", filter=Q(finished_at__isnull=True)),
        n_ok=Count("pk", filter=Q(finished_at__isnull=False, ok=True)),
        n_failed=Count("pk", filter=Q(finished_at__isnull=False, ok=False)),
        n_created=Sum("values_created"),
        n_updated=Sum("values_updated"),
    )
    run.indicators_ok = totals["n_ok"]
    run.indicators_failed = totals["n_failed"]
    run.values_created = totals["n_created"] or 0
    run.values_updated = totals["n_updated"] or 0
    if totals["n_pending"] == 0 and run.finished_at is None:
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


@transaction.atomic
def account_for_removed_indicator(run_id):
    """A task found its indicator deleted (its pending result went with it): recount the run."""
    run = CollectionRun.objects.select_for_update().filter(pk=run_id).first()
    if run is not None:
        _refresh_run(run)


LOST_RESULT_ERROR = (
    "Kein Ergebnis: Die Aufgabe ist verloren gegangen (Hintergrunddienst ausgefallen?). "
    "Der nächste Abruf holt die Werte nach."
)


def finish_stale_runs(quiet_seconds):
    """Finish runs without any progress for ``quiet_seconds``: their pending tasks are lost.

    Redelivery after a dead worker happens within the broker's visibility timeout; a run quiet
    for much longer lost its messages for good (e.g. Redis restarted without persistence).
    Its pending results are recorded as failed, so the run log ends consistent.
    """
    cutoff = timezone.now() - datetime.timedelta(seconds=quiet_seconds)
    finished = 0
    stale = CollectionRun.objects.filter(finished_at__isnull=True, updated_at__lt=cutoff)
    for run_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            run = (
                CollectionRun.objects.select_for_update()
                .filter(pk=run_id, finished_at__isnull=True, updated_at__lt=cutoff)
                .first()
            )
            if run is None:
                continue
            now = timezone.now()
            CollectionResult.objects.filter(run=run, finished_at__isnull=True).update(
                ok=False, error=LOST_RESULT_ERROR, finished_at=now
            )
            _refresh_run(run, now)
            finished += 1
    if finished:
        logger.warning("Finished %d gathering run(s) whose tasks were lost.", finished)
    return finished


def gather(indicator, run_id=None, *, final=True):
    """Fetch and store one indicator's values. Returns ``(ok, created, updated, error)``.

    A SourceError is recorded on the indicator (and the run) and returned; a
    TransientSourceError is recorded and raised again so that a task can retry it (with
    ``final=False`` the run's result stays pending until the retry).
    """
    try:
        values = source_for(indicator).values()
    except TransientSourceError as exc:
        with transaction.atomic():
            _record(indicator.pk, run_id, ok=False, error=str(exc), final=final)
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


@transaction.atomic
def start_run(indicator_ids, trigger, user=None):
    """Open a run with one pending result per indicator (so each one is accounted for)."""
    now = timezone.now()
    run = CollectionRun.objects.create(
        trigger=trigger,
        triggered_by=user,
        started_at=now,
        indicators_total=len(indicator_ids),
        finished_at=None if indicator_ids else now,
    )
    CollectionResult.objects.bulk_create(
        [CollectionResult(run=run, indicator_id=pk) for pk in indicator_ids], batch_size=1000
    )
    return run


def dispatch_gathering(indicators, trigger, user=None):
    """Open a run and queue one task per indicator once the transaction has committed."""
    ids = list(indicators.automatic().order_by("pk").values_list("pk", flat=True))
    run = start_run(ids, trigger, user)
    # Why: a second beat run before the workers caught up must not queue them again.
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        Indicator.objects.filter(pk__in=chunk).update(last_attempt_at=run.started_at)
    for pk in ids:
        dispatch.on_commit("evaluation.gather_indicator", pk, run.pk)
    return run
