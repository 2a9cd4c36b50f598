"""Views every page relies on: the health check and the German error pages."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import cache as failsafe
from .security import log_event


def _cache_state():
    """ "ok", or "error: ..." when the cache (Redis) does not answer."""
    try:
        cache.get("portal:healthz")
    except Exception as exc:  # noqa: BLE001 - a cache that is not fail-safe
        return f"error: {exc.__class__.__name__}"
    return "error: unreachable" if failsafe.is_down(cache) else "ok"


@require_GET
@never_cache
def healthz(request):
    """Liveness and readiness: 200 with JSON when the database answers, 503 otherwise.

    The cache (Redis) is reported but does not decide readiness: without it the portal still
    serves every page (core.cache), only slower; "status" is then "degraded".
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - any database failure means "not ready"
        database = f"error: {exc.__class__.__name__}"
    cache_state = _cache_state()
    ok = database == "ok"
    status = "error" if not ok else "ok" if cache_state == "ok" else "degraded"
    return JsonResponse(
        {"status": status, "database": database, "cache": cache_state},
        status=200 if ok else 503,
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
