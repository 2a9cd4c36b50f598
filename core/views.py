"""Views every page relies on: the health check and the German error pages."""

import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .security import log_event


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
