"""A Redis cache that answers like an empty cache while Redis is unreachable.

The portal keeps only disposable things in the cache: figures that can be computed again
(``core.data_version``), the API's throttle counters and the feedback form's rate limit. None
of them is worth an error 500, and a write of planning data must never be lost because the
cache could not be told about it. So while Redis does not answer, this backend behaves like a
cache that has just been emptied: every read is a miss, every write is dropped, ``incr``
raises ``ValueError`` as for a missing key. Consequences, chosen deliberately:

- Cached figures are computed on every request (slower pages, correct figures).
- Rate limits in the cache fail open: DRF's throttles and the feedback form's limit let
  requests through while Redis is away (the alternative, refusing everyone, would turn a cache
  outage into a portal outage). Login lockouts are unaffected: django-axes counts in the
  database.
- ``core.data_version`` notices a bump that could not be written (:func:`is_down`) and
  records it in the database, so no process serves figures cached before it (see there).

Short socket timeouts (``OPTIONS`` ``socket_connect_timeout``/``socket_timeout``) keep a
request from waiting long for an unreachable host; after a failure, the backend does not try
Redis again for ``RETRY_AFTER`` seconds (per process), so a page that uses the cache ten times
pays the timeout once, not ten times. The outage is logged once when it starts, then at most
every ``LOG_EVERY`` seconds, and once when Redis answers again.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: What "Redis is unreachable" looks like from redis-py: refused, timed out, reset, DNS, but
#: also a Redis that refuses writes (out of memory, read-only replica) or something else
#: answering on its port. The cache holds only what can be computed again: any of them is a
#: miss, not an error 500.
UNREACHABLE = (RedisError, OSError)


class CacheUnavailable(ValueError):
    """Raised by ``incr``/``decr`` while Redis is away: a ``ValueError`` like a missing key's,
    so callers that handle a missing key (start again at 1) handle the outage too."""


class _Health:
    """Per process and server: since when Redis has been failing, when it was last logged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None  # monotonic time of the first failure of this outage
        self.retry_at = 0.0  # monotonic time before which Redis is not tried again
        self.logged_at = None


_health = {}
_health_lock = threading.Lock()


def _health_of(location):
    with _health_lock:
        return _health.setdefault(location, _Health())


class FailSafeRedisCache(RedisCache):
    """Django's RedisCache, answering like an empty cache while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.retry_after = float(params.get("RETRY_AFTER", 5))
        self.log_every = float(params.get("LOG_EVERY", 60))
        self._location = server if isinstance(server, str) else ",".join(server)

    @property
    def _state(self):
        # Shared by the threads of a process (Django keeps a cache object per thread).
        return _health_of(self._location)

    # --- health ----------------------------------------------------------------------------

    @property
    def is_down(self):
        """Did the last attempt of this process fail (and is Redis not tried again yet)?"""
        return self._state.down_since is not None

    def _skipping(self):
        state = self._state
        return state.down_since is not None and time.monotonic() < state.retry_at

    def _failed(self, exc):
        state = self._state
        now = time.monotonic()
        with state.lock:
            state.retry_at = now + self.retry_after
            if state.down_since is None:
                state.down_since = now
            if state.logged_at is not None and now - state.logged_at < self.log_every:
                return
            state.logged_at = now
            down_for = now - state.down_since
        logger.error(
            "Cache (Redis at %s) unreachable for %.0f s, answering as an empty cache: %s: %s",
            self._redacted_location(),
            down_for,
            exc.__class__.__name__,
            exc,
        )

    def _succeeded(self):
        state = self._state
        if state.down_since is None:
            return
        with state.lock:
            if state.down_since is None:
                return
            down_for = time.monotonic() - state.down_since
            state.down_since = None
            state.logged_at = None
        logger.warning(
            "Cache (Redis at %s) answers again after %.0f s.", self._redacted_location(), down_for
        )

    def _redacted_location(self):
        # A password in the URL (redis://:secret@host) never reaches the log.
        return self._location.rsplit("@", 1)[-1]

    def _call(self, operation, miss, *args, **kwargs):
        if self._skipping():
            return miss() if callable(miss) else miss
        try:
            result = operation(*args, **kwargs)
        except UNREACHABLE as exc:
            self._failed(exc)
            return miss() if callable(miss) else miss
        self._succeeded()
        return result

    # --- the cache API: a miss or a no-op while Redis is away -------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, dict, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        def unavailable():
            raise CacheUnavailable(f"Key '{key}' not found: the cache is unreachable.")

        return self._call(super().incr, unavailable, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, lambda: list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, None, keys, version)

    def clear(self):
        return self._call(super().clear, False)


def is_down(cache):
    """Is ``cache`` a fail-safe cache whose Redis did not answer the last attempt?"""
    return bool(getattr(cache, "is_down", False))


def reset_health():
    """Forget every recorded outage (for tests: each starts with Redis presumed up)."""
    with _health_lock:
        _health.clear()
