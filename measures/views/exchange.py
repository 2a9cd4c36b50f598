"""Export and import of measures as Excel (XLSX) or CSV: upload -> dry run -> confirm -> result."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from municipalities import rules

from .. import publication
from ..exchange import background
from ..exchange.csv_format import CONTENT_TYPE as CSV_TYPE
from ..exchange.csv_format import ZIP_CONTENT_TYPE, write_csv, write_zip
from ..exchange.importer import MAX_IMPORT_BYTES, MAX_ROWS, apply_import, plan_import, read_upload
from ..exchange.sheets import ExchangeFileError, Lookups, build_export
from ..exchange.xlsx_format import CONTENT_TYPE as XLSX_TYPE
from ..exchange.xlsx_format import write_xlsx
from ..forms import MeasureFilterForm
from ..models import ImportState, MeasureImport
from ..permissions import can_create_measure, visible_measures

PARTS = ("excel", "csv", "csv-beteiligte", "csv-paket")
# An upload waits this long for its confirmation.
UPLOAD_LIFETIME = datetime.timedelta(hours=6)


def export(request, part):
    """What the user may read (the list's filter applies); ``?vorlage=1``: the empty template."""
    if part not in PARTS:
        raise Http404("Dieses Format gibt es nicht.")
    public = not rules.is_internal(request.user)
    measures = visible_measures(request.user)
    template = bool(request.GET.get("vorlage"))
    if template:
        measures = measures.none()
    else:
        filter_form = MeasureFilterForm(
            request.GET or None,
            internal=not public,
            presentation=publication.latest_presentation(),
        )
        if filter_form.is_bound:
            measures = filter_form.filter(measures, public=public)
            # The Vorlage's measures as presented, as the list shows them.
            public = public or (filter_form.is_valid() and filter_form.presented_only)
    stem = "vorlage-massnahmen" if template else f"massnahmen-{timezone.localdate():%Y-%m-%d}"
    return _export_response(measures, part, stem, public)


def _export_response(measures, part, stem, public=False):
    lookups = Lookups()
    exported = build_export(measures, public=public, lookups=lookups)
    if part == "excel":
        response = HttpResponse(write_xlsx(exported, lookups), content_type=XLSX_TYPE)
        filename = f"{stem}.xlsx"
    elif part == "csv-paket":
        response = HttpResponse(write_zip(exported, stem), content_type=ZIP_CONTENT_TYPE)
        filename = f"{stem}.zip"
    elif part == "csv":
        content = write_csv(exported.measure_columns, exported.measures)
        response = HttpResponse(content.encode("utf-8"), content_type=CSV_TYPE)
        filename = f"{stem}.csv"
    else:
        content = write_csv(exported.partner_columns, exported.partners)
        response = HttpResponse(content.encode("utf-8"), content_type=CSV_TYPE)
        filename = f"{stem}_beteiligte.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MeasureImportForm(forms.Form):
    file = forms.FileField(
        label="Datei mit den Maßnahmen",
        help_text="Excel-Arbeitsmappe (.xlsx), CSV-Datei (.csv) oder das Zip-Archiv des "
        "CSV-Exports (.zip, mit Kostenplan und Förderungen) im Format des Exports, "
        "höchstens 5 MB.",
    )
    partners_file = forms.FileField(
        label="Beteiligte Kommunen (nur bei CSV, optional)",
        required=False,
        help_text="Die zweite CSV-Datei des Exports. Ohne sie bleiben die Beteiligten "
        "unverändert. In einer Excel-Datei stehen sie im Blatt „Beteiligte“, im Zip-Archiv in "
        "der Datei „…_beteiligte.csv“.",
    )

    def clean(self):
        cleaned = super().clean()
        for name in ("file", "partners_file"):
            upload = cleaned.get(name)
            if upload and upload.size > MAX_IMPORT_BYTES:
                self.add_error(
                    name, f"Die Datei ist größer als {MAX_IMPORT_BYTES // 1_000_000} MB."
                )
        return cleaned


@login_required
def import_view(request):
    """GET: the upload form; POST with a file: the dry run; POST with ``upload``: apply it."""
    if not can_create_measure(request.user):
        raise PermissionDenied("Sie dürfen keine Maßnahmen importieren.")
    if request.method == "POST" and request.POST.get("upload"):
        return _apply(request)
    form = MeasureImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method != "POST":
        return render(request, "measures/exchange_import.html", context)
    if not form.is_valid():
        return render(request, "measures/exchange_import.html", context, status=400)
    main, partners = form.cleaned_data["file"], form.cleaned_data.get("partners_file")
    raw = main.read()
    partners_raw = partners.read() if partners else None
    partners_name = partners.name if partners else ""
    context["filename"] = main.name
    try:
        tables = read_upload(main.name, raw, partners_name, partners_raw)
    except ExchangeFileError as exc:
        context["file_error"] = str(exc)
        return render(request, "measures/exchange_import.html", context, status=400)
    rows = tables.row_count
    if rows > MAX_ROWS:
        context["file_error"] = (
            f"Die Datei hat mehr als {MAX_ROWS} Zeilen. Bitte teilen Sie sie auf und laden Sie "
            "die Teile nacheinander hoch."
        )
        return render(request, "measures/exchange_import.html", context, status=400)

    def store(**fields):
        _discard_stale(request.user)
        return MeasureImport.objects.create(
            user=request.user,
            filename=main.name[:255],
            data=raw,
            partners_filename=partners_name[:255],
            partners_data=partners_raw,
            rows=rows,
            **fields,
        )

    if rows > background.SYNC_ROWS:  # checked in the background, see exchange/background.py
        with transaction.atomic():
            upload = store(state=ImportState.CHECKING)
            background.queue(upload, ImportState.CHECKING)
        return redirect("measures:import_status", pk=upload.pk)
    plan = plan_import(user=request.user, **tables.plan_tables())
    plan.notices = tables.notices + plan.notices
    context["plan"] = plan
    if plan.errors:
        return render(request, "measures/exchange_import.html", context, status=400)
    if plan.has_changes or plan.existing:
        context["upload"] = store(duplicates=plan.existing)
    return render(request, "measures/exchange_preview.html", context)


def _plan(filename, raw, partners_name, partners_raw, user, apply=False, create_duplicates=False):
    try:
        tables = read_upload(filename, raw, partners_name, partners_raw)
    except ExchangeFileError as exc:
        return None, str(exc)
    if apply:
        plan = apply_import(user=user, create_duplicates=create_duplicates, **tables.plan_tables())
    else:
        plan = plan_import(user=user, **tables.plan_tables())
    plan.notices = tables.notices + plan.notices
    return plan, None


def _apply(request):
    """Apply the stored upload once: its row stays locked until the import has committed and
    is marked applied in the same transaction, so a double click or a parallel confirmation
    waits, then finds it applied and creates nothing."""
    with transaction.atomic():
        upload = (
            MeasureImport.objects.select_for_update()
            .filter(
                pk=request.POST["upload"] if request.POST["upload"].isdigit() else None,
                user=request.user,
                created_at__gte=timezone.now() - UPLOAD_LIFETIME,
            )
            .first()
        )
        if upload is None or upload.state in (ImportState.APPLYING, ImportState.APPLIED):
            return _refuse_upload(request, applied=upload is not None)
        if upload.state != ImportState.READY:  # still being checked, or refused
            return redirect("measures:import_status", pk=upload.pk)
        upload.create_duplicates = bool(upload.duplicates and request.POST.get("create_duplicates"))
        if upload.rows > background.SYNC_ROWS:
            upload.save(update_fields=["create_duplicates"])
            background.queue(upload, ImportState.APPLYING)
            return redirect("measures:import_status", pk=upload.pk)
        plan, error = _plan(
            upload.filename,
            bytes(upload.data),
            upload.partners_filename,
            bytes(upload.partners_data) if upload.partners_data is not None else None,
            request.user,
            apply=True,
            create_duplicates=upload.create_duplicates,
        )
        if error or plan.errors:
            upload.delete()
        else:
            upload.state, upload.applied_at = ImportState.APPLIED, timezone.now()
            upload.data, upload.partners_data = b"", None
            upload.measure_ids = background.file_measure_ids(plan)
            upload.save(
                update_fields=[
                    "state",
                    "applied_at",
                    "data",
                    "partners_data",
                    "measure_ids",
                    "create_duplicates",
                ]
            )
    context = {"plan": plan, "file_error": error, "filename": upload.filename, "upload": upload}
    if error or plan.errors:
        context["form"] = MeasureImportForm()
        context["refused_on_apply"] = True
        return render(request, "measures/exchange_import.html", context, status=409)
    return render(request, "measures/exchange_result.html", context)


def _refuse_upload(request, applied):
    if applied:
        message = (
            "Dieser Import wurde bereits ausgeführt; es wurde nichts ein zweites Mal angelegt "
            "oder geändert. Die übernommenen Maßnahmen finden Sie in der Maßnahmenliste."
        )
    else:
        message = (
            "Diese Vorschau ist abgelaufen oder wurde schon übernommen. Bitte laden Sie die "
            "Datei erneut hoch."
        )
    return render(
        request,
        "measures/exchange_import.html",
        {"form": MeasureImportForm(), "file_error": message},
        status=409 if applied else 400,
    )


@login_required
def import_status(request, pk):
    """A large import checked or applied in the background: its progress, then its outcome."""
    if not can_create_measure(request.user):
        raise PermissionDenied("Sie dürfen keine Maßnahmen importieren.")
    upload = get_object_or_404(MeasureImport, pk=pk, user=request.user)
    running = upload.state in (ImportState.CHECKING, ImportState.APPLYING)
    headings = {
        ImportState.APPLYING: "Import wird übernommen",
        ImportState.APPLIED: "Import abgeschlossen",
    }
    context = {
        "upload": upload,
        "running": running,
        "progress": background.read_progress(upload.pk) if running else None,
        "heading": headings.get(upload.state, "Vorschau des Imports"),
    }
    return render(request, "measures/exchange_status.html", context)


@login_required
def import_download(request, pk, part):
    """The applied file again, as an export of its measures: created ones now with their ID,
    all with their current version, so that it can be edited and imported once more."""
    if part not in PARTS or not can_create_measure(request.user):
        raise Http404("Diese Datei gibt es nicht.")
    upload = get_object_or_404(MeasureImport, pk=pk, user=request.user, state=ImportState.APPLIED)
    measures = visible_measures(request.user).filter(pk__in=upload.measure_ids)
    stem = f"massnahmen-import-{timezone.localtime(upload.applied_at):%Y-%m-%d}-mit-ids"
    return _export_response(measures, part, stem)


def _discard_stale(user):
    """One pending upload per user; abandoned ones of anybody expire. An upload a task is
    checking or applying stays: its row is locked by the task, and deleting it would make
    this request wait for the whole apply."""
    running = (ImportState.CHECKING, ImportState.APPLYING)
    MeasureImport.objects.filter(user=user).exclude(state__in=running).delete()
    MeasureImport.objects.filter(created_at__lt=timezone.now() - UPLOAD_LIFETIME).exclude(
        state__in=running
    ).delete()
