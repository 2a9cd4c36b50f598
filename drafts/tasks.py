"""Celery tasks that render a frozen strategy draft and the bodies' Vorlagen to PDF and find
lost renders."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_datetime

from .consultation import MailPlan, consulted_bodies, missing_bodies
from .models import Consultation, ConsultationReminder, RenderState, StrategyDraft
from .presenting import send_presented as _send_presented
from .rendering import RenderHeartbeat, mark_lost_renders
from .workflow import store_pdf

logger = logging.getLogger(__name__)


def _fail(draft_pk, reason, started=None):
    """Record a failure, unless a newer render has started since ``started`` (its own)."""
    drafts = StrategyDraft.objects.filter(pk=draft_pk)
    if started is not None:
        drafts = drafts.filter(render_started_at=started)
    drafts.update(render_state=RenderState.FAILED, render_error=reason)


def render_now(draft, started=None):
    """Render synchronously and store the file; used by the task and by build_draft.
    ``started``: the task's start, see :func:`drafts.workflow.store_pdf`."""
    # Imported here: WeasyPrint loads with the first render, not in every process that
    # registers the tasks (web processes import this module in DraftsConfig.ready()).
    from .pdf import DraftPDFGenerator

    result = DraftPDFGenerator(draft).render()
    return store_pdf(draft, result.content, result.pages, started=started)


def _already_rendered(draft, requested_at):
    """A redelivered message whose render another delivery has finished since."""
    requested = parse_datetime(requested_at) if requested_at else None
    return bool(
        requested
        and draft.render_state == RenderState.READY
        and draft.rendered_at
        and draft.rendered_at >= requested
    )


@shared_task(
    name="drafts.render_draft_pdf",
    acks_late=True,
    # Why: a pool process killed mid-render puts the message back at once (not acked as failed).
    reject_on_worker_lost=True,
)
def render_draft_pdf(draft_pk, requested_at=None):
    """Render the PDF of a frozen draft. Tolerates a deleted draft; records failures.

    ``requested_at`` (ISO time of the request) lets a redelivered message skip a render that
    has been done since. While rendering, a heartbeat shows that the worker is alive.
    """
    translation.activate("de")
    draft = StrategyDraft.objects.filter(pk=draft_pk).first()
    if draft is None:
        logger.info("Strategy draft %s no longer exists; nothing to render.", draft_pk)
        return None
    if draft.snapshot is None:
        _fail(draft_pk, "Der Entwurf ist nicht eingefroren.")
        return None
    if _already_rendered(draft, requested_at):
        logger.info("Strategy draft %s was rendered since this request.", draft_pk)
        return draft.pdf_sha256
    now = timezone.now()
    StrategyDraft.objects.filter(pk=draft_pk).update(
        render_state=RenderState.RENDERING,
        render_error="",
        render_started_at=now,
        render_heartbeat_at=now,
    )
    try:
        with RenderHeartbeat(draft_pk):
            draft = render_now(draft, started=now)
    except SoftTimeLimitExceeded:
        _fail(draft_pk, "Zeitlimit überschritten: Die Erzeugung des PDF dauerte zu lange.", now)
        return None
    except Exception as exc:
        logger.exception("Rendering strategy draft %s failed", draft_pk)
        _fail(
            draft_pk,
            f"Die Erzeugung des PDF ist fehlgeschlagen ({exc.__class__.__name__}: {exc}).",
            now,
        )
        return None
    if draft.render_discarded:
        logger.info("Strategy draft %s: a newer render replaces this one.", draft_pk)
        return None
    return draft.pdf_sha256


@shared_task(name="drafts.render_body_document", acks_late=True, reject_on_worker_lost=True)
def render_body_document(procedure_pk):
    """Render one body's Beschlussvorlage and store it (drafts.body_rendering)."""
    # Imported here for the same reason as in render_now: WeasyPrint loads with the render.
    from .body_rendering import render

    translation.activate("de")
    return render(procedure_pk)


@shared_task(name="drafts.detect_lost_renders", acks_late=True, time_limit=60)
def detect_lost_renders_task():
    """Beat entry point: record renders whose worker died as failed, so they can be retried."""
    return mark_lost_renders()


def _consultation_url(consultation):
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "drafts:consultation", args=[consultation.draft_id]
    )


def _mail_editors(consultation, bodies, subject, intro):
    """The e-mails of the MailPlan (municipalities.acting): one to the people told about the
    same bodies, listing those bodies; returns the number of e-mails."""
    deadline = formats.date_format(consultation.deadline, "j. F Y")
    url = _consultation_url(consultation)
    plan = MailPlan.for_bodies(bodies)
    for users, own in plan.mails:
        names = "\n".join(f"- {body}" for body in own)
        body = (
            f"{intro}\n\nEntwurf: {consultation.draft}\nFrist: {deadline}\n\n"
            f"Ihre Stellungnahme fehlt noch für:\n{names}\n\n"
            f"Zur Abstimmung: {url}\n\n"
            "-- \nDigitalstrategie-Portal Landkreis Lüchow-Dannenberg\n"
        )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email for user in users])
    return len(plan.mails)


@shared_task(name="drafts.send_consultation_opened", acks_late=True)
def send_consultation_opened(consultation_pk):
    """Tell every body's editors that the Abstimmung is open; a deleted one is skipped."""
    translation.activate("de")
    consultation = Consultation.objects.select_related("draft").defer("draft__snapshot")
    consultation = consultation.filter(pk=consultation_pk).first()
    if consultation is None:
        return 0
    return _mail_editors(
        consultation,
        list(consulted_bodies()),
        f"Abstimmung zum Strategieentwurf: Stellungnahme bis "
        f"{formats.date_format(consultation.deadline, 'd.m.Y')}",
        "Die Koordinierungsstelle des Landkreises bittet Ihre Kommune um eine Stellungnahme "
        "zum Entwurf der interkommunalen Digitalisierungsstrategie: Zustimmung, Zustimmung mit "
        "Anmerkungen oder Ablehnung.",
    )


@shared_task(name="drafts.send_consultation_reminders")
def send_consultation_reminders():
    """Daily: remind bodies without a position 7 and 1 days before the deadline (once each)."""
    translation.activate("de")
    today = timezone.localdate()
    sent = 0
    for consultation in (
        Consultation.objects.filter(closed_at__isnull=True, deadline__gte=today)
        .select_related("draft")
        .defer("draft__snapshot")
    ):
        days = (consultation.deadline - today).days
        if days not in settings.DRAFTS_CONSULTATION_REMINDER_DAYS:
            continue
        _, created = ConsultationReminder.objects.get_or_create(
            consultation=consultation, days_before=days
        )
        if not created:
            continue
        missing = missing_bodies(consultation)
        if not missing:
            continue
        when = "morgen" if days == 1 else f"in {days} Tagen"
        sent += _mail_editors(
            consultation,
            missing,
            f"Erinnerung: Stellungnahme zum Strategieentwurf {when} fällig",
            f"Die Frist für die Stellungnahme zum Strategieentwurf endet {when}.",
        )
    return sent


@shared_task(name="drafts.send_consultation_reminder", acks_late=True)
def send_consultation_reminder(consultation_pk, body_pks):
    """The coordinator's reminder now, to those of ``body_pks`` still without a position."""
    translation.activate("de")
    consultation = Consultation.objects.select_related("draft").defer("draft__snapshot")
    consultation = consultation.filter(pk=consultation_pk, closed_at__isnull=True).first()
    if consultation is None:
        return 0
    wanted = set(body_pks)
    missing = [body for body in missing_bodies(consultation) if body.pk in wanted]
    if not missing:
        return 0
    deadline = formats.date_format(consultation.deadline, "j. F Y")
    return _mail_editors(
        consultation,
        missing,
        f"Erinnerung: Stellungnahme zum Strategieentwurf bis {deadline}",
        f"Die Koordinierungsstelle erinnert an die Stellungnahme zum Strategieentwurf; die "
        f"Frist endet am {deadline}.",
    )


@shared_task(name="drafts.send_presented", acks_late=True)
def send_presented(draft_pk):
    """E-mail the council members and the bodies about a presented version (once)."""
    translation.activate("de")
    return _send_presented(draft_pk)


@shared_task(name="drafts.send_adoption_reminders")
def send_adoption_reminders():
    """Daily: remind the bodies' editors 7 days before each meeting of their Vorlage's
    Beratungsfolge (once per meeting date, drafts.adoption.reminders_due)."""
    from .adoption import reminder_mail, reminders_due

    translation.activate("de")
    sent = 0
    for step in reminders_due(timezone.localdate()):
        subject, text, recipients = reminder_mail(step)
        if recipients:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
            sent += 1
    return sent
