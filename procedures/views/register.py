"""The register of one body: its procedures and infrastructure, and its online services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from municipalities.models import Municipality

from ..forms import EntryForm, OfferForm
from ..models import ProcedureEntry, Service, ServiceOffer
from ..permissions import can_edit_register, can_read_register

TEMPLATES = {"entry": "procedures/entry_form.html", "offer": "procedures/offer_form.html"}


def _require_reader(user):
    if not can_read_register(user):
        raise PermissionDenied("Das Register ist nur für Mitarbeitende der Kommunen sichtbar.")


def _require_editor(user, municipality):
    if not can_edit_register(user, municipality):
        raise PermissionDenied("Sie dürfen das Register dieser Kommune nicht pflegen.")


@login_required
def register(request, slug):
    _require_reader(request.user)
    municipality = get_object_or_404(Municipality.objects.select_related("parent"), slug=slug)
    entries = (
        ProcedureEntry.objects.filter(municipality=municipality)
        .select_related("category")
        .prefetch_related("services")
        .order_by("category__position", "product")
    )
    offers = (
        ServiceOffer.objects.filter(municipality=municipality)
        .select_related("service", "procedure")
        .order_by("service__name")
    )
    return render(
        request,
        "procedures/register.html",
        {
            "municipality": municipality,
            "entries": entries,
            "offers": offers,
            "can_edit": can_edit_register(request.user, municipality),
        },
    )


def _entry_form(request, municipality, entry):
    _require_editor(request.user, municipality)
    form = EntryForm(
        request.POST or None, instance=entry or ProcedureEntry(), municipality=municipality
    )
    context = {"form": form, "municipality": municipality, "entry": entry}
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    current = _locked(ProcedureEntry, entry)
                    if current is not None and form.is_stale(current):
                        return _conflict(request, TEMPLATES["entry"], form, current, context)
                    saved = form.save()
            except IntegrityError:
                # The same product saved meanwhile, e.g. by a double click on "Speichern".
                return _duplicate(request, TEMPLATES["entry"], form, "product", context)
            messages.success(request, f"„{saved.product}“ wurde gespeichert.")
            return redirect("procedures:register", slug=municipality.slug)
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(request, TEMPLATES["entry"], context)


def _locked(model, row):
    """The row being edited, locked, as it is now; None for a new one; 404 when deleted."""
    if row is None:
        return None
    current = model.objects.select_for_update().filter(pk=row.pk).first()
    if current is None:
        raise Http404("Der Eintrag wurde inzwischen gelöscht.")
    return current


def _conflict(request, template, form, current, context):
    """Someone saved the row in between: keep what this user typed, show what is stored."""
    messages.error(
        request,
        "Dieser Eintrag wurde inzwischen von jemand anderem geändert. Ihre Eingaben wurden "
        "noch nicht gespeichert und stehen unverändert im Formular; prüfen Sie, was jetzt "
        "gespeichert ist, und speichern Sie erneut, um Ihre Fassung zu übernehmen.",
    )
    return render(request, template, {**context, "conflict": form.conflict(current)}, status=409)


def _duplicate(request, template, form, field, context):
    """A new row that exists since this form was checked: a German message, input kept."""
    form.add_error(
        field,
        "Diesen Eintrag hat soeben schon jemand gespeichert – vielleicht wurde „Speichern“ "
        "doppelt geklickt. Bitte prüfen Sie das Register; Ihre Eingaben stehen noch im Formular.",
    )
    messages.error(request, "Der Eintrag wurde nicht noch einmal gespeichert.")
    return render(request, template, context, status=409)


@login_required
def entry_create(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    return _entry_form(request, municipality, None)


@login_required
def entry_update(request, pk):
    entry = get_object_or_404(ProcedureEntry.objects.select_related("municipality"), pk=pk)
    return _entry_form(request, entry.municipality, entry)


@login_required
def entry_delete(request, pk):
    entry = get_object_or_404(ProcedureEntry.objects.select_related("municipality"), pk=pk)
    _require_editor(request.user, entry.municipality)
    if request.method == "POST":
        entry.delete()
        messages.success(request, f"„{entry.product}“ wurde aus dem Register entfernt.")
        return redirect("procedures:register", slug=entry.municipality.slug)
    return render(
        request,
        "procedures/confirm_delete.html",
        {"object_label": f"{entry.product} ({entry.category})", "municipality": entry.municipality},
    )


def _offer_form(request, municipality, offer):
    _require_editor(request.user, municipality)
    initial = {}
    key = request.GET.get("leistung", "")
    # A LeiKa key is 14 digits; anything else (NUL fails at PostgreSQL) preselects nothing.
    if offer is None and key.isascii() and key.isdigit() and len(key) == 14:
        initial["service"] = Service.objects.filter(leika_key=key).first()
    form = OfferForm(
        request.POST or None,
        instance=offer or ServiceOffer(),
        municipality=municipality,
        initial=initial,
    )
    context = {"form": form, "municipality": municipality, "offer": offer}
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    current = _locked(ServiceOffer, offer)
                    if current is not None and form.is_stale(current):
                        return _conflict(request, TEMPLATES["offer"], form, current, context)
                    saved = form.save()
            except IntegrityError:
                return _duplicate(request, TEMPLATES["offer"], form, "service", context)
            messages.success(request, f"Der Stand für „{saved.service.name}“ wurde gespeichert.")
            return redirect("procedures:register", slug=municipality.slug)
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(request, TEMPLATES["offer"], context)


@login_required
def offer_create(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    return _offer_form(request, municipality, None)


@login_required
def offer_update(request, pk):
    offer = get_object_or_404(ServiceOffer.objects.select_related("municipality", "service"), pk=pk)
    return _offer_form(request, offer.municipality, offer)


@login_required
def offer_delete(request, pk):
    offer = get_object_or_404(ServiceOffer.objects.select_related("municipality", "service"), pk=pk)
    _require_editor(request.user, offer.municipality)
    if request.method == "POST":
        offer.delete()
        messages.success(request, f"Der Eintrag für „{offer.service.name}“ wurde entfernt.")
        return redirect("procedures:register", slug=offer.municipality.slug)
    return render(
        request,
        "procedures/confirm_delete.html",
        {"object_label": offer.service.name, "municipality": offer.municipality},
    )
