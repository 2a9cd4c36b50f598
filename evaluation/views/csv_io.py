"""CSV export and import of measurements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from municipalities import rules

from .. import permissions
from ..csv_io import ID, export_lines, parse_import, store_import
from ..forms import ImportForm
from ..models import Measurement


def export(request):
    """The measurements the user may read; ``?massnahme=`` or ``?indikator=`` narrow it."""
    measurements = Measurement.objects.filter(
        indicator__in=permissions.visible_indicators(request.user)
    )
    if ID.fullmatch(request.GET.get("massnahme", "")):
        measurements = measurements.filter(indicator__measure_id=request.GET["massnahme"])
    if ID.fullmatch(request.GET.get("indikator", "")):
        measurements = measurements.filter(indicator_id=request.GET["indikator"])
    measurements = measurements.order_by("indicator_id", "period")
    public = not rules.is_internal(request.user)
    # Streamed: constant memory whatever the number of values (issue 13).
    response = StreamingHttpResponse(
        export_lines(measurements, public=public), content_type="text/csv; charset=utf-8"
    )
    filename = f"messwerte-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def import_view(request):
    if not permissions.can_import(request.user):
        raise PermissionDenied("Sie dürfen keine Messwerte importieren.")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = parse_import(upload.read(), permissions.editable_indicators(request.user))
        if result.errors:
            messages.error(
                request,
                (
                    "Die Datei enthält eine fehlerhafte Zeile"
                    if len(result.errors) == 1
                    else f"Die Datei enthält {len(result.errors)} fehlerhafte Zeilen"
                )
                + "; es wurde nichts gespeichert.",
            )
        else:
            store_import(result, request.user)
            messages.success(
                request,
                f"{result.row_count} Messwerte importiert: {result.created} neu, "
                f"{result.updated} geändert, {result.row_count - result.created - result.updated} "
                "unverändert.",
            )
            if result.notice:
                messages.info(request, result.notice)
    return render(
        request,
        "evaluation/import.html",
        {"form": form, "result": result},
        status=400 if result and result.errors else 200,
    )
