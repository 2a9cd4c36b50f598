"""Deleting a measured value: a confirmation step, and the old value kept in the log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .. import permissions
from ..models import Measurement, MeasurementCorrection, Origin


def _editable_measurement(request, pk):
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__measure__lead_municipality"), pk=pk
    )
    if not permissions.can_edit_indicators(request.user, measurement.indicator.measure):
        raise PermissionDenied("Sie dürfen die Werte dieses Indikators nicht pflegen.")
    return measurement


@login_required
def measurement_delete(request, pk):
    """GET: what deleting does; POST: delete and keep the old value in the correction log."""
    measurement = _editable_measurement(request, pk)
    indicator = measurement.indicator
    if request.method != "POST":
        return render(
            request,
            "evaluation/measurement_confirm_delete.html",
            {
                "measurement": measurement,
                "indicator": indicator,
                "remaining": indicator.measurements.exclude(pk=measurement.pk).count(),
            },
        )
    label = measurement.period_label
    with transaction.atomic():
        locked = Measurement.objects.select_for_update().filter(pk=measurement.pk).first()
        if locked is not None:
            MeasurementCorrection.objects.create(
                indicator=indicator,
                period=locked.period,
                old_value=locked.value,
                new_value=None,
                old_origin=locked.origin,
                origin=Origin.MANUAL,
                changed_at=timezone.now(),
                changed_by=request.user,
            )
            locked.delete()
    messages.success(
        request, f"Der Wert für {label} wurde gelöscht; er bleibt in der Liste der Korrekturen."
    )
    return redirect(indicator)
