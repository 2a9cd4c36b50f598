"""State changes of a strategy draft: freeze, render, publish, record the decision.

Every function refuses what is not allowed with a :class:`DraftError` carrying a German reason.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import dispatch
from measures.publication import write_public_versions

from .models import Consultation, DraftState, RenderState, StrategyDraft
from .permissions import can_manage_drafts
from .snapshot import build_snapshot

logger = logging.getLogger(__name__)


class DraftError(Exception):
    """A refused step; ``str(error)`` is the German reason shown to the user."""


def _require_coordinator(user):
    if not can_manage_drafts(user):
        raise DraftError("Nur die Koordinierungsstelle bearbeitet Strategieentwürfe.")


def previous_version(draft):
    """The most recently frozen other version: the base of the change appendix."""
    return (
        StrategyDraft.objects.exclude(pk=draft.pk)
        .exclude(state=DraftState.EDITING)
        .order_by("-frozen_at", "-pk")
        .first()
    )


@transaction.atomic
def freeze(draft, user, render=True):
    """Take the snapshot of all accepted measures; from now on the draft never changes."""
    _require_coordinator(user)
    draft = StrategyDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.state != DraftState.EDITING:
        raise DraftError("Dieser Entwurf ist bereits eingefroren.")
    draft.previous = previous_version(draft)
    draft.frozen_at = timezone.now()
    draft.snapshot = build_snapshot(draft, now=draft.frozen_at)
    if not draft.snapshot["measures"]:
        raise DraftError(
            "Es gibt noch keine angenommene Maßnahme. Ein Entwurf ohne Maßnahmen wird nicht "
            "eingefroren."
        )
    draft.state = DraftState.FROZEN
    draft.save()
    if render:
        draft.render_dispatch = request_render(draft, user).render_dispatch
    return draft


RENDER_NOT_QUEUED = (
    "Das PDF konnte nicht erzeugt werden, weil der Hintergrunddienst gerade nicht erreichbar "
    "ist. Bitte versuchen Sie es in einigen Minuten noch einmal."
)


@transaction.atomic
def request_render(draft, user, supersede=False):
    """Queue the PDF rendering (again); the worker picks it up after the commit.

    While a render is queued or running, a new one is refused, unless ``supersede`` (the data
    the PDF shows has just changed: the Vorlage's details, the Abstimmung's result): then the
    new render is queued and the running one's file is thrown away (:func:`store_pdf`).

    The returned draft's ``render_dispatch`` (a ``core.dispatch.Dispatch``) tells, once the
    transaction has committed, whether the render could be queued: see :func:`render_not_queued`.
    """
    _require_coordinator(user)
    draft = StrategyDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.snapshot is None:
        raise DraftError("Ein PDF gibt es erst für einen eingefrorenen Entwurf.")
    if draft.render_is_busy and not supersede:
        raise DraftError("Das PDF wird bereits erzeugt. Bitte warten Sie einen Moment.")
    previous = draft.render_state
    draft.render_state = RenderState.QUEUED
    draft.render_error = ""
    draft.save(update_fields=["render_state", "render_error", "updated_at"])
    draft.render_dispatch = dispatch_render(draft.pk, previous)
    return draft


def dispatch_render(draft_pk, previous=RenderState.NONE):
    """Queue the render after the commit. If the broker cannot take it, the draft does not
    stay "queued" (which would refuse a new attempt and hide its PDF for the visibility
    timeout): a draft that had its PDF keeps it ready, any other records why it failed."""

    def not_queued(_error):
        queued = StrategyDraft.objects.filter(pk=draft_pk, render_state=RenderState.QUEUED)
        kept = previous == RenderState.READY and queued.exclude(pdf="").update(
            render_state=RenderState.READY
        )
        if not kept:
            queued.update(render_state=RenderState.FAILED, render_error=RENDER_NOT_QUEUED)

    return dispatch.on_commit(
        "drafts.render_draft_pdf", draft_pk, timezone.now().isoformat(), on_failure=not_queued
    )


def render_not_queued(draft):
    """Did the render requested for ``draft`` (by freeze or request_render) fail to queue?"""
    outcome = getattr(draft, "render_dispatch", None)
    return bool(outcome and outcome.failed)


def store_pdf(draft, pdf_bytes, pages, started=None):
    """Save the rendered file (replacing an earlier one) with its checksum.

    ``started`` (the task's ``render_started_at``): store only if this render is still the
    latest, so an older render finishing late never overwrites a newer one; a render requested
    since (queued again) makes this one's file outdated too. Then ``draft.render_discarded``
    is True and nothing is written.
    """
    draft.render_discarded = False
    with transaction.atomic():
        rows = StrategyDraft.objects.select_for_update().filter(pk=draft.pk)
        if started is not None:
            rows = rows.filter(render_started_at=started).exclude(render_state=RenderState.QUEUED)
        current = rows.only("pk", "pdf").first()
        if current is None:  # deleted while rendering, or superseded by a newer render
            draft.render_discarded = True
            return draft
        if current.pdf:
            current.pdf.delete(save=False)
        draft.pdf.save(draft.pdf_filename, ContentFile(pdf_bytes), save=False)
        draft.pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        draft.pdf_pages = pages
        draft.pdf_size = len(pdf_bytes)
        draft.rendered_at = timezone.now()
        draft.render_state = RenderState.READY
        draft.render_error = ""
        rows.update(
            pdf=draft.pdf.name,
            pdf_sha256=draft.pdf_sha256,
            pdf_pages=pages,
            pdf_size=draft.pdf_size,
            rendered_at=draft.rendered_at,
            render_state=RenderState.READY,
            render_error="",
        )
    return draft


NO_CONSULTATION = (
    "Zu dieser Version gab es keine Abstimmung mit den Kommunen. Bitte bestätigen Sie, dass "
    "Sie sie trotzdem vorlegen: Die Kommunen konnten keine Stellungnahme abgeben, und das PDF "
    "enthält keine."
)


@transaction.atomic
def publish(draft, user, without_consultation=False):
    """Lay the frozen draft before the Kreistag; its measures become public, and the council
    members and the bodies are e-mailed after the commit (``drafts.presenting``).

    A version that had no Abstimmung is presented only with ``without_consultation`` (the
    coordinator's explicit confirmation).
    """
    _require_coordinator(user)
    draft = StrategyDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.state != DraftState.FROZEN:
        raise DraftError(
            "Nur ein eingefrorener, noch nicht vorgelegter Entwurf kann vorgelegt werden."
        )
    if not draft.has_pdf:
        raise DraftError("Bitte warten Sie, bis das PDF fertig erzeugt ist.")
    if not without_consultation and not Consultation.objects.filter(draft=draft).exists():
        raise DraftError(NO_CONSULTATION)
    now = timezone.now()
    draft.state = DraftState.PUBLISHED
    draft.published_at = now
    draft.save(update_fields=["state", "published_at", "updated_at"])
    write_public_versions({m["id"]: m for m in draft.snapshot["measures"]}, now)
    dispatch.on_commit("drafts.send_presented", draft.pk)
    return draft


@transaction.atomic
def record_decision(draft, user, decision_date, drucksache_number):
    _require_coordinator(user)
    draft = StrategyDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.state not in (DraftState.PUBLISHED, DraftState.DECIDED):
        raise DraftError("Einen Beschluss gibt es erst, nachdem der Entwurf vorgelegt wurde.")
    if draft.published_at and decision_date < timezone.localdate(draft.published_at):
        raise DraftError("Der Kreistag kann nicht vor der Vorlage beschlossen haben.")
    draft.decision_date = decision_date
    draft.drucksache_number = drucksache_number.strip()
    draft.state = DraftState.DECIDED
    draft.save(update_fields=["decision_date", "drucksache_number", "state", "updated_at"])
    return draft
