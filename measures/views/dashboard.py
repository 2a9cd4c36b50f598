"""A body's dashboard: its measures by field and status, its tasks, its recent changes."""

from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from core import dashboard as dashboard_tasks
from core import data_version
from fields_of_action.models import FieldOfAction
from municipalities import rules
from municipalities.models import Municipality, MunicipalityKind

from ..models import Status
from ..permissions import visible_measures
from ..review import (
    show_published_version,
)
from .money import money_context
from .review import returned_measures
from .synergy import (
    district_synergy_context,
    partner_requests_context,
)

RETURNED_SHOWN = 10


def dashboard(request, slug):
    """A body's measures by field of action and status, with its most recent changes."""
    municipality = get_object_or_404(Municipality.objects.select_related("parent"), slug=slug)
    public = not rules.is_internal(request.user)
    scope = visible_measures(request.user).concerning(municipality, public=public)
    fields = list(FieldOfAction.objects.all())
    audience = "public" if public else "internal"
    # The counts are the same for everyone with the same audience: cached until the data
    # changes (core.data_version), so they do not grow with the district's data. One version
    # for both figures: read once, and they always match.
    version = data_version.current()
    counts = data_version.cached(
        f"measures-dashboard:{audience}:{municipality.pk}:by-field",
        lambda: _counts_by_field_and_status(scope, public=public),
        version=version,
    )
    statuses = list(Status)
    matrix = [
        {
            "field": field,
            "cells": [(status, counts.get((field.pk, status.value), 0)) for status in statuses],
            "total": sum(counts.get((field.pk, s.value), 0) for s in statuses),
        }
        for field in fields
    ]
    status_totals = [(s, sum(counts.get((f.pk, s.value), 0) for f in fields)) for s in statuses]
    members = []
    if municipality.kind in (MunicipalityKind.DISTRICT, MunicipalityKind.SAMTGEMEINDE):
        lead = "public_lead_id" if public else "lead_municipality_id"
        led = data_version.cached(
            f"measures-dashboard:{audience}:{municipality.pk}:led",
            lambda: dict(
                scope.order_by().values(lead).annotate(n=Count("pk")).values_list(lead, "n")
            ),
            version=version,
        )
        members = [
            (member, led.get(member.pk, 0))
            for member in Municipality.objects.filter(parent=municipality).order_by("tree_path")
        ]
    changed = "-public_changed_at" if public else "-updated_at"
    recent = scope.with_related().order_by(changed, "-pk")
    if public:
        recent = show_published_version(recent.defer("accepted_snapshot")[:10])
    else:
        # Lists never load the snapshot columns (megabytes of JSON at district scale).
        recent = recent.defer("accepted_snapshot", "public_snapshot")[:10]
    returned, returned_count = [], 0
    if request.user.is_authenticated:
        # The first ten with their reason and the total: the coordinator may edit every
        # measure, so all returned measures of the district would be hundreds.
        returned_all = returned_measures(request.user, scope)
        returned = list(returned_all[:RETURNED_SHOWN])
        returned_count = returned_all.count() if len(returned) == RETURNED_SHOWN else len(returned)
    return render(
        request,
        "measures/dashboard.html",
        {
            "municipality": municipality,
            "matrix": matrix,
            "statuses": statuses,
            "status_totals": status_totals,
            "total": sum(counts.values()),
            "recent": recent,
            "members": members,
            "can_create": rules.can_edit_for(request.user, municipality),
            "own_municipality": rules.home_municipality(request.user),
            "returned": returned,
            "returned_count": returned_count,
            "tasks": dashboard_tasks.tasks_for(request.user, municipality),
            "notices": dashboard_tasks.notices_for(request.user, municipality),
            "nobody_can_answer": _nobody_can_answer(request.user, municipality),
            "cockpit": _cockpit(request.user, municipality),
            "public": public,
            **money_context(scope, municipality, public, version),
            **partner_requests_context(request.user, municipality),
            **district_synergy_context(request.user, municipality),
        },
    )


def _nobody_can_answer(user, municipality):
    """For the coordinator on the district's page: how many bodies nobody can answer for
    (municipalities.acting; one query). None elsewhere."""
    if not (municipality.is_district and rules.is_coordinator(user)):
        return None
    return Municipality.objects.nobody_can_answer().count()


def _cockpit(user, municipality):
    """For the coordinator on the district's page: what waits for the Koordinierungsstelle
    across the portal ("Was auf Sie wartet", core.dashboard.cockpit_for); None elsewhere."""
    if not (municipality.is_district and rules.is_coordinator(user)):
        return None
    return dashboard_tasks.cockpit_for(user)


def _counts_by_field_and_status(scope, public):
    """{(field pk, status): count} in one query; for the public as published."""
    if not public:
        rows = scope.order_by().values("field_of_action_id", "status").annotate(n=Count("pk"))
        return {(row["field_of_action_id"], row["status"]): row["n"] for row in rows}
    rows = (
        scope.published_values()
        .order_by()
        .values("public_field_id", "published_status")
        .annotate(n=Count("pk"))
    )
    return {(row["public_field_id"], row["published_status"]): row["n"] for row in rows}
