"""Rate limits per minute (settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])."""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from .models import ApiToken


class AnonymousThrottle(AnonRateThrottle):
    """Clients without key or login, counted per IP address."""

    scope = "anon"


class TokenThrottle(SimpleRateThrottle):
    """Requests with an API key, counted per key."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class SessionUserThrottle(SimpleRateThrottle):
    """Logged-in people using the API from the browser, counted per person."""

    scope = "user"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
