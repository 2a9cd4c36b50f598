"""E-mail of a barrier report to the coordinator."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from municipalities.models import Role

from .models import AccessibilityFeedback, AccessibilityStatement

logger = logging.getLogger(__name__)


def feedback_recipients(statement_email):
    if statement_email:
        return [statement_email]
    users = (
        get_user_model()
        .objects.filter(memberships__role=Role.COORDINATOR, is_active=True)
        .exclude(email="")
    )
    return sorted({user.email for user in users})


@shared_task(name="pages.send_accessibility_feedback", acks_late=True)
def send_accessibility_feedback(feedback_pk):
    """Tell the coordinator about a barrier report; a deleted report is skipped."""
    translation.activate("de")
    entry = AccessibilityFeedback.objects.filter(pk=feedback_pk).first()
    if entry is None:
        logger.info("Accessibility feedback %s no longer exists; no e-mail.", feedback_pk)
        return
    statement = AccessibilityStatement.objects.filter(pk=1).first()
    recipients = feedback_recipients(statement.feedback_email if statement else "")
    if not recipients:
        logger.warning(
            "Accessibility feedback %s: no coordinator with an e-mail address.", entry.pk
        )
        return
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("pages:feedback_list")
    body = (
        "Über das Portal wurde eine Barriere gemeldet.\n\n"
        f"Seite: {entry.page or '(nicht angegeben)'}\n"
        f"Name: {entry.name or '(nicht angegeben)'}\n"
        f"E-Mail für eine Antwort: {entry.email or '(nicht angegeben)'}\n\n"
        f"Beschreibung:\n{entry.message}\n\n"
        f"Alle Rückmeldungen: {url}\n\n"
        "-- \nDigitalstrategie-Portal Landkreis Lüchow-Dannenberg\n"
    )
    EmailMessage(
        "Rückmeldung zur Barrierefreiheit",
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
        reply_to=[entry.email] if entry.email else None,
    ).send()
