"""Celery tasks of the measures app: review notifications by e-mail."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from municipalities.models import Role

from .review import ReviewComment, ReviewState

logger = logging.getLogger(__name__)


def _coordinators():
    return (
        get_user_model()
        .objects.filter(memberships__role=Role.COORDINATOR, is_active=True)
        .exclude(email="")
    )


def _editors_of(measure):
    """Editors of the lead municipality and of its Samtgemeinde, and whoever created it."""
    lead = measure.lead_municipality
    bodies = Q(memberships__municipality=lead)
    if lead.parent_id:
        bodies |= Q(memberships__municipality_id=lead.parent_id)
    users = get_user_model().objects.filter(bodies, memberships__role=Role.EDITOR)
    if measure.created_by_id:
        users = users | get_user_model().objects.filter(pk=measure.created_by_id)
    return users.filter(is_active=True).exclude(email="")


def review_message(entry):
    """(subject, body, recipients) for a review event, or None when nobody is to be told."""
    measure = entry.measure
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("measures:detail", args=[measure.pk])
    title = f"{measure.reference} „{measure.title}“"
    if entry.to_state == ReviewState.SUBMITTED:
        subject = f"Zur Prüfung eingereicht: {title}"
        lead = measure.lead_municipality.label
        intro = f"{lead} hat die Maßnahme {title} zur Prüfung eingereicht."
        recipients = _coordinators()
    elif entry.to_state == ReviewState.ACCEPTED:
        subject = f"Angenommen: {title}"
        intro = f"Die Koordinierungsstelle hat die Maßnahme {title} angenommen."
        recipients = _editors_of(measure)
    elif entry.to_state == ReviewState.CHANGES_REQUESTED:
        subject = f"Änderungen erbeten: {title}"
        intro = f"Die Koordinierungsstelle bittet um Änderungen an der Maßnahme {title}."
        recipients = _editors_of(measure)
    else:
        return None
    addresses = sorted({u.email for u in recipients.exclude(pk=entry.author_id)})
    if not addresses:
        return None
    body = intro + "\n\n"
    if entry.text:
        body += f"Kommentar:\n{entry.text}\n\n"
    body += f"Zur Maßnahme: {url}\n\n-- \nDigitalstrategie-Portal Landkreis Lüchow-Dannenberg\n"
    return subject, body, addresses


@shared_task(name="measures.send_review_notification", acks_late=True)
def send_review_notification(comment_pk):
    """E-mail about a review transition; a deleted comment or measure is skipped."""
    translation.activate("de")
    entry = (
        ReviewComment.objects.select_related("measure__lead_municipality")
        .filter(pk=comment_pk)
        .first()
    )
    if entry is None:
        logger.info("Review comment %s no longer exists; no notification.", comment_pk)
        return 0
    message = review_message(entry)
    if message is None:
        return 0
    subject, body, addresses = message
    return send_mail(subject, body, None, addresses)
