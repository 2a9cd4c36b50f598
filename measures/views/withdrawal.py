"""Withdrawing a measure (with a reason, history kept) and deleting one never submitted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from ..models import ReviewState
from ..permissions import visible_measures
from ..review import ReviewError, allowed_targets, joined_measures, may_delete, withdraw
from .review import who_is_told


def _measure(request, pk, lock=False):
    queryset = visible_measures(request.user).select_related("lead_municipality")
    if lock:
        queryset = queryset.select_for_update()
    return get_object_or_404(queryset, pk=pk)


@login_required
def measure_withdraw(request, pk):
    """Confirmation page: what withdrawing means, and the reason (required)."""
    measure = _measure(request, pk)
    if ReviewState.WITHDRAWN not in allowed_targets(measure, request.user):
        if measure.review_state == ReviewState.WITHDRAWN:
            messages.info(request, "Die Maßnahme ist bereits zurückgezogen.")
            return redirect(measure)
        raise PermissionDenied("Sie dürfen diese Maßnahme nicht zurückziehen.")
    error = None
    reason = request.POST.get("reason", "") if request.method == "POST" else ""
    if request.method == "POST":
        try:
            with transaction.atomic():
                entry = withdraw(_measure(request, pk, lock=True), request.user, reason)
        except ReviewError as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                f"Die Maßnahme „{measure.title}“ wurde zurückgezogen." + who_is_told(entry),
            )
            return redirect(measure)
    return render(
        request,
        "measures/measure_withdraw.html",
        {
            "measure": measure,
            "reason": reason,
            "error": error,
            "joined": list(joined_measures(measure)),
        },
        status=400 if error else 200,
    )


@login_required
def measure_delete(request, pk):
    """Confirmation page; only measures never submitted, only by their editors."""
    measure = _measure(request, pk)
    if not may_delete(measure, request.user):
        if measure.review_state != ReviewState.DRAFT:
            messages.error(
                request,
                "Eine eingereichte Maßnahme kann nicht gelöscht werden. Ziehen Sie sie "
                "stattdessen mit einer Begründung zurück; ihr Verlauf bleibt erhalten.",
            )
            return redirect(measure)
        raise PermissionDenied("Sie dürfen diese Maßnahme nicht löschen.")
    if request.method == "POST":
        with transaction.atomic():
            locked = _measure(request, pk, lock=True)
            if not may_delete(locked, request.user):
                messages.error(request, "Die Maßnahme wurde inzwischen eingereicht.")
                return redirect(locked)
            title, home = locked.title, locked.lead_municipality.slug
            locked._history_user = request.user
            locked.delete()
        messages.success(request, f"Die Maßnahme „{title}“ wurde gelöscht.")
        return redirect("measures:dashboard", slug=home)
    counts = {
        "indicators": measure.indicators.count(),
        "partners": measure.partnerships.count(),
    }
    return render(request, "measures/measure_delete.html", {"measure": measure, **counts})
