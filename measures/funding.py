"""Funding of measures: proofs of use (Verwendungsnachweise) coming due, and reminders.

An approved funding entry whose proof of use is due within ``MEASURES_FUNDING_REMINDER_DAYS``
(or overdue) shows on "Meine Aufgaben" of the lead body's editors (measures.todo) and is
reminded once by e-mail per due date (beat task ``measures.send_funding_reminders``), to
whoever gets the lead body's notices (municipalities.acting).
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from municipalities.acting import acting_map

from .models import FundingEntry, FundingState

logger = logging.getLogger(__name__)


def reminder_horizon(today=None):
    today = today or timezone.localdate()
    return today + datetime.timedelta(days=settings.MEASURES_FUNDING_REMINDER_DAYS)


def proof_due_filter(today=None, prefix=""):
    """Q for approved entries whose proof of use is due by the horizon (``prefix``: a path)."""
    return Q(**{f"{prefix}state": FundingState.APPROVED}) & Q(
        **{f"{prefix}proof_due__lte": reminder_horizon(today)}
    )


def _when(due, today):
    days = (due - today).days
    if days < 0:
        return f"seit dem {due:%d.%m.%Y} überfällig"
    if days == 0:
        return "heute fällig"
    return f"am {due:%d.%m.%Y} fällig (in {days} Tagen)" if days != 1 else "morgen fällig"


def send_proof_reminders(today=None):
    """E-mail the lead bodies about proofs of use coming due; once per entry and due date.

    Each entry is claimed with a conditional update in its own transaction, and the mail is
    sent inside it: a second run (or a parallel worker) finds it claimed and sends nothing; a
    failed mail leaves it unclaimed for the next run. Returns the number of mails sent.
    """
    today = today or timezone.localdate()
    due = list(
        FundingEntry.objects.filter(proof_due_filter(today))
        .exclude(reminded_for=F("proof_due"))
        .select_related("measure__lead_municipality", "programme")
        .order_by("proof_due", "pk")
    )
    if not due:
        return 0
    acting = acting_map({entry.measure.lead_municipality for entry in due})
    sent = 0
    for entry in due:
        recipients = acting[entry.measure.lead_municipality_id].notice_recipients
        with transaction.atomic():
            claimed = (
                FundingEntry.objects.filter(pk=entry.pk, proof_due=entry.proof_due)
                .exclude(reminded_for=entry.proof_due)
                .update(reminded_for=entry.proof_due)
            )
            if not claimed:
                continue
            if not recipients:
                logger.info("funding %s: nobody to remind for %s", entry.pk, entry.measure)
                continue
            subject, body = _message(entry, today)
            send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email for user in recipients],
            )
            sent += 1
    return sent


def _message(entry, today):
    measure = entry.measure
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("measures:funding", args=[measure.pk])
    subject = f"Verwendungsnachweis {_when(entry.proof_due, today)}: {measure.title}"[:200]
    body = (
        f"Für die Maßnahme „{measure.title}“ ({measure.reference}) der Kommune "
        f"{measure.lead_municipality.label} ist der Verwendungsnachweis für die Förderung aus "
        f"„{entry.programme.name}“ (Haushaltsjahr {entry.year}) "
        f"{_when(entry.proof_due, today)}.\n\n"
        "Ist der Nachweis eingereicht und abgerechnet, setzen Sie den Stand der Förderung auf "
        "„abgerechnet“; dann erscheint keine Erinnerung mehr.\n\n"
        f"Zu den Förderungen der Maßnahme: {url}\n\n"
        "-- \nDigitalstrategie-Portal Landkreis Lüchow-Dannenberg\n"
    )
    return subject, body
