"""Assessments: did a measure achieve its intended effect? At least once a year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from measures.permissions import editable_measures, visible_measures
from measures.review import after_part_edit
from municipalities import rules

from .. import permissions
from ..forms import AssessmentForm
from ..models import Assessment
from ..rollup import overdue_queryset

OVERDUE_PAGE_SIZE = 50


@login_required
def assessment_create(request, measure_pk):
    measure = get_object_or_404(
        visible_measures(request.user).select_related("lead_municipality"), pk=measure_pk
    )
    if not permissions.can_assess(request.user, measure):
        raise PermissionDenied("Sie dürfen diese Maßnahme nicht bewerten.")
    form = AssessmentForm(request.POST or None, instance=Assessment(measure=measure))
    if request.method == "POST" and form.is_valid():
        assessment = form.save(commit=False)
        assessment.assessed_by = request.user
        with transaction.atomic():
            assessment.save()
            back_to_review = after_part_edit(measure, request.user)
        messages.success(request, "Die Bewertung wurde gespeichert.")
        if back_to_review:
            messages.info(
                request,
                "Die Begründung gehört zur geprüften Fassung der Maßnahme: Sie wurde erneut "
                "zur Prüfung vorgelegt und ist erst nach der nächsten Veröffentlichung "
                "öffentlich zu lesen.",
            )
        return redirect(measure.get_absolute_url() + "#evaluierung")
    if request.method == "POST":
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(request, "evaluation/assessment_form.html", {"form": form, "measure": measure})


@login_required
def overdue_list(request):
    """Overdue assessments: the coordinator sees all, an editor those of their bodies."""
    if rules.is_coordinator(request.user) or rules.is_council_member(request.user):
        measures = visible_measures(request.user)
    else:
        measures = editable_measures(request.user)
    page = Paginator(overdue_queryset(measures), OVERDUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "evaluation/overdue_list.html",
        {"page": page, "measures": page.object_list},
    )
