"""A version number of the planning data, for caches that must not show stale figures.

Pages whose figures are costly to compute (the evaluation roll-ups) cache them under a key that
contains this version. Every write to the data they are computed from calls :func:`changed`,
which moves the version on, so the next request computes afresh; old entries are never read
again and expire. The version lives in the shared cache (Redis in production), so a value
written by a Celery worker or by another gunicorn process invalidates every process's entries.

Saves and deletes of the watched models move the version through signals: each app names
its tables that cached figures are computed from with :func:`watch` in its
``AppConfig.ready()`` (today measures, partnerships, indicators, values, assessments, bodies
and fields of action). Code that writes those tables without signals (``bulk_create``,
``bulk_update``, ``QuerySet.update``) calls :func:`changed` itself.

Why twice, now and after the commit: a request that reads the version between the write and
the commit could otherwise cache the figures from before the commit under the new version.

Redis away (issue 18): the cache answers like an empty one (core.cache), so figures are
computed on every request and nothing is cached. A bump after a commit that cannot reach
Redis is not lost: it moves the version's second part on, which lives in the database
(:class:`core.models.DataVersionEpoch`, one row, written only then) and is read with the
first. When Redis answers again it still holds the old number and the figures cached under
it, computed before the write; no process reads them again, because every key now holds the
new epoch: not the process that failed (it may have ended since), not one that never noticed
the outage. The price is one primary-key read per version lookup.
"""

import logging
import time

from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import cache as failsafe
from .models import DataVersionEpoch

logger = logging.getLogger(__name__)

KEY = "portal:data-version"


def _epoch():
    return DataVersionEpoch.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def current():
    """The current version (``"<cache number>.<database epoch>"``), or None while the cache
    is unreachable (then nothing is cached)."""
    version = cache.get(KEY)
    if version is None:
        # A new start value (not 1) when the key was evicted or the cache restarted, so
        # entries cached under an earlier run's numbers can never match again.
        cache.add(KEY, time.time_ns(), timeout=None)
        version = cache.get(KEY)
        if version is None:
            return None
    return f"{version}.{_epoch()}"


def key(name, version=None):
    """The cache key of the figures ``name`` under ``version`` (default: the current one)."""
    return f"figures:{current() if version is None else version}:{name}"


def cached(name, compute, timeout=None, version=None):
    """``compute()``, kept in the cache under ``name`` and the data version.

    For figures computed from the watched tables only; ``name`` must hold everything else
    they depend on (scope, audience, day). ``version``: the version read before, for figures
    that must match others computed under it (default: the current one). ``timeout``: the
    longest life of an entry (default ``EVALUATION_ROLLUP_CACHE_SECONDS``).
    """
    from django.conf import settings

    version = current() if version is None else version
    if version is None:  # the cache is unreachable: compute, keep nothing
        return compute()
    cache_key = key(name, version)
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, timeout or settings.EVALUATION_ROLLUP_CACHE_SECONDS)
    return value


def _bump_cache():
    """Move the cache's number on; False if the cache could not be reached."""
    try:
        cache.incr(KEY)
    except failsafe.CacheUnavailable:
        return False
    except ValueError:  # not set (evicted): any new value will do
        cache.add(KEY, time.time_ns(), timeout=None)
    return not failsafe.is_down(cache)


def _bump():
    """After the commit: move the version on, in the database if the cache is away."""
    if _bump_cache():
        return
    try:
        _move_epoch_on()
    except DatabaseError:
        logger.exception("Data version lost: neither the cache nor the database took the bump.")
        return
    logger.warning(
        "Cache unreachable: the data version moved on in the database instead, so figures "
        "cached before this write are not served when the cache is back."
    )


def _move_epoch_on():
    value = time.time_ns()
    if DataVersionEpoch.objects.filter(pk=1).update(value=value):
        return
    try:
        with transaction.atomic():
            DataVersionEpoch.objects.create(pk=1, value=value)
    except IntegrityError:  # created by another process meanwhile
        DataVersionEpoch.objects.filter(pk=1).update(value=value)


def changed():
    """Call after writing data that cached figures are computed from."""
    _bump_cache()  # before the commit: the cache only; the bump after the commit counts
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is _bump for _sids, func, _robust in connection.run_on_commit
    ):
        return  # one bump after the commit is enough, however many writes come before it
    transaction.on_commit(_bump)


def is_bump(callback):
    """Is ``callback`` (an on-commit callback) the version's own? For tests counting theirs."""
    return callback is _bump


def _on_write(sender, **kwargs):
    if kwargs.get("raw"):  # loading fixtures
        return
    changed()


def watch(*models, many_to_many=False):
    """Move the version on every save and delete of these models (and, with
    ``many_to_many``, on every change of their many-to-many relations). Called from the
    ``AppConfig.ready()`` of the app that owns them; connecting twice is harmless."""
    for model in models:
        label = model._meta.label
        post_save.connect(_on_write, sender=model, dispatch_uid=f"data-version-save-{label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"data-version-delete-{label}")
        if many_to_many:
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    _on_write,
                    sender=field.remote_field.through,
                    dispatch_uid=f"data-version-m2m-{field}",
                )
