"""Measures: the list, a measure's page and history, the form to create and edit one."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.forms.models import construct_instance
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format

from core.locking import owned_fields
from fields_of_action.models import FieldOfAction
from municipalities import rules

from .. import costs, finance, publication
from ..forms import CostPlanFormSet, MeasureFilterForm, MeasureForm, PartnershipFormSet
from ..history import changes_since, measure_history
from ..models import CostPlanYear, Measure, ReviewState
from ..partnerships import nobody_can_answer_among
from ..permissions import (
    can_comment,
    can_create_measure,
    can_edit_measure,
    can_review,
    reviewable_measures,
    visible_measures,
)
from ..prefill import prefill_from_query
from ..review import (
    after_edit,
    allowed_targets,
    lock,
    show_published_version,
    snapshot_for_display,
)
from .partnerships import asked_message
from .review import thread_prefetch
from .synergy import (
    similar_message,
    synergy_context,
)

PARTNER_PREFIX = "partners"
COST_PREFIX = "costs"


def measure_list(request):
    public = not rules.is_internal(request.user)
    presentation = publication.latest_presentation()
    filter_form = MeasureFilterForm(
        request.GET or None, internal=not public, presentation=presentation
    )
    measures = visible_measures(request.user).with_related()
    if filter_form.is_bound:
        measures = filter_form.filter(measures, public=public)
    else:
        measures = measures.order_by("-public_changed_at" if public else "-updated_at", "pk")
    presented_only = filter_form.is_bound and filter_form.is_valid() and filter_form.presented_only
    paginator = Paginator(measures, settings.PORTAL_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    if public or presented_only:
        shown = list(page.object_list)
        if presented_only and not public:
            # Internal readers see the Vorlage's version and which measures were edited since.
            for measure in shown:
                measure.changed_since_presentation = changed_since(measure, presentation)
        page.object_list = show_published_version(shown)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "measures/measure_list.html",
        {
            "filter_form": filter_form,
            "page": page,
            "query": query.urlencode(),
            "can_create": can_create_measure(request.user),
            "is_filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort")),
            "show_review": not public,
            "presentation": presentation,
            "presented_only": presented_only,
        },
    )


def changed_since(measure, presentation):
    """Was the measure edited after the version the Kreistag has was frozen? (Its page then
    shows both versions, the Vorlage's first.)"""
    since = presentation.frozen_at or presentation.presented_at
    return measure.updated_at is not None and measure.updated_at > since


def measure_detail(request, pk):
    if not rules.is_internal(request.user):
        return _public_detail(request, pk)
    measures = (
        visible_measures(request.user)
        .with_related()
        .select_related("joined_into")
        .prefetch_related(thread_prefetch())
    )
    measure = get_object_or_404(measures, pk=pk)
    cost_rows = list(measure.cost_plan.all())
    funding_entries = list(measure.funding.select_related("programme"))
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "nobody_for": nobody_can_answer_among(measure.partnerships.all()),
            "cost_rows": cost_rows,
            "cost_sums": list(costs.column_sums(cost_rows).values()),
            "funding_entries": funding_entries,
            "today": timezone.localdate(),
            **share_context(measure, cost_rows, funding_entries),
            "can_edit": can_edit_measure(request.user, measure),
            "show_contact": True,
            "show_review": True,
            "review_targets": allowed_targets(measure, request.user),
            "can_comment": can_comment(request.user, measure),
            "review_next": _review_next(request.user, measure),
            **presentation_context(measure),
            **synergy_context(request.user, measure),
        },
    )


def _review_next(user, measure):
    """For the reviewer on a measure with nothing to decide (just accepted or returned): the
    next measure of the review queue, in its order (one query); None for everybody else."""
    if measure.review_state == ReviewState.SUBMITTED or not can_review(user):
        return None
    following = (
        reviewable_measures(user).exclude(pk=measure.pk).only("pk", "title", "updated_at").first()
    )
    return {"measure": following}


def share_context(measure, cost_rows, funding_entries):
    """The template context of measures/includes/body_shares.html."""
    try:
        split = costs.split_for(measure, cost_rows, funding_entries)
    except finance.ShareError as error:
        return {"split_error": f"Die Anteile lassen sich nicht berechnen: {error}"}
    rows = [
        {"body": body, "percent": percent, "total": split.body_total(body)}
        for body, percent in split.weights
    ]
    return {"split": split, "share_rows": rows, "split_total": split.total()}


def _public_detail(request, pk):
    """The public sees the version of the latest published draft, without personal data."""
    measure = get_object_or_404(
        visible_measures(request.user).filter(public_snapshot__isnull=False), pk=pk
    )
    published = snapshot_for_display(measure.public_snapshot)
    field = FieldOfAction.objects.filter(number=published["field_of_action"]).first()
    known = publication.presentations()
    presentation = publication.presentation_of(measure, known)
    return render(
        request,
        "measures/measure_public_detail.html",
        {
            "measure": measure,
            "published": published,
            "field": field,
            "presentation": presentation,
            "latest": known[0] if known else None,
            "in_latest": bool(known) and presentation == known[0],
        },
    )


def presentation_context(measure):
    """The Vorlage on an internal measure page: whether the measure is in the version the
    Kreistag has, and, when it was edited since, that version to show first with labels for
    both (measures.publication; one query, one more for the bodies' names)."""
    latest = publication.latest_presentation()
    if latest is None:
        return {}
    presented = publication.presentation_of(measure, [latest]) is not None
    context = {"presentation": latest, "in_presentation": presented}
    if presented and measure.public_snapshot and changed_since(measure, latest):
        context["presented_version"] = snapshot_for_display(measure.public_snapshot)
        context["current_label"] = current_version_label(measure, latest)
    return context


def current_version_label(measure, presentation):
    """How the page names the measure as it is now, next to the Vorlage's version."""
    since = presentation.frozen_at or presentation.presented_at
    day = date_format(timezone.localtime(measure.updated_at), "d.m.Y")
    if measure.review_state == ReviewState.WITHDRAWN:
        return f"Aktueller Stand (zurückgezogen, Stand {day})"
    if measure.review_state != ReviewState.ACCEPTED:
        return f"Aktuelle Bearbeitung (noch nicht angenommen, Stand {day})"
    if measure.accepted_at and measure.accepted_at > since:
        accepted = date_format(timezone.localtime(measure.accepted_at), "d.m.Y")
        return (
            f"Aktuelle Fassung (angenommen am {accepted}, dem Kreistag noch nicht vorgelegt, "
            f"Stand {day})"
        )
    return f"Aktueller Stand (seit der Vorlage hat sich nur der Fortschritt geändert, Stand {day})"


def measure_history_view(request, pk):
    # The history names staff and shows unreviewed versions: internal users only, also
    # once the measure is public.
    if not rules.is_internal(request.user):
        raise Http404("Der Änderungsverlauf ist nur für Mitarbeitende sichtbar.")
    measure = get_object_or_404(visible_measures(request.user), pk=pk)
    return render(
        request,
        "measures/measure_history.html",
        {"measure": measure, "entries": measure_history(measure)},
    )


def _refuse_foreign_lead(request):
    """A crafted POST naming a body the user may not act for is refused outright."""
    posted = request.POST.get("lead_municipality")
    if not posted:
        return
    if not posted.isdigit() or not (
        rules.editable_municipalities(request.user).filter(pk=posted).exists()
    ):
        raise PermissionDenied("Für diese Kommune dürfen Sie keine Maßnahmen pflegen.")


def _bind(request, instance, user, data=None):
    if data is None and request.method == "POST":
        data = request.POST
    form = MeasureForm(data, instance=instance, user=user)
    formset = PartnershipFormSet(data, instance=instance, prefix=PARTNER_PREFIX)
    # The partner formset is the form's "formset" (templates, error summary); the cost plan
    # rides along on the form. A POST without the plan's rows at all (an older page, a
    # script) leaves the stored plan and its totals alone.
    cost_data = data if data is not None and f"{COST_PREFIX}-TOTAL_FORMS" in data else None
    form.cost_plan = CostPlanFormSet(cost_data, instance=instance, prefix=COST_PREFIX)
    return form, formset


def _validate(form, formset):
    form_ok = form.is_valid()
    formset.lead_municipality = getattr(form, "cleaned_data", {}).get("lead_municipality")
    formset_ok = formset.is_valid()
    costs_ok = not form.cost_plan.is_bound or form.cost_plan.is_valid()
    return form_ok and formset_ok and costs_ok


def _store_totals(form, measure):
    """The plan's totals onto the measure (saved with its row). A new measure's plan is the
    form's; an existing one's is read back after saving, rows kept by others included."""
    if not form.cost_plan.is_bound:
        return
    if measure.pk is None:
        rows = form.cost_plan.kept_rows()
    else:
        rows = CostPlanYear.objects.filter(measure=measure)
    measure.budget_planned, measure.budget_spent = costs.totals(rows)


def _save_cost_plan(form, measure):
    if form.cost_plan.is_bound:
        form.cost_plan.instance = measure
        form.cost_plan.save()


def _save(form, formset, user, version):
    measure = form.save(commit=False)
    measure.version = version
    measure.updated_by = user
    if measure.created_by_id is None:
        measure.created_by = user
    _store_totals(form, measure)
    measure.save()
    form.save_m2m()
    formset.instance = measure
    formset.save()
    _save_cost_plan(form, measure)
    return measure


@login_required
def measure_create(request):
    if not can_create_measure(request.user):
        raise PermissionDenied("Sie dürfen keine Maßnahmen anlegen.")
    if request.method == "POST":
        _refuse_foreign_lead(request)
    form, formset = _bind(request, Measure(), request.user)
    if request.method == "GET":
        prefill_from_query(request.GET, form, formset)
    if request.method == "POST" and _validate(form, formset):
        with transaction.atomic():
            measure = _save(form, formset, request.user, version=1)
        messages.success(request, f"Die Maßnahme „{measure.title}“ wurde angelegt.")
        asked_message(request, formset.asked)
        similar_message(request, measure)
        return redirect(measure)
    if request.method == "POST":
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(request, "measures/measure_form.html", {"form": form, "formset": formset})


@login_required
def measure_update(request, pk):
    measure = get_object_or_404(
        visible_measures(request.user).select_related("lead_municipality"), pk=pk
    )
    if not can_edit_measure(request.user, measure):
        raise PermissionDenied("Sie dürfen diese Maßnahme nicht bearbeiten.")
    if request.method == "POST":
        _refuse_foreign_lead(request)
    form, formset = _bind(request, measure, request.user)
    context = {"form": form, "formset": formset, "measure": measure}
    if request.method == "POST" and _validate(form, formset):
        posted_version = form.cleaned_data.get("version") or 0
        try:
            with transaction.atomic():
                saved = _save_edit(form, formset, request.user, posted_version)
        except IntegrityError:
            # A partner entered by someone else in the meantime (unique per measure).
            saved = None
        if saved is None:
            return _conflict(request, pk, posted_version)
        measure, back_to_review = saved
        messages.success(request, f"Die Maßnahme „{measure.title}“ wurde gespeichert.")
        asked_message(request, formset.asked)
        similar_message(request, measure)
        if back_to_review:
            messages.info(
                request,
                "Die Maßnahme war angenommen und liegt nach dieser inhaltlichen Änderung "
                "erneut zur Prüfung vor. Bis zur Annahme gilt die angenommene Fassung.",
            )
        return redirect(measure)
    if request.method == "POST":
        posted_version = form.cleaned_data.get("version")
        if posted_version is not None and posted_version != measure.version:
            # Saved by someone else meanwhile: show that together with the errors.
            return _conflict(request, pk, posted_version)
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(request, "measures/measure_form.html", context)


def _save_edit(form, formset, user, posted_version):
    """Save the form onto the locked row, or return None when the version has moved on.

    The row was loaded before this transaction; review state, accepted and published versions
    may have changed since. Only the fields the form owns are written, onto the row as it is
    under the lock, and only when nobody (editor or coordinator) saved since the form was
    loaded: then the user gets the conflict page instead.
    """
    current = lock(form.instance)
    if current.version != posted_version:
        return None
    construct_instance(form, current, fields=form._meta.fields)
    current.version = posted_version + 1
    current.updated_by = user
    current._history_user = user
    _save_cost_plan(form, current)
    _store_totals(form, current)
    current.save(
        update_fields=owned_fields(form, "version", "updated_by", "budget_planned", "budget_spent")
    )
    form.instance = current
    form._save_m2m()  # goals; the row itself is saved above with update_fields
    formset.instance = current
    formset.save()
    # The snapshot in after_edit must see the rows just saved.
    getattr(current, "_prefetched_objects_cache", {}).clear()
    return current, after_edit(current, user)


def _conflict(request, pk, posted_version):
    """Someone saved in between: keep what this user typed and show what the other changed."""
    current = Measure.objects.select_related("updated_by").get(pk=pk)
    changes, record = changes_since(current, posted_version)
    data = request.POST.copy()
    data["version"] = str(current.version)
    form, formset = _bind(request, current, request.user, data=data)
    _validate(form, formset)
    return render(
        request,
        "measures/measure_form.html",
        {
            "form": form,
            "formset": formset,
            "measure": current,
            "conflict": {"changes": changes, "record": record, "by": current.updated_by},
        },
        status=409,
    )
