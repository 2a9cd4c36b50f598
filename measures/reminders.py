"""Reminders of unanswered partnership requests, every 14 days (beat task, idempotent).

A request unanswered for 14 days is reminded, and again every 14 days while it stays open;
``Partnership.reminded_at`` records the last reminder, so a second run of the beat task (or
two workers at once) never sends a second reminder within 14 days. The reminder goes to
whoever gets the asked body's notices (``municipalities.acting``); where nobody can be told,
the coordinators are reminded that the request still reaches nobody.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from municipalities.acting import acting_for
from municipalities.models import Role

from .models import Partnership, PartnershipState

logger = logging.getLogger(__name__)

#: Days after the request (and after each reminder) until the next reminder.
REMINDER_INTERVAL = timedelta(days=14)


def _due(now):
    cutoff = now - REMINDER_INTERVAL
    return Partnership.objects.filter(
        state=PartnershipState.REQUESTED, requested_at__lte=cutoff
    ).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff))


def send_due_reminders(now=None):
    """Remind every open request that is due; returns the number of e-mails sent."""
    now = now or timezone.now()
    sent = 0
    for pk in _due(now).order_by("requested_at", "pk").values_list("pk", flat=True):
        try:
            sent += remind(pk, now)
        except OSError:  # SMTP away: the claim is rolled back, the next run tries again
            logger.exception("Reminder of partnership %s not sent.", pk)
    return sent


def remind(partnership_pk, now=None):
    """Remind one request if it is (still) due: claim it under a row lock, then send.

    A request being answered at this moment is skipped (its lock is held); a failing mail
    server rolls the claim back, so the next run tries again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        partnership = (
            _due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("municipality__parent", "measure__lead_municipality")
            .filter(pk=partnership_pk)
            .first()
        )
        if partnership is None:
            return 0
        Partnership.objects.filter(pk=partnership.pk).update(reminded_at=now)
        subject, body, addresses = reminder_message(partnership)
        if not addresses:
            logger.warning(
                "Partnership %s: nobody to remind, not even a coordinator.", partnership.pk
            )
            return 0
        return send_mail(subject, body, None, addresses)


def _coordinator_addresses():
    users = get_user_model().objects.filter(memberships__role=Role.COORDINATOR, is_active=True)
    return sorted({u.email for u in users.exclude(email="")})


def reminder_message(partnership):
    """(subject, body, addresses): to whoever gets the body's notices, else the coordinators."""
    measure = partnership.measure
    title = f"{measure.reference} „{measure.title}“"
    body_name = partnership.municipality.label
    since = date_format(timezone.localtime(partnership.requested_at), "j. F Y")
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("measures:detail", args=[measure.pk])
    footer = f"Zur Maßnahme: {url}\n\n-- \nDigitalstrategie-Portal Landkreis Lüchow-Dannenberg\n"
    recipients = acting_for(partnership.municipality).notice_recipients
    if recipients:
        subject = f"Erinnerung: Anfrage zur Beteiligung an {title}"
        text = (
            f"{measure.lead_municipality.label} hat {body_name} am {since} gebeten, sich an der "
            f"Maßnahme {title} zu beteiligen. Die Anfrage ist noch nicht beantwortet.\n\n"
            "Bitte bestätigen Sie die Beteiligung oder lehnen Sie sie mit einer Begründung ab – "
            "auf der Seite der Maßnahme. Solange niemand antwortet, erinnert das Portal alle "
            "14 Tage.\n\n"
        )
        return subject, text + footer, sorted({u.email for u in recipients})
    subject = f"Erinnerung: Anfrage an {body_name} erreicht weiterhin niemanden"
    text = (
        f"{measure.lead_municipality.label} hat {body_name} am {since} gebeten, sich an der "
        f"Maßnahme {title} zu beteiligen. Niemand kann derzeit für {body_name} antworten oder "
        "hat eine E-Mail-Adresse hinterlegt; die Anfrage ist weiterhin offen.\n\n"
        "Bitte laden Sie jemanden ein, der für die Kommune antworten kann, oder tragen Sie ihre "
        "Antwort mit ihrer Quelle (Schreiben, Ratsbeschluss, E-Mail) ein.\n\n"
    )
    return subject, text + footer, _coordinator_addresses()
