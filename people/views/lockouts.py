"""The coordinator's page of current login lockouts, and lifting one; the page of a refused
login (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""

from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from core.security import log_event
from municipalities import rules

from ..lockouts import current_lockouts


def _require_coordinator(user):
    if not rules.is_coordinator(user):
        raise PermissionDenied("Nur die Koordinierungsstelle sieht und hebt Anmeldesperren auf.")


@login_required
def lockout_list(request):
    _require_coordinator(request.user)
    return render(
        request,
        "security/lockout_list.html",
        {
            "lockouts": current_lockouts(),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


@login_required
def lockout_release(request):
    """GET: what lifting the lockout means; POST: lift it (delete its failed attempts)."""
    _require_coordinator(request.user)
    data = request.POST if request.method == "POST" else request.GET
    kind, value = data.get("art", ""), data.get("wert", "").strip()
    lockout = next((lo for lo in current_lockouts() if lo.kind == kind and lo.value == value), None)
    if lockout is None:
        messages.info(
            request, "Diese Sperre besteht nicht mehr; sie ist abgelaufen oder wurde aufgehoben."
        )
        return redirect("lockout_list")
    if request.method != "POST":
        return render(request, "security/lockout_release.html", {"lockout": lockout})
    removed = reset(username=value) if kind == "username" else reset(ip=value)
    log_event(
        "lockout_released",
        f"lockout of {kind} {value!r} lifted ({removed} attempt records removed)",
        request=request,
        **{"released_" + kind: value, "attempt_records": removed},
    )
    messages.success(
        request,
        f"Die Sperre für {lockout.kind_label} „{value}“ wurde aufgehoben; die Anmeldung ist "
        "sofort wieder möglich.",
    )
    return redirect("lockout_list")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' ``AXES_LOCKOUT_CALLABLE``: the German page for a refused login (429)."""
    response = render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
