import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from drafts.models import DraftState, StrategyDraft
from fields_of_action.models import FieldOfAction
from measures.permissions import visible_measures
from municipalities import rules

from .security import log_event


def home(request):
    """Landing page; for the public also the latest draft laid before the Kreistag."""
    fields = FieldOfAction.objects.all()
    latest_published = (
        StrategyDraft.objects.filter(state__in=[DraftState.PUBLISHED, DraftState.DECIDED])
        # Why defer: the frozen snapshot of a draft is megabytes of JSON; the page shows
        # only the draft's title, dates and whether its PDF is ready.
        .defer("snapshot")
        .order_by("-published_at")
        .first()
    )
    return render(
        request,
        "home.html",
        {
            "fields": fields,
            "latest_published": latest_published,
            "public_measures": visible_measures(request.user).count(),
        },
    )


@login_required
def dashboard(request):
    """Send each user to the dashboard of the body they work for."""
    municipality = rules.home_municipality(request.user)
    if municipality is None:
        return render(request, "no_membership.html", status=200)
    return redirect("measures:dashboard", slug=municipality.slug)


def sources(request):
    return render(request, "sources.html")


@require_GET
@never_cache
def healthz(request):
    """Liveness and readiness: 200 with JSON when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - any database failure means "not ready"
        database = f"error: {exc.__class__.__name__}"
    ok = database == "ok"
    return JsonResponse(
        {"status": "ok" if ok else "error", "database": database}, status=200 if ok else 503
    )


def csrf_failure(request, reason=""):
    log_event(
        "csrf_failure",
        f"CSRF check failed: {reason}",
        request=request,
        level=logging.WARNING,
        reason=reason,
    )
    return render(request, "403_csrf.html", status=403)


def permission_denied(request, exception=None):
    """handler403: the German page, and a security event for every refusal."""
    reason = str(exception or "")
    log_event(
        "permission_denied",
        f"403 for {request.method} {request.path}",
        request=request,
        level=logging.WARNING,
        method=request.method,
        reason=reason,
    )
    return render(request, "403.html", {"exception": reason}, status=403)
