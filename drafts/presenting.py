"""Presenting a version to the Kreistag tells people (issue 19, section 5).

The council members (Kreistag role) get an e-mail with the link and the PDF's size; the bodies
of the district are told through whoever acts for them (``municipalities.acting``: own
editors, else the Samtgemeinde's), one e-mail per person listing that person's bodies. Someone
who is both gets one e-mail. The confirmation and the e-mails come from the same
:func:`presentation_plan`; ``StrategyDraft.presentation_mailed_at`` makes the sending happen
once per version, however often the task is delivered.
"""

import logging

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from measures.publication import Presentation
from municipalities.notices import (
    PresentationPlan,
    council_members,
    district_bodies,
    notice_report,
    presentation_mail,
    send_presentation_once,
)

from .models import DraftState, StrategyDraft

logger = logging.getLogger(__name__)


def pdf_size_text(draft):
    """ "PDF, 2,4 MB" (German number format); "PDF" when the size is unknown."""
    if not draft.pdf_size:
        return "PDF"
    return f"PDF, {filesizeformat(draft.pdf_size)}".replace("\xa0", " ")


def presentation_plan():
    return PresentationPlan(council=council_members(), report=notice_report(district_bodies()))


def _message(draft, recipient, size):
    base = settings.PORTAL_BASE_URL.rstrip("/")
    page = base + reverse("drafts:detail", args=[draft.pk])
    pdf = base + reverse("drafts:pdf", args=[draft.pk]) + "?download=1"
    title = f"„{draft.title}“ ({draft.version_label})"
    return presentation_mail(
        recipient,
        f"Dem Kreistag vorgelegt: {title}",
        f"die Koordinierungsstelle hat die Digitalisierungsstrategie {title} dem Kreistag "
        "vorgelegt. Die Maßnahmen dieser Fassung sind jetzt öffentlich.",
        [f"Zum Entwurf: {page}", f"Beschlussvorlage herunterladen ({size}): {pdf}"],
    )


def send_presented(draft_pk):
    """E-mail the council members and the bodies about the presented version, once
    (``presentation_mailed_at``; municipalities.notices.send_presentation_once)."""

    def messages():
        draft = StrategyDraft.objects.get(pk=draft_pk)
        size = pdf_size_text(draft)
        return [_message(draft, r, size) for r in presentation_plan().recipients]

    presented = StrategyDraft.objects.filter(
        pk=draft_pk, state__in=[DraftState.PUBLISHED, DraftState.DECIDED]
    )
    sent = send_presentation_once(presented, messages)
    if sent is None:
        logger.info("Draft %s: presentation already mailed or not presented.", draft_pk)
        return 0
    return sent


def as_presentation(draft):
    """The draft as a measures.publication.Presentation (it must have been presented)."""
    return Presentation(
        version_label=draft.version_label,
        presented_at=draft.published_at,
        frozen_at=draft.frozen_at,
        url=draft.get_absolute_url(),
    )


def presentations():
    """Every version laid before the Kreistag, newest first (one query; registered with
    measures.publication in DraftsConfig.ready)."""
    drafts = (
        StrategyDraft.objects.filter(
            state__in=[DraftState.PUBLISHED, DraftState.DECIDED], published_at__isnull=False
        )
        .only("pk", "version_label", "published_at", "frozen_at")
        .order_by("-published_at", "-pk")
    )
    return [as_presentation(draft) for draft in drafts]
