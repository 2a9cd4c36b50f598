"""Presenting a Sachstandsbericht "zur Kenntnisnahme" (issue 22): the district's report to the
Kreistag, a body's report to that body's own council (``ProgressReport.council_label``:
"Samtgemeinderat der Samtgemeinde Gartow").

Once presented the report is public: it is listed for everyone and its PDF is anyone's to
download (evaluation.views.reports). For the district's report the Kreistag's members get an
e-mail with the link; the bodies whose measures it covers are told through whoever acts for
them, one e-mail per person (the same plan and wording as a presented strategy draft:
drafts.presenting). A body's council has no members in the portal: for a body's report only
the people acting for the body and its members are told. The confirmation
and the e-mails come from :func:`presentation_plan`; ``presentation_mailed_at`` makes the
sending happen once, however often the task is delivered.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone

from core import dispatch
from municipalities import rules
from municipalities.models import Municipality
from municipalities.notices import (
    PresentationPlan,
    council_members,
    district_bodies,
    notice_report,
    presentation_mail,
    send_presentation_once,
)

from .models import ProgressReport

logger = logging.getLogger(__name__)


class PresentationError(Exception):
    """A report that cannot be presented; the message is German, for the page."""


def bodies_told(report):
    """The bodies told about the report: every Kommune of the district for the district's
    report, else the body and, for a Samtgemeinde, its members."""
    if report.body_id is None:
        return district_bodies()
    return list(
        Municipality.objects.filter(Q(pk=report.body_id) | Q(parent_id=report.body_id))
        .select_related("parent")
        .order_by("tree_path")
    )


def presentation_plan(report):
    to_kreistag = report.body_id is None
    return PresentationPlan(
        council=council_members() if to_kreistag else [],
        report=notice_report(bodies_told(report)),
        tells_council=to_kreistag,
    )


def already_presented_text(report):
    return f"Dieser Bericht wurde dem {report.council_label} bereits vorgelegt."


def pdf_size_text(report):
    """ "PDF, 2,4 MB" (German number format); "PDF" when the file is missing."""
    try:
        size = report.pdf.size if report.pdf else 0
    except OSError:
        size = 0
    if not size:
        return "PDF"
    return f"PDF, {filesizeformat(size)}".replace("\xa0", " ")


@transaction.atomic
def present(report, user):
    """Present the frozen report; it is public from now on, and the e-mails go out after the
    commit. Refused for anyone but the coordinator, twice, or before the PDF exists."""
    if not rules.is_coordinator(user):
        raise PermissionDenied("Einen Sachstandsbericht legt die Koordinierungsstelle vor.")
    report = ProgressReport.objects.select_for_update().defer("snapshot").get(pk=report.pk)
    if report.is_presented:
        raise PresentationError(already_presented_text(report))
    if not report.pdf:
        raise PresentationError("Bitte warten Sie, bis das PDF des Berichts erzeugt ist.")
    report.presented_at = timezone.now()
    report.presented_by = user
    report.save(update_fields=["presented_at", "presented_by", "updated_at"])
    dispatch.on_commit("evaluation.send_report_presented", report.pk)
    return report


def _message(report, recipient, size):
    base = settings.PORTAL_BASE_URL.rstrip("/")
    listing = base + reverse("evaluation:reports")
    pdf = base + reverse("evaluation:report_pdf", args=[report.pk])
    return presentation_mail(
        recipient,
        f"Dem {report.council_label} zur Kenntnis vorgelegt: {report.title}",
        f"die Koordinierungsstelle hat dem {report.council_label} den Sachstandsbericht "
        f"„{report.title}“ ({report.scope_label}) zur Kenntnisnahme vorgelegt. Der Bericht ist "
        "jetzt öffentlich.",
        [f"Bericht herunterladen ({size}): {pdf}", f"Alle Sachstandsberichte: {listing}"],
    )


def send_presented(report_pk):
    """E-mail the council members and the bodies about the presented report, once
    (``presentation_mailed_at``; municipalities.notices.send_presentation_once)."""

    def messages():
        report = ProgressReport.objects.defer("snapshot").select_related("body").get(pk=report_pk)
        size = pdf_size_text(report)
        return [_message(report, r, size) for r in presentation_plan(report).recipients]

    presented = ProgressReport.objects.filter(pk=report_pk, presented_at__isnull=False)
    sent = send_presentation_once(presented, messages)
    if sent is None:
        logger.info("Report %s: presentation already mailed or not presented.", report_pk)
        return 0
    return sent
