"""Rate limits per minute (settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])."""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from core.security import client_ip

from .models import ApiToken


class _Throttle(SimpleRateThrottle):
    """DRF's sliding window, reading a missing or unreadable counter as an empty one."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.history = self.cache.get(self.key) or []
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()


class AnonymousThrottle(_Throttle, AnonRateThrottle):
    """Clients without key or login, counted per client address.

    The address is the one the web pages' lockouts use (``core.security.client_ip``, trusting
    exactly ``PORTAL_TRUSTED_PROXIES`` entries of X-Forwarded-For), not DRF's own guess, which
    without NUM_PROXIES takes the whole header as sent and lets every client choose its own
    counter.
    """

    scope = "anon"

    def get_ident(self, request):
        return client_ip(request) or "unknown"


class TokenThrottle(_Throttle):
    """Requests with an API key, counted per key."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class SessionUserThrottle(_Throttle):
    """Logged-in people using the API from the browser, counted per person."""

    scope = "user"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
