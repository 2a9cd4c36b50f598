"""Query parameters of the list endpoints, checked with German messages (400 when invalid)."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.exceptions import ValidationError

from measures.models import Status
from municipalities.models import Municipality


def integer(request, name):
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationError({name: [f"„{raw[:40]}“ ist keine gültige Nummer."]})
    return int(raw)


def body(request, name="body"):
    pk = integer(request, name)
    if pk is None:
        return None
    found = Municipality.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({name: [f"Es gibt keine Kommune mit der Nummer {pk}."]})
    return found


def status(request, name="status"):
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if raw not in Status.values:
        allowed = ", ".join(Status.values)
        raise ValidationError(
            {name: [f"Unbekannter Umsetzungsstand „{raw[:40]}“ (erlaubt: {allowed})."]}
        )
    return raw


def changed_since(request, name="changed_since"):
    """An ISO date (``2026-05-01``) or date-time (``2026-05-01T08:00:00+02:00``)."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
        day = None if moment else parse_date(raw)
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise ValidationError(
            {
                name: [
                    f"„{raw[:40]}“ ist kein Datum; erwartet z. B. 2026-05-01 oder "
                    "2026-05-01T08:00:00+02:00."
                ]
            }
        )
    if moment is None:
        moment = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
