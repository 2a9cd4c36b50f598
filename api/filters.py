"""Query parameters of the list endpoints, checked with German messages (400 when invalid)."""

import datetime
import re

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.exceptions import ValidationError

from measures.models import Status
from municipalities.models import Municipality

# Search words longer than this are refused (SQLite refuses LIKE patterns over 50,000 bytes).
SEARCH_MAX_LENGTH = 200
# Dates outside these years are no "changed since" (0001-01-01 overflows with the time zone).
YEARS = (1900, 9998)


def text(request, name, max_length=SEARCH_MAX_LENGTH):
    """A text parameter; NUL bytes fail at PostgreSQL, so they are refused here."""
    raw = request.query_params.get(name, "")
    if len(raw) > max_length:
        raise ValidationError({name: [f"Bitte höchstens {max_length} Zeichen angeben."]})
    if "\x00" in raw:
        raise ValidationError({name: ["Bitte ohne Steuerzeichen (NUL) angeben."]})
    return raw


def search(request, name="q"):
    return text(request, name)


def integer(request, name):
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    # Digits the database can hold: "9" * 30 or "²" ("²".isdigit()) are no number.
    if not re.fullmatch(r"[0-9]{1,18}", raw):
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
    if not YEARS[0] <= (moment or day).year <= YEARS[1]:
        raise ValidationError(
            {name: [f"Bitte ein Datum zwischen den Jahren {YEARS[0]} und {YEARS[1]} angeben."]}
        )
    if moment is None:
        moment = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
