"""Sachstandsberichte: the list, their PDFs and presenting one to its council (the district's
to the Kreistag, a body's to that body's council).

Before it is presented a report is internal: the coordinator and the Kreistag read it. Once
presented "zur Kenntnisnahme" (evaluation.report_presenting) it is public: listed for
everyone and its PDF anyone's to download.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from core.pdf.stored import MissingFile, missing_page, open_stored
from municipalities import rules

from .. import permissions
from ..models import ProgressReport
from ..report_presenting import (
    PresentationError,
    already_presented_text,
    pdf_size_text,
    present,
    presentation_plan,
)

INTERNAL = (
    "Noch nicht vorgelegte Sachstandsberichte lesen die Koordinierungsstelle und der Kreistag."
)


def _reports(user):
    reports = ProgressReport.objects.defer("snapshot").select_related("body")
    if permissions.can_read_all_reporting(user):
        return reports
    return reports.filter(presented_at__isnull=False)


def report_list(request):
    internal = permissions.can_read_all_reporting(request.user)
    return render(
        request,
        "evaluation/report_list.html",
        {
            "reports": _reports(request.user)[:50],
            "internal": internal,
            "can_present": rules.is_coordinator(request.user),
        },
    )


def report_pdf(request, pk):
    """The stored PDF; ``?download=1`` sends it as an attachment."""
    report = get_object_or_404(ProgressReport.objects.defer("snapshot"), pk=pk)
    if not report.is_presented and not permissions.can_read_all_reporting(request.user):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(INTERNAL)
    if not report.pdf:
        raise Http404("Das PDF dieses Berichts ist noch nicht erzeugt.")
    try:
        handle = open_stored(report.pdf)
    except MissingFile as missing:
        return missing_page(request, missing)
    return FileResponse(
        handle,
        content_type="application/pdf",
        filename=f"sachstandsbericht-{report.pk}.pdf",
        as_attachment=bool(request.GET.get("download")),
    )


@login_required
def report_present(request, pk):
    """GET: what presenting does, whom it e-mails (a confirmation step); POST: present."""
    if not rules.is_coordinator(request.user):
        raise PermissionDenied("Einen Sachstandsbericht legt die Koordinierungsstelle vor.")
    report = get_object_or_404(
        ProgressReport.objects.defer("snapshot").select_related("body"), pk=pk
    )
    error = None
    if report.is_presented:
        messages.error(request, already_presented_text(report))
        return redirect("evaluation:reports")
    if request.method == "POST":
        try:
            present(report, request.user)
        except PresentationError as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                f"Der Sachstandsbericht „{report.title}“ wurde dem {report.council_label} zur "
                "Kenntnisnahme vorgelegt und ist öffentlich abrufbar. "
                + presentation_plan(report).text(),
            )
            return redirect("evaluation:reports")
    return render(
        request,
        "evaluation/report_confirm_present.html",
        {
            "report": report,
            "plan": presentation_plan(report),
            "pdf_size": pdf_size_text(report),
            "error": error,
        },
        status=400 if error else 200,
    )
