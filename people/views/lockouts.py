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

from ..lockouts import current_lockouts, find_lockout


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
    address = data.get("adresse", "").strip() if kind == "username" else ""
    lockout = find_lockout(kind, value, address)
    if lockout is None:
        messages.info(
            request, "Diese Sperre besteht nicht mehr; sie ist abgelaufen oder wurde aufgehoben."
        )
        return redirect("lockout_list")
    if request.method != "POST":
        return render(request, "security/lockout_release.html", {"lockout": lockout})
    if kind == "username":
        # Only the attempts of this username (from this address, if named): an address
        # lockout of the same address stays unless these attempts were what reached it.
        removed = reset(username=value, ip=lockout.address)
        fields = {"released_username": value, "released_ip_address": lockout.address}
        what = f"Benutzername „{value}“" + (
            f" von der Adresse {lockout.address}" if lockout.address else ""
        )
    else:
        removed = reset(ip=value)
        fields = {"released_ip_address": value}
        what = f"Adresse „{value}“"
    log_event(
        "lockout_released",
        f"lockout of {kind} {value!r} (address {lockout.address!r}) lifted "
        f"({removed} attempt records removed)",
        request=request,
        attempt_records=removed,
        **fields,
    )
    messages.success(
        request,
        f"Die Sperre für {what} wurde aufgehoben; die Anmeldung ist sofort wieder möglich.",
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
