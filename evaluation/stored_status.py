"""The stored status of indicators: computed by evaluation.status, kept in the indicator row.

Dashboards count ``Indicator.stored_status`` in SQL instead of computing every indicator's
status on every request. The stored status is written

- in the transaction of every write that can change it: a value entered, corrected, imported,
  gathered or deleted (``upsert_values``, the signals below), the indicator saved (baseline,
  target, frequency, direction);
- nightly by the beat task ``evaluation.refresh_indicator_status`` for the passage of time
  (a value becomes due, the expected progress grows), which recomputes every indicator whose
  status was computed before today.

``compute_status`` stays the single definition of the method (docs/evaluierung.md);
tests/evaluation/test_stored_status.py compares stored and computed status.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from core import data_version

from .models import Indicator, IndicatorStatusChange, Measurement
from .status import indicator_status

STORED_FIELDS = ["stored_status", "stored_expected", "stored_actual", "status_computed_on"]
# Only what compute_status reads (plus the stored fields, to skip unchanged rows).
_READ_FIELDS = [
    "pk",
    "direction",
    "frequency",
    "target_value",
    "target_date",
    "baseline_value",
    "baseline_date",
    "created_at",
    *STORED_FIELDS,
]
CHUNK = 1000


def refresh_stored_status(indicators=None, today=None):
    """Recompute and store the status of ``indicators`` (a queryset or primary keys; all
    indicators if None). Returns the number of rows whose stored status was written."""
    today = today or timezone.localdate()
    few = False
    if indicators is None:
        queryset = Indicator.objects.all()
    elif hasattr(indicators, "model"):
        queryset = indicators
    else:
        ids = list(indicators)
        few = len(ids) <= CHUNK
        queryset = Indicator.objects.filter(pk__in=ids)
    rows = queryset.order_by("pk").only(*_READ_FIELDS).with_latest()
    # Why: every upsert refreshes its one indicator here. iterator() reads through a
    # server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE: several round trips); a few
    # primary keys are read in one plain query instead.
    written = 0
    batch, changes = [], []
    for indicator in rows if few else rows.iterator(chunk_size=CHUNK):
        result = indicator_status(indicator, today)
        new = (result.status, result.expected, result.actual, today)
        old = tuple(getattr(indicator, name) for name in STORED_FIELDS)
        if new == old:
            continue
        if new[0] != old[0] or old[3] is None:
            # The first computation, or a change: one change record (status over time).
            changes.append(
                IndicatorStatusChange(
                    indicator_id=indicator.pk,
                    changed_on=today,
                    old_status=old[0] if old[3] is not None else "",
                    new_status=new[0],
                )
            )
        (
            indicator.stored_status,
            indicator.stored_expected,
            indicator.stored_actual,
            indicator.status_computed_on,
        ) = new
        batch.append(indicator)
        if len(batch) >= CHUNK:
            written += _write(batch, changes)
            batch, changes = [], []
    return written + _write(batch, changes)


def _write(batch, changes):
    if batch:
        # No savepoint inside a caller's transaction (upsert_values): a failed write fails
        # the caller's transaction anyway, and a savepoint costs two round trips.
        with transaction.atomic(savepoint=False):
            if len(batch) == 1:
                # The common case (one upsert): a plain UPDATE costs a fraction of
                # bulk_update's CASE WHEN ... expressions.
                (indicator,) = batch
                Indicator.objects.filter(pk=indicator.pk).update(
                    **{name: getattr(indicator, name) for name in STORED_FIELDS}
                )
            else:
                Indicator.objects.bulk_update(batch, STORED_FIELDS)
            if changes:
                IndicatorStatusChange.objects.bulk_create(changes)
            data_version.changed()  # neither sends signals
    return len(batch)


def refresh_outdated(today=None):
    """The nightly run: every indicator whose status was not computed today."""
    today = today or timezone.localdate()
    from django.db.models import Q

    outdated = Indicator.objects.filter(
        Q(status_computed_on__lt=today) | Q(status_computed_on__isnull=True)
    )
    return refresh_stored_status(outdated, today)


@receiver(post_save, sender=Indicator, dispatch_uid="evaluation_indicator_status_on_save")
def _indicator_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and set(update_fields) <= set(STORED_FIELDS):
        return
    refresh_stored_status([instance.pk])


@receiver(post_save, sender=Measurement, dispatch_uid="evaluation_measurement_status_on_save")
def _measurement_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_stored_status([instance.indicator_id])


@receiver(post_delete, sender=Measurement, dispatch_uid="evaluation_measurement_status_on_delete")
def _measurement_deleted(sender, instance, origin=None, **kwargs):
    # A cascade from a deleted indicator or measure leaves nothing to recompute.
    if isinstance(origin, Measurement) or getattr(origin, "model", None) is Measurement:
        refresh_stored_status([instance.indicator_id])
