"""Current login lockouts (django-axes) for the coordinator, who may lift them.

A lockout is by username (``AXES_FAILURE_LIMIT`` failed attempts for one username, from any
address) or by address (as many from one address, for any usernames), counted over the
attempts of the last ``AXES_COOLOFF_TIME``, as django-axes does with
``AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]``.
"""

from dataclasses import dataclass

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Sum
from django.shortcuts import redirect, render
from django.utils import timezone

from municipalities import rules

from .security import log_event

KINDS = {"username": "Benutzername", "ip_address": "Adresse"}


@dataclass
class Lockout:
    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    since: object  # the failed attempt that reached the limit
    others: int  # addresses tried for a username, usernames tried from an address

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def until(self):
        return self.since + settings.AXES_COOLOFF_TIME


def current_lockouts(now=None):
    """Lockouts in force now, by username and by address, newest first (two queries)."""
    now = now or timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
    found = []
    for kind, other in (("username", "ip_address"), ("ip_address", "username")):
        rows = recent.filter(**{f"{kind}__isnull": False})
        if kind == "username":
            rows = rows.exclude(username="")
        rows = (
            rows.order_by()
            .values(kind)
            .annotate(
                failures=Sum("failures_since_start"),
                since=Max("attempt_time"),
                others=Count(other, distinct=True),
            )
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        )
        found += [
            Lockout(kind, row[kind], row["failures"], row["since"], row["others"]) for row in rows
        ]
    return sorted(found, key=lambda lockout: lockout.since, reverse=True)


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
