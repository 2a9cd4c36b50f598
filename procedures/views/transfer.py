"""The coordinator's import and export of the whole register in the browser."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from .. import transfer
from ..forms import ImportForm
from ..permissions import can_transfer
from ..tabular import TableRefused

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require_coordinator(user):
    if not can_transfer(user):
        raise PermissionDenied(
            "Nur die Koordinierungsstelle exportiert und importiert das Register."
        )


@login_required
def export(request):
    _require_coordinator(request.user)
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    response = HttpResponse(
        transfer.export_bytes(file_format), content_type=CONTENT_TYPES[file_format]
    )
    name = f"fachverfahren-{timezone.localdate():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_view(request):
    _require_coordinator(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = transfer.import_bytes(upload.read(), upload.name)
        except TableRefused as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                f"Import übernommen: {result.created} neu, {result.updated} geändert, "
                f"{result.unchanged} unverändert.",
            )
            return redirect("procedures:overview")
    if request.method == "POST":
        messages.error(request, "Die Datei wurde nicht übernommen; es wurde nichts gespeichert.")
    return render(
        request,
        "procedures/import.html",
        {"form": form, "errors": errors, "columns": transfer.COLUMNS},
    )
