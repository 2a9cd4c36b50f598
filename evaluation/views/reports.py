"""Sachstandsberichte: the list and their PDFs (the coordinator and the Kreistag)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from .. import permissions
from ..models import ProgressReport


def _allowed(request):
    # Not yet published: the administration and the Kreistag read it (evaluation.report).
    if not permissions.can_read_all_reporting(request.user):
        raise PermissionDenied(
            "Sachstandsberichte lesen die Koordinierungsstelle und der Kreistag."
        )


@login_required
def report_list(request):
    _allowed(request)
    reports = ProgressReport.objects.defer("snapshot").select_related("body")[:50]
    return render(request, "evaluation/report_list.html", {"reports": reports})


@login_required
def report_pdf(request, pk):
    _allowed(request)
    report = get_object_or_404(ProgressReport.objects.defer("snapshot"), pk=pk)
    if not report.pdf:
        raise Http404("Das PDF dieses Berichts ist noch nicht erzeugt.")
    return FileResponse(
        report.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"sachstandsbericht-{report.pk}.pdf",
    )
