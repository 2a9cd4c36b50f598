"""Security events and the client address: one logger, ``portal.security``.

Every event is one log record whose message is readable on its own and whose ``extra``
fields (``event``, ``username``, ``ip``, ``path``, ``actor`` and event-specific details) are
written as JSON keys by :class:`core.jsonlog.JSONLinesFormatter` in production.
Events: ``login_succeeded``, ``login_failed``, ``lockout`` (the attempt that reached the
limit), ``login_refused`` (an attempt during a lockout), ``lockout_released``, ``logout``,
``session_expired``, ``permission_denied`` (403), ``csrf_failure``, ``membership_created``,
``membership_changed``, ``membership_deleted`` (municipalities.signals) and
``account_flags_changed`` (superuser, staff or active changed in the user admin),
``api_key_failed``, ``api_key_lockout``, ``api_key_refused`` (api.authentication),
``password_reset_limited`` (people.views.password_reset). Passwords
and API keys are never logged.
"""

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger("portal.security")

# The usernames an attacker tries are logged as typed, cut to this length.
MAX_LOGGED_USERNAME = 150


def client_ip(request):
    """The client's address; behind ``PORTAL_TRUSTED_PROXIES`` reverse proxies from
    X-Forwarded-For (the entry the outermost trusted proxy added), else REMOTE_ADDR.

    Also django-axes' ``AXES_CLIENT_IP_CALLABLE``: lockouts by address need the real client,
    not the proxy (which would lock out everyone at once).
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "PORTAL_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def lockout_username(request, credentials):
    """django-axes' ``AXES_USERNAME_CALLABLE``: count "Koordination " and "koordination"
    as one username, so that varying case or spaces does not get around the limit."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    if username is None:
        return None
    return str(username).strip().lower()[:MAX_LOGGED_USERNAME] or None


class AttemptLimit:
    """At most ``limit`` counted attempts per ``window`` seconds for one key (an address, an
    account); the attempt that reaches the limit blocks the key for ``window`` seconds from
    then on. Attempts during a block are not counted, so they do not extend it.

    The counters live in the cache (Redis in production), shared by all web processes. A
    counter the cache cannot read or write counts as zero: a broken cache must not lock
    everybody out.
    """

    KEY_PREFIX = "portal:limit"

    def __init__(self, name, limit, window):
        self.name = name
        self.limit = limit
        self.window = int(window)

    def _key(self, kind, ident):
        return f"{self.KEY_PREFIX}:{self.name}:{kind}:{ident}"

    def blocked_for(self, ident):
        """Seconds (at least 1) until the block of ``ident`` ends, or 0 if it is not blocked."""
        until = cache.get(self._key("blocked", ident))
        if not isinstance(until, (int, float)):
            return 0
        remaining = until - time.time()
        return max(1, math.ceil(remaining)) if remaining > 0 else 0

    def count(self, ident):
        """Count one attempt; returns True if this attempt reached the limit (now blocked)."""
        key = self._key("count", ident)
        cache.add(key, 0, self.window)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, self.window)
            attempts = 1
        if not isinstance(attempts, int) or attempts < self.limit:
            return False
        cache.set(self._key("blocked", ident), time.time() + self.window, self.window)
        cache.delete(key)
        return True


def _actor(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.get_username()
    return None


def log_event(event, message, *, request=None, level=logging.INFO, **fields):
    """Write one security event; ``message`` is a short English sentence for operators."""
    extra = {"event": event}
    if request is not None:
        extra.update(ip=client_ip(request), path=request.path, actor=_actor(request))
    extra.update(fields)
    if "username" in extra and extra["username"] is not None:
        extra["username"] = str(extra["username"])[:MAX_LOGGED_USERNAME]
    logger.log(level, "%s: %s", event, message, extra={"security": extra})


# Receivers for django.contrib.auth's and django-axes' signals, connected in apps.ready().


def _refused_by_axes(request):
    """True for an attempt that django-axes refused because of an existing lockout."""
    return bool(getattr(request, "axes_locked_out", False)) and (
        getattr(request, "axes_failures_since_start", None) is None
    )


def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is not None and _refused_by_axes(request):
        return  # logged as login_refused by on_locked_out
    username = (credentials or {}).get("username")
    log_event(
        "login_failed",
        f"failed login for {username!r}",
        request=request,
        level=logging.WARNING,
        username=username,
    )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    if request is not None and not _refused_by_axes(request):
        log_event(
            "lockout",
            f"login locked for {username!r} / {ip_address} after repeated failures",
            request=request,
            level=logging.WARNING,
            username=username,
            failures=getattr(request, "axes_failures_since_start", None),
        )
        return
    log_event(
        "login_refused",
        f"login refused during lockout for {username!r} / {ip_address}",
        request=request,
        level=logging.WARNING,
        username=username,
    )


def on_logged_in(sender, request, user, **kwargs):
    log_event(
        "login_succeeded",
        f"login of {user.get_username()!r}",
        request=request,
        username=user.get_username(),
    )


def on_logged_out(sender, request, user, **kwargs):
    username = user.get_username() if user is not None else None
    log_event("logout", f"logout of {username!r}", request=request, username=username)
