"""Data-collection rounds: the coordinator opens a round, each body enters its values."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core import dispatch
from municipalities import rules
from municipalities.models import Municipality

from .. import permissions
from ..forms import GermanDecimalField, RoundForm
from ..gathering import upsert_values
from ..models import CollectionRound, Origin
from ..periods import format_period
from ..plausibility import is_large_change, large_change_text, value_errors
from ..rounds import opening_report, round_items


@login_required
def round_list(request):
    can_manage = permissions.can_manage_rounds(request.user)
    if not (can_manage or rules.is_editor(request.user)):
        raise PermissionDenied("Datenerhebungsrunden sind für Redaktionen und Koordinierung.")
    form = RoundForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Nur die Koordinierungsstelle eröffnet Runden.")
        if form.is_valid():
            collection_round = form.save(commit=False)
            collection_round.opened_by = request.user
            with transaction.atomic():
                collection_round.save()
                dispatch.on_commit("evaluation.send_round_opened", collection_round.pk)
            report = opening_report(collection_round)
            if report.bodies:
                # One mail per body to its recipients: count deliveries, not people.
                told = report.text(count=sum(len(n.recipients) for n in report.told))
            else:
                told = (
                    "Keine Kommune muss in dieser Runde Werte liefern; es wird keine E-Mail "
                    "verschickt."
                )
            (messages.warning if report.untold else messages.success)(
                request, f"Die Runde „{collection_round.title}“ ist eröffnet. {told}"
            )
            return redirect(collection_round)
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    own = (
        list(rules.editable_municipalities(request.user).order_by("tree_path"))
        if not can_manage
        else []
    )
    return render(
        request,
        "evaluation/round_list.html",
        {
            "rounds": CollectionRound.objects.all()[:30],
            "form": form,
            "can_manage": can_manage,
            "own_municipalities": own,
        },
    )


@login_required
def round_detail(request, pk):
    """Completeness per body (coordinator)."""
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle sieht den Stand aller Kommunen.")
    collection_round = get_object_or_404(CollectionRound, pk=pk)
    progress = list(round_items(collection_round).values())
    due = sum(p.due for p in progress)
    done = sum(p.done for p in progress)
    return render(
        request,
        "evaluation/round_detail.html",
        {
            "round": collection_round,
            "progress": progress,
            "due": due,
            "done": done,
            "percent": round(100 * done / due) if due else 100,
            "notifications": list(collection_round.notifications.order_by("sent_at", "pk")),
        },
    )


@login_required
def round_close(request, pk):
    """GET: what closing does, with what is still missing; POST: close the round."""
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle schließt Runden.")
    collection_round = get_object_or_404(CollectionRound, pk=pk)
    if request.method == "POST":
        CollectionRound.objects.filter(pk=pk, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        messages.success(request, "Die Runde ist abgeschlossen.")
        return redirect("evaluation:round_detail", pk=pk)
    if not collection_round.is_open:
        messages.info(request, "Die Runde ist bereits abgeschlossen.")
        return redirect(collection_round)
    progress = list(round_items(collection_round).values())
    due = sum(p.due for p in progress)
    done = sum(p.done for p in progress)
    return render(
        request,
        "evaluation/round_confirm_close.html",
        {
            "round": collection_round,
            "due": due,
            "missing": due - done,
            "incomplete": [p for p in progress if not p.complete],
        },
    )


class RoundEntryForm(forms.Form):
    """One value and one note field per indicator due from the body."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.to_confirm = set()
        for indicator, period, measurement in items:
            if measurement is not None:
                self.fields[f"confirm_{indicator.pk}"] = forms.BooleanField(
                    label=f"Ja, die große Korrektur von {indicator.name} ist richtig.",
                    required=False,
                )
            value_field = GermanDecimalField(
                label=f"{indicator.name} ({format_period(period, indicator.frequency)}), "
                f"in {indicator.unit}",
                required=False,
            )
            value_field.initial = measurement.value if measurement else None
            self.fields[f"value_{indicator.pk}"] = value_field
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=f"Notiz zu {indicator.name}",
                required=False,
                max_length=500,
                initial=measurement.note if measurement else "",
            )

    def clean(self):
        """The plausibility rules of the indicator page, per value (see plausibility.py)."""
        cleaned = super().clean()
        for indicator, period, measurement in self.items:
            name = f"value_{indicator.pk}"
            value = cleaned.get(name)
            if value is None:
                continue
            for reason in value_errors(indicator, period, value):
                self.add_error(name, reason)
            old = measurement.value if measurement else None
            if name in self.errors or not is_large_change(old, value):
                continue
            self.to_confirm.add(indicator.pk)
            if not cleaned.get(f"confirm_{indicator.pk}"):
                self.add_error(
                    name,
                    f"{large_change_text(indicator, period, old, value)} Ist das richtig? Dann "
                    "bestätigen Sie die Korrektur und begründen Sie sie in der Notiz.",
                )
            elif not cleaned.get(f"note_{indicator.pk}", "").strip():
                self.add_error(
                    f"note_{indicator.pk}", "Bitte begründen Sie die große Korrektur in der Notiz."
                )
        return cleaned

    def rows(self):
        for indicator, period, measurement in self.items:
            confirm = f"confirm_{indicator.pk}"
            yield {
                "indicator": indicator,
                "period": format_period(period, indicator.frequency),
                "measurement": measurement,
                "value": self[f"value_{indicator.pk}"],
                "note": self[f"note_{indicator.pk}"],
                "confirm": (
                    self[confirm]
                    if indicator.pk in self.to_confirm or (self.is_bound and self.data.get(confirm))
                    else None
                ),
            }


@login_required
def round_entry(request, pk, slug):
    """All values a body owes in a round, in one form."""
    collection_round = get_object_or_404(CollectionRound, pk=pk)
    municipality = get_object_or_404(Municipality, slug=slug)
    if not permissions.can_enter_values_for(request.user, municipality):
        raise PermissionDenied("Sie dürfen für diese Kommune keine Werte erfassen.")
    progress = round_items(collection_round, municipality).get(municipality.pk)
    items = progress.items if progress else []
    if request.method == "POST" and not collection_round.is_open:
        raise PermissionDenied("Die Runde ist abgeschlossen.")
    form = RoundEntryForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        stored = 0
        with transaction.atomic():
            # The round may have been closed since the page was loaded: check under its lock
            # (round_close waits for it) so that no value lands in a closed round.
            locked = CollectionRound.objects.select_for_update().get(pk=collection_round.pk)
            if not locked.is_open:
                return _closed_meanwhile(request, locked, municipality, form, progress)
            for indicator, period, _measurement in items:
                value = form.cleaned_data[f"value_{indicator.pk}"]
                if value is None:
                    continue
                created, updated = upsert_values(
                    indicator,
                    {period: value},
                    origin=Origin.ROUND,
                    user=request.user,
                    note=form.cleaned_data[f"note_{indicator.pk}"],
                )
                stored += created + updated
        messages.success(
            request, "1 Wert gespeichert." if stored == 1 else f"{stored} Werte gespeichert."
        )
        return redirect("evaluation:round_entry", pk=pk, slug=slug)
    if request.method == "POST":
        messages.error(request, "Bitte prüfen Sie die markierten Werte; nichts wurde gespeichert.")
    return render(
        request,
        "evaluation/round_entry.html",
        {
            "round": collection_round,
            "municipality": municipality,
            "form": form,
            "progress": progress,
        },
    )


def _closed_meanwhile(request, collection_round, municipality, form, progress):
    messages.error(
        request,
        "Die Runde wurde inzwischen abgeschlossen. Ihre Werte wurden nicht gespeichert; sie "
        "stehen noch im Formular. Bitte wenden Sie sich an die Koordinierungsstelle.",
    )
    return render(
        request,
        "evaluation/round_entry.html",
        {
            "round": collection_round,
            "municipality": municipality,
            "form": form,
            "progress": progress,
        },
        status=409,
    )
