"""Current login lockouts (django-axes) for the coordinator, who may lift them.

With ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]`` a lockout is
either of one username from one address (``AXES_FAILURE_LIMIT`` failed attempts for that
username from that address), or of one address (as many from it, for any usernames, against
password spraying). Failures for a username from elsewhere do not lock its owner out: nobody
can keep ``koordination`` locked from another address. Counted over the attempts of the last
``AXES_COOLOFF_TIME``.
"""

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils import timezone

KINDS = {"username": "Benutzername", "ip_address": "Adresse"}


@dataclass
class Lockout:
    kind: str  # "username" (from one address, or from several when lifted together) or "ip_address"
    value: str
    failures: int
    since: object  # the failed attempt that reached the limit
    others: int  # addresses of a username's lockouts, usernames tried from an address
    address: str | None = None  # the address of a username's lockout

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def until(self):
        return self.since + settings.AXES_COOLOFF_TIME


def current_lockouts(now=None):
    """Lockouts in force now, by username and address and by address, newest first (two
    queries)."""
    now = now or timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
    limit = settings.AXES_FAILURE_LIMIT
    by_username = (
        recent.filter(username__isnull=False)
        .exclude(username="")
        .order_by()
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), since=Max("attempt_time"))
        .filter(failures__gte=limit)
    )
    by_address = (
        recent.filter(ip_address__isnull=False)
        .order_by()
        .values("ip_address")
        .annotate(
            failures=Sum("failures_since_start"),
            since=Max("attempt_time"),
            others=Count("username", distinct=True),
        )
        .filter(failures__gte=limit)
    )
    found = [
        Lockout("username", row["username"], row["failures"], row["since"], 1, row["ip_address"])
        for row in by_username
    ]
    found += [
        Lockout("ip_address", row["ip_address"], row["failures"], row["since"], row["others"])
        for row in by_address
    ]
    return sorted(found, key=lambda lockout: lockout.since, reverse=True)


def find_lockout(kind, value, address=""):
    """The lockout the release page names, or None. A username without an address stands for
    all its lockouts (from every address), summed up into one."""
    if not value:
        return None
    matches = [
        lockout
        for lockout in current_lockouts()
        if lockout.kind == kind
        and lockout.value == value
        and (kind != "username" or not address or lockout.address == address)
    ]
    if not matches:
        return None
    if len(matches) == 1:
        return matches[0]
    return Lockout(
        kind,
        value,
        sum(lockout.failures for lockout in matches),
        max(lockout.since for lockout in matches),
        len(matches),
    )
