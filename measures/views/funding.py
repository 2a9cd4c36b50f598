"""Funding of a measure, the coordinator's list of programmes, proofs of use coming due."""

import hashlib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from municipalities import rules
from municipalities.models import Municipality

from ..forms import FundingFormSet, FundingProgrammeFormSet
from ..funding import proof_due_filter, reminder_horizon
from ..models import FundingEntry, FundingProgramme, Measure
from ..permissions import can_edit_measure, editable_measures, visible_measures
from ..review import after_edit, lock

_SLUG = re.compile(r"[-a-z0-9]{1,100}")

PREFIX = "funding"
LOADED_FIELD = "loaded_funding"


def funding_token(measure):
    """The measure's funding entries as a form saw them (ids and modification times)."""
    rows = FundingEntry.objects.filter(measure=measure).order_by("pk")
    raw = ";".join(
        f"{pk}@{stamp.isoformat()}" for pk, stamp in rows.values_list("pk", "updated_at")
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _internal_measure(request, pk):
    if not rules.is_internal(request.user):
        raise Http404("Förderungen sind nur für Mitarbeitende sichtbar.")
    return get_object_or_404(
        visible_measures(request.user).select_related("lead_municipality"), pk=pk
    )


@login_required
def measure_funding(request, pk):
    """Read by every internal user; changed by who may edit the measure."""
    measure = _internal_measure(request, pk)
    may_edit = can_edit_measure(request.user, measure)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied("Sie dürfen die Förderungen dieser Maßnahme nicht ändern.")
    data = request.POST if request.method == "POST" else None
    formset = FundingFormSet(
        data,
        instance=measure,
        prefix=PREFIX,
        queryset=FundingEntry.objects.select_related("programme"),
    )
    context = {
        "measure": measure,
        "formset": formset,
        "may_edit": may_edit,
        "is_coordinator": rules.is_coordinator(request.user),
        "today": timezone.localdate(),
    }
    if request.method == "POST":
        if formset.is_valid():
            with transaction.atomic():
                current = lock(measure)
                if request.POST.get(LOADED_FIELD, "") != funding_token(current):
                    context["conflict"] = True
                else:
                    formset.instance = current
                    formset.save()
                    # Funding is progress: the accepted version shows it without a review.
                    after_edit(current, request.user)
                    messages.success(
                        request, f"Die Förderungen von „{measure.title}“ wurden gespeichert."
                    )
                    return redirect("measures:funding", pk=measure.pk)
            # Saved by someone else meanwhile: keep the typed rows, show the entries stored now.
            context["token"] = funding_token(measure)
            context["stored"] = _entries(measure)
            return render(request, "measures/funding.html", context, status=409)
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    context["token"] = request.POST.get(LOADED_FIELD) if data else funding_token(measure)
    context["stored"] = _entries(measure)
    return render(request, "measures/funding.html", context)


def _entries(measure):
    return list(
        FundingEntry.objects.filter(measure=measure)
        .select_related("programme")
        .order_by("year", "pk")
    )


@login_required
def funding_programmes(request):
    """The coordinator keeps the list of programmes editors choose from."""
    if not rules.is_coordinator(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle pflegt die Förderprogramme.")
    data = request.POST if request.method == "POST" else None
    formset = FundingProgrammeFormSet(data, queryset=FundingProgramme.objects.order_by("name"))
    if request.method == "POST":
        if formset.is_valid():
            with transaction.atomic():
                formset.save()
            messages.success(request, "Die Liste der Förderprogramme wurde gespeichert.")
            return redirect("measures:funding_programmes")
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(request, "measures/funding_programmes.html", {"formset": formset})


@login_required
def funding_due(request):
    """Approved funding whose proof of use is due soon or overdue, of measures the user edits
    (``?kommune=<slug>``: of measures that body or, for a Samtgemeinde, its members lead)."""
    if not rules.is_internal(request.user):
        raise PermissionDenied("Diese Liste ist für die Redaktionen der Kommunen.")
    measures = editable_measures(request.user)
    body = None
    slug = request.GET.get("kommune", "")
    if slug:
        # Only a well-formed key reaches the database (a NUL byte is a DataError there).
        if _SLUG.fullmatch(slug):
            body = Municipality.objects.filter(slug=slug).first()
        if body is None:
            messages.error(
                request,
                "Diese Kommune kennt das Portal nicht. Gezeigt werden die Förderungen aller "
                "Maßnahmen, die Sie bearbeiten.",
            )
        elif not body.is_district:
            measures = measures.filter(pk__in=Measure.objects.concerning(body).values("pk"))
    entries = (
        FundingEntry.objects.filter(proof_due_filter())
        .filter(measure__in=measures.values("pk"))
        .select_related("measure__lead_municipality", "programme")
        .order_by("proof_due", "pk")
    )
    return render(
        request,
        "measures/funding_due.html",
        {
            "entries": entries,
            "body": body,
            "today": timezone.localdate(),
            "horizon": reminder_horizon(),
        },
    )
