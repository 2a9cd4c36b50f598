"""The register of one body: its procedures and infrastructure, and its online services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from municipalities.models import Municipality

from ..forms import EntryForm, OfferForm
from ..models import ProcedureEntry, Service, ServiceOffer
from ..permissions import can_edit_register, can_read_register


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
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                if entry is not None:
                    current = ProcedureEntry.objects.select_for_update().get(pk=entry.pk)
                    if form.cleaned_data.get("loaded_version") != current.updated_at.isoformat():
                        return _entry_conflict(request, municipality, current)
                saved = form.save()
            messages.success(request, f"„{saved.product}“ wurde gespeichert.")
            return redirect("procedures:register", slug=municipality.slug)
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(
        request,
        "procedures/entry_form.html",
        {"form": form, "municipality": municipality, "entry": entry},
    )


def _entry_conflict(request, municipality, current):
    """Someone saved the entry in between: keep what this user typed, refuse to overwrite."""
    data = request.POST.copy()
    data["loaded_version"] = current.updated_at.isoformat()
    form = EntryForm(data, instance=current, municipality=municipality)
    form.is_valid()
    messages.error(
        request,
        "Dieser Eintrag wurde inzwischen von jemand anderem geändert. Ihre Eingaben wurden "
        "noch nicht gespeichert und stehen unverändert im Formular; prüfen Sie den Eintrag "
        "im Register und speichern Sie erneut, um Ihre Fassung zu übernehmen.",
    )
    return render(
        request,
        "procedures/entry_form.html",
        {"form": form, "municipality": municipality, "entry": current},
        status=409,
    )


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
    if request.method == "POST":
        if form.is_valid():
            saved = form.save()
            messages.success(request, f"Der Stand für „{saved.service.name}“ wurde gespeichert.")
            return redirect("procedures:register", slug=municipality.slug)
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(
        request,
        "procedures/offer_form.html",
        {"form": form, "municipality": municipality, "offer": offer},
    )


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
