"""Evaluation dashboard, indicators, manual measurements and gathering runs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from core.locking import owned_fields
from measures.permissions import visible_measures
from measures.review import after_part_edit, lock, show_published_version
from municipalities import rules
from municipalities.models import Municipality

from .. import charts, permissions, published, rollup_cache, scope
from ..corrections import corrections_for
from ..forms import IndicatorForm, MeasurementForm
from ..gathering import dispatch_gathering, upsert_values
from ..models import CollectionResult, CollectionRun, Indicator, Measurement, Origin, RunTrigger
from ..money import money_context
from ..rollup import (
    active_measures,
    indicators_with_status,
    measures_without_indicators,
    not_fresh_indicators,
    overdue_queryset,
    show_indicator_measures,
)

NEEDS_PAGE_SIZE = 50


def _scope(request, slug):
    municipality = None
    if slug:
        municipality = get_object_or_404(Municipality.objects.select_related("parent"), slug=slug)
    public = not rules.is_internal(request.user)
    measures = visible_measures(request.user).concerning(municipality, public=public)
    return municipality, public, measures


def dashboard(request, slug=None):
    """Status of the indicators by field of action, municipality and measure.

    An editor's overview opens on their own body (``?alle=1``: the whole district).
    """
    if slug is None and not request.GET.get(scope.ALL_PARAM):
        own = scope.own_body(request.user)
        if own is not None:
            return redirect("evaluation:municipality_overview", slug=own.slug)
    municipality, public, measures = _scope(request, slug)
    rollups = rollup_cache.dashboard_rollups(
        measures, municipality, public, request.user.is_authenticated
    )
    table_html, table = rollup_cache.dashboard_table(
        measures,
        municipality,
        public,
        request.user.is_authenticated,
        rollups,
        request.GET.get("page"),
    )
    scope_label = str(municipality) if municipality and not municipality.is_district else None
    return render(
        request,
        "evaluation/dashboard.html",
        {
            **(table or {}),  # computed now: the table's context too (tests read it)
            "measure_total": rollups["measure_total"],
            "indicator_total": rollups["indicator_total"],
            "status_computed_on": rollups["status_computed_on"],
            # Rendered by the portal's own templates (autoescaped there), then cached.
            "rollups_html": mark_safe(rollups["rollups_html"]),  # noqa: S308
            "needs_html": mark_safe(rollups["needs_html"]),  # noqa: S308
            "table_html": mark_safe(table_html),  # noqa: S308
            "municipality": municipality,
            "scope_label": scope_label,
            "municipalities": Municipality.objects.filter(parent__parent__isnull=True)
            .exclude(parent__isnull=True)
            .order_by("tree_path"),
            "can_manage_gathering": permissions.can_manage_gathering(request.user),
            "can_import": permissions.can_import(request.user),
            "member_bodies": scope.member_bodies(municipality),
            "all_param": scope.ALL_PARAM,
            "public": public,
            **money_context(measures, municipality, public),
        },
    )


# The full lists of the dashboard's "Handlungsbedarf", paged: kind -> heading.
NEEDS_LISTS = {
    "ohne-indikator": "Maßnahmen ohne Indikator",
    "ohne-aktuellen-wert": "Indikatoren ohne aktuellen Wert",
    "bewertung-ueberfaellig": "Überfällige Bewertungen",
}


def needs_list(request, kind, slug=None):
    """One list of the need for action in full, paged (the dashboard shows its start)."""
    if kind not in NEEDS_LISTS:
        raise Http404("Diese Liste gibt es nicht.")
    municipality, public, measures = _scope(request, slug)
    active = active_measures(measures, public)
    if kind == "ohne-indikator":
        rows = measures_without_indicators(active, public).select_related(
            "lead_municipality", "public_lead", "public_field"
        )
    elif kind == "ohne-aktuellen-wert":
        rows = not_fresh_indicators(active, public)
    else:
        rows = overdue_queryset(measures, public=public)
    page = Paginator(rows, NEEDS_PAGE_SIZE).get_page(request.GET.get("page"))
    if kind == "ohne-aktuellen-wert":
        page.object_list = show_indicator_measures(page.object_list, public)
    elif public:
        page.object_list = show_published_version(page.object_list)
    scope_label = str(municipality) if municipality and not municipality.is_district else None
    return render(
        request,
        "evaluation/needs_list.html",
        {
            "kind": kind,
            "heading": NEEDS_LISTS[kind],
            "page": page,
            "municipality": municipality,
            "scope_label": scope_label,
        },
    )


def _visible_indicator(request, pk):
    indicators = permissions.visible_indicators(request.user)
    if not rules.is_internal(request.user):
        # The public reads an indicator only in a published version of its measure.
        indicators = published.published_indicators(indicators)
    indicator = get_object_or_404(
        indicators.select_related(
            "measure__lead_municipality",
            "measure__field_of_action",
            "measure__public_lead",
            "measure__public_field",
        ),
        pk=pk,
    )
    return indicator


def _detail_context(request, indicator, form=None):
    can_edit = permissions.can_edit_indicators(request.user, indicator.measure)
    evaluated = indicators_with_status(Indicator.objects.filter(pk=indicator.pk))[0]
    measurements = list(indicator.measurements.select_related("recorded_by").order_by("period"))
    for measurement in measurements:
        measurement.indicator = indicator
    if form is None and can_edit:
        form = MeasurementForm(indicator=indicator)
    has_error = bool(
        indicator.last_error_at
        and (not indicator.last_success_at or indicator.last_error_at > indicator.last_success_at)
    )
    measure = indicator.measure
    if not rules.is_internal(request.user):
        (measure,) = show_published_version([measure])
        published.show_published([indicator])
    return {
        "indicator": indicator,
        "measure": measure,
        "status": evaluated.status,
        "measurements": measurements,
        "chart": charts.indicator_line_chart("chart-verlauf", indicator, measurements),
        "chart_narrow": charts.indicator_line_chart(
            "chart-verlauf-schmal", indicator, measurements, narrow=True
        ),
        "form": form,
        "can_edit": can_edit,
        "can_manage_gathering": permissions.can_manage_gathering(request.user),
        # Names of staff, free-text notes and fetch errors are for internal users only.
        "show_recorder": rules.is_internal(request.user),
        "has_error": has_error,
        "corrections": corrections_for(indicator) if rules.is_internal(request.user) else [],
    }


def indicator_detail(request, pk):
    indicator = _visible_indicator(request, pk)
    return render(request, "evaluation/indicator_detail.html", _detail_context(request, indicator))


def _editable_measure(request, measure_pk):
    measure = get_object_or_404(
        visible_measures(request.user).select_related("lead_municipality"), pk=measure_pk
    )
    if not permissions.can_edit_indicators(request.user, measure):
        raise PermissionDenied("Sie dürfen die Indikatoren dieser Maßnahme nicht pflegen.")
    return measure


def _editable_indicator(request, pk):
    indicator = _visible_indicator(request, pk)
    if not permissions.can_edit_indicators(request.user, indicator.measure):
        raise PermissionDenied("Sie dürfen diesen Indikator nicht pflegen.")
    return indicator


def _review_message(request, back_to_review):
    if back_to_review:
        messages.info(
            request,
            "Die Texte der Indikatoren gehören zur geprüften Fassung der Maßnahme: Sie wurde "
            "erneut zur Prüfung vorgelegt. Öffentlich bleibt bis zur nächsten Veröffentlichung "
            "die bisherige Fassung.",
        )


@login_required
def indicator_create(request, measure_pk):
    measure = _editable_measure(request, measure_pk)
    form = IndicatorForm(request.POST or None, instance=Indicator(measure=measure))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            indicator = form.save()
            back_to_review = after_part_edit(measure, request.user)
        _review_message(request, back_to_review)
        messages.success(request, f"Der Indikator „{indicator.name}“ wurde angelegt.")
        return redirect(indicator)
    if request.method == "POST":
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(request, "evaluation/indicator_form.html", {"form": form, "measure": measure})


@login_required
def indicator_update(request, pk):
    indicator = _editable_indicator(request, pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    context = {"form": form, "measure": indicator.measure, "indicator": indicator}
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            lock(indicator.measure)  # first, as publication does: no deadlock with it
            # Gathering writes the last_* fields of the same row at any time: lock the row
            # and write only what the form edits, unless another person saved it meanwhile.
            current = Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
            if current is None:
                raise Http404("Der Indikator wurde inzwischen gelöscht.")
            if form.is_stale(current):
                context["conflict"] = form.conflict(current)
            else:
                indicator = form.save(commit=False)
                indicator.save(update_fields=owned_fields(form, "source_options"))
                back_to_review = published.texts_changed(form) and after_part_edit(
                    indicator.measure, request.user
                )
        if "conflict" in context:
            messages.error(request, "Der Indikator wurde nicht gespeichert.")
            return render(request, "evaluation/indicator_form.html", context, status=409)
        _review_message(request, back_to_review)
        messages.success(request, f"Der Indikator „{indicator.name}“ wurde gespeichert.")
        return redirect(indicator)
    if request.method == "POST":
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(request, "evaluation/indicator_form.html", context)


@login_required
def indicator_delete(request, pk):
    indicator = _editable_indicator(request, pk)
    if request.method == "POST":
        measure = indicator.measure
        name = indicator.name
        with transaction.atomic():
            lock(measure)  # first, as publication does: no deadlock with it
            indicator.delete()
            back_to_review = after_part_edit(measure, request.user)
        _review_message(request, back_to_review)
        messages.success(request, f"Der Indikator „{name}“ und seine Messwerte wurden gelöscht.")
        return redirect(measure)
    return render(
        request,
        "evaluation/indicator_confirm_delete.html",
        {"indicator": indicator, "count": indicator.measurements.count()},
    )


@login_required
@require_POST
def measurement_save(request, pk):
    """Enter a value, or correct the value of a period that already has one."""
    indicator = _editable_indicator(request, pk)
    form = MeasurementForm(request.POST, indicator=indicator)
    if form.is_valid():
        period = form.cleaned_data["period"]
        with transaction.atomic():
            # Locked so that a deletion of the indicator cannot slip in before the insert.
            if not Indicator.objects.select_for_update().filter(pk=indicator.pk).exists():
                raise Http404("Der Indikator wurde inzwischen gelöscht.")
            created, updated = upsert_values(
                indicator,
                {period: form.cleaned_data["value"]},
                origin=Origin.MANUAL,
                user=request.user,
                note=form.cleaned_data["note"],
            )
        label = Measurement(indicator=indicator, period=period).period_label
        if created:
            messages.success(request, f"Der Wert für {label} wurde gespeichert.")
        else:
            messages.success(request, f"Der Wert für {label} wurde korrigiert.")
        return redirect(indicator)
    messages.error(request, "Der Wert wurde nicht gespeichert; bitte prüfen Sie die Angaben.")
    return render(
        request,
        "evaluation/indicator_detail.html",
        _detail_context(request, indicator, form),
        status=400,
    )


@login_required
@require_POST
def gather_now(request, pk=None):
    """The coordinator starts a gathering run for one indicator or all automatic ones."""
    if not permissions.can_manage_gathering(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle löst Abrufe aus.")
    indicators = Indicator.objects.all()
    if pk is not None:
        indicators = indicators.filter(pk=pk)
        get_object_or_404(indicators)
    with transaction.atomic():
        run = dispatch_gathering(indicators, RunTrigger.MANUAL, request.user)
    if run.indicators_total == 0:
        messages.info(request, "Es gibt keine Indikatoren mit automatischer Datenquelle.")
    else:
        messages.success(
            request,
            f"Der Abruf von {run.indicators_total} Indikator(en) wurde gestartet "
            f"(Datenabruf Nr. {run.pk}).",
        )
    if pk is not None:
        return redirect("evaluation:indicator_detail", pk=pk)
    return redirect("evaluation:run_detail", pk=run.pk)


@login_required
def run_list(request):
    if not permissions.can_manage_gathering(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle sieht das Protokoll der Datenabrufe.")
    runs = CollectionRun.objects.select_related("triggered_by")[:50]
    return render(request, "evaluation/run_list.html", {"runs": runs})


@login_required
def run_detail(request, pk):
    if not permissions.can_manage_gathering(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle sieht das Protokoll der Datenabrufe.")
    run = get_object_or_404(
        CollectionRun.objects.prefetch_related(
            Prefetch(
                "results",
                queryset=CollectionResult.objects.select_related("indicator__measure").order_by(
                    "ok", "indicator__name"
                ),
            )
        ),
        pk=pk,
    )
    return render(request, "evaluation/run_detail.html", {"run": run})
