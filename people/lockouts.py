"""Current login lockouts (django-axes) for the coordinator, who may lift them.

A lockout is by username (``AXES_FAILURE_LIMIT`` failed attempts for one username, from any
address) or by address (as many from one address, for any usernames), counted over the
attempts of the last ``AXES_COOLOFF_TIME``, as django-axes does with
``AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]``.
"""

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils import timezone

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
