"""Celery tasks of the measures app: e-mails about reviews and partnerships, synergy scores."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation

from municipalities.acting import acting_for
from municipalities.models import Role

from . import funding, reminders
from .exchange import background
from .models import Partnership, ReviewComment, ReviewState
from .synergy import recompute_all, recompute_for

logger = logging.getLogger(__name__)


def _coordinators():
    return (
        get_user_model()
        .objects.filter(memberships__role=Role.COORDINATOR, is_active=True)
        .exclude(email="")
    )


def _editors_of(measure):
    """Whoever gets the lead body's notices (municipalities.acting), and whoever created it."""
    ids = {u.pk for u in _editors_of_body(measure.lead_municipality)}
    if measure.created_by_id:
        ids.add(measure.created_by_id)
    return get_user_model().objects.filter(pk__in=ids, is_active=True).exclude(email="")


def review_recipients(entry):
    """(subject, intro, recipients, to_whom) for a review event, or None when the event is not
    mailed. ``recipients``: users with an e-mail address, without the author; ``to_whom``:
    German, for the confirmation ("die Koordinierungsstelle", "Hitzacker (Elbe)")."""
    measure = entry.measure
    title = f"{measure.reference} „{measure.title}“"
    lead = measure.lead_municipality
    coordinators = "die Koordinierungsstelle"
    if entry.from_state == ReviewState.WITHDRAWN:
        subject = f"Wieder aufgenommen: {title}"
        intro = (
            f"Die Maßnahme {title} ist wieder aufgenommen, weil die gemeinsame Maßnahme, in "
            "der sie aufgegangen war, zurückgezogen wurde. Sie steht wieder im Prüfstatus "
            f"„{ReviewState(entry.to_state).label}“."
        )
        recipients, whom = _editors_of(measure), lead.label
    elif entry.to_state == ReviewState.SUBMITTED:
        subject = f"Zur Prüfung eingereicht: {title}"
        intro = f"{lead.label} hat die Maßnahme {title} zur Prüfung eingereicht."
        recipients, whom = _coordinators(), coordinators
    elif entry.to_state == ReviewState.ACCEPTED:
        subject = f"Angenommen: {title}"
        intro = f"Die Koordinierungsstelle hat die Maßnahme {title} angenommen."
        recipients, whom = _editors_of(measure), lead.label
    elif entry.to_state == ReviewState.CHANGES_REQUESTED:
        subject = f"Änderungen erbeten: {title}"
        intro = f"Die Koordinierungsstelle bittet um Änderungen an der Maßnahme {title}."
        recipients, whom = _editors_of(measure), lead.label
    elif entry.to_state == ReviewState.WITHDRAWN and entry.from_state != ReviewState.DRAFT:
        subject = f"Zurückgezogen: {title}"
        intro = f"{lead.label} hat die Maßnahme {title} zurückgezogen."
        recipients, whom = _coordinators(), coordinators
    else:
        return None
    users = list(recipients.exclude(pk=entry.author_id).order_by("last_name", "first_name", "pk"))
    return subject, intro, users, whom


def review_message(entry):
    """(subject, body, recipients) for a review event, or None when nobody is to be told."""
    found = review_recipients(entry)
    if found is None:
        return None
    subject, intro, users, _whom = found
    addresses = sorted({u.email for u in users})
    if not addresses:
        return None
    measure = entry.measure
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("measures:detail", args=[measure.pk])
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


def _editors_of_body(municipality):
    """Who gets the body's notices: its own editors, else its Samtgemeinde's (with e-mail)."""
    return acting_for(municipality).notice_recipients


def _footer(measure):
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("measures:detail", args=[measure.pk])
    return f"Zur Maßnahme: {url}\n\n-- \nDigitalstrategie-Portal Landkreis Lüchow-Dannenberg\n"


def _load_partnership(partnership_pk):

    return (
        Partnership.objects.select_related(
            "municipality", "measure__lead_municipality", "merges_measure", "decided_by"
        )
        .filter(pk=partnership_pk)
        .first()
    )


def partnership_request_message(partnership):
    measure = partnership.measure
    title = f"{measure.reference} „{measure.title}“"
    lead = measure.lead_municipality.label
    body = f"{lead} möchte {partnership.municipality.label} an der Maßnahme {title} beteiligen"
    if partnership.cost_share_percent is not None:
        share = f"{partnership.cost_share_percent:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        body += f", mit einem Kostenanteil von {share} %"
    body += ".\n\n"
    if partnership.merges_measure_id:
        own = partnership.merges_measure
        body += (
            f"Die Maßnahme ist Ihrer Maßnahme {own.reference} „{own.title}“ ähnlich. Wenn Sie "
            "zustimmen, wird Ihre Maßnahme zurückgezogen und verweist auf die gemeinsame; ihr "
            "Verlauf bleibt erhalten.\n\n"
        )
    body += (
        "Bis Sie zustimmen, erscheint Ihre Kommune nirgends als beteiligt. Bitte bestätigen Sie "
        "die Anfrage oder lehnen Sie sie mit einer Begründung ab – auf der Seite der Maßnahme "
        "oder auf der Übersicht Ihrer Kommune.\n\n" + _footer(measure)
    )
    subject = f"Anfrage zur Beteiligung: {title}"
    addresses = sorted({u.email for u in _editors_of_body(partnership.municipality)})
    return subject, body, addresses


def nobody_to_ask_message(partnership):
    """For the coordinators: a request reached nobody, because nobody can answer for the body
    (or nobody who can has an e-mail address)."""
    measure = partnership.measure
    title = f"{measure.reference} „{measure.title}“"
    body_name = partnership.municipality.label
    subject = f"Anfrage erreicht niemanden: {body_name}"
    body = (
        f"{measure.lead_municipality.label} möchte {body_name} an der Maßnahme {title} "
        f"beteiligen. Niemand kann derzeit für {body_name} antworten oder hat eine "
        "E-Mail-Adresse hinterlegt; die Anfrage hat niemanden erreicht.\n\n"
        "Bitte laden Sie jemanden ein, der für die Kommune antworten kann, oder tragen Sie "
        "ihre Antwort mit ihrer Quelle (Schreiben, Ratsbeschluss, E-Mail) ein – in der Liste "
        "der offenen Anfragen zur Beteiligung.\n\n" + _footer(measure)
    )
    addresses = sorted({u.email for u in _coordinators()})
    return subject, body, addresses


def partnership_answer_message(partnership):
    measure = partnership.measure
    title = f"{measure.reference} „{measure.title}“"
    partner = partnership.municipality.label
    if partnership.state == "confirmed":
        subject = f"Beteiligung bestätigt: {title}"
        body = f"{partner} hat die Beteiligung an der Maßnahme {title} bestätigt.\n\n"
    else:
        subject = f"Beteiligung abgelehnt: {title}"
        body = (
            f"{partner} hat die Beteiligung an der Maßnahme {title} abgelehnt.\n\n"
            f"Begründung:\n{partnership.decline_reason}\n\n"
        )
    recipients = _editors_of(measure).exclude(pk=partnership.decided_by_id)
    return subject, body + _footer(measure), sorted({u.email for u in recipients})


def _send(message):
    subject, body, addresses = message
    if not addresses:
        return 0
    return send_mail(subject, body, None, addresses)


@shared_task(name="measures.send_partnership_request", acks_late=True)
def send_partnership_request(partnership_pk):
    """Tell the partner body's editors that they are asked to take part."""
    translation.activate("de")
    partnership = _load_partnership(partnership_pk)
    if partnership is None or partnership.state != "requested":
        logger.info("Partnership %s gone or answered; no request e-mail.", partnership_pk)
        return 0
    subject, body, addresses = partnership_request_message(partnership)
    if not addresses:
        return _send(nobody_to_ask_message(partnership))
    return _send((subject, body, addresses))


@shared_task(name="measures.send_partnership_answer", acks_late=True)
def send_partnership_answer(partnership_pk):
    """Tell the lead's editors how the partner answered."""
    translation.activate("de")
    partnership = _load_partnership(partnership_pk)
    if partnership is None or partnership.state == "requested":
        return 0
    return _send(partnership_answer_message(partnership))


@shared_task(name="measures.send_partnership_reminders", acks_late=True)
def send_partnership_reminders():
    """Daily: remind unanswered partnership requests every 14 days (measures/reminders.py)."""
    translation.activate("de")
    return reminders.send_due_reminders()


@shared_task(name="measures.recompute_similarity", acks_late=True)
def recompute_similarity(measure_pk):
    """Score one measure against the other bodies' measures and store its top matches.

    A measure deleted in the meantime only loses its stored rows.
    """
    translation.activate("de")
    return recompute_for(measure_pk)


@shared_task(name="measures.recompute_all_similarity", acks_late=True, time_limit=600)
def recompute_all_similarity():
    """Nightly: replace all stored matches (``manage.py recompute_similarity`` does the same)."""
    translation.activate("de")
    return recompute_all()


@shared_task(name="measures.run_import", acks_late=True)
def run_import(upload_pk):
    """Check or apply a large measures import (measures/exchange/background.py)."""
    return background.run(upload_pk)


@shared_task(name="measures.send_funding_reminders", acks_late=True, time_limit=600)
def send_funding_reminders_task():
    """Beat entry point (daily): reminders of proofs of use coming due (measures.funding)."""
    with translation.override("de"):
        return funding.send_proof_reminders()
