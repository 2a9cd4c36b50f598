"""REST API v1. Every queryset comes from the apps' own permission functions."""

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status as http
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.response import Response

from drafts.permissions import visible_drafts
from evaluation.forms import MeasurementForm
from evaluation.gathering import upsert_values
from evaluation.models import Assessment, Indicator, Measurement, Origin
from evaluation.permissions import can_edit_indicators, visible_indicators
from evaluation.published import published_assessments, published_indicators
from fields_of_action.models import FieldOfAction, Goal
from measures.cost_service import CostPlanError, store_year
from measures.costs import PLAN_FIELDS
from measures.permissions import can_edit_measure, visible_measures
from municipalities import rules
from municipalities.models import Municipality

from .. import filters, serializers

BODY = OpenApiParameter(
    "body", int, description="Nummer (id) einer Kommune: federführend oder beteiligt."
)
FIELD = OpenApiParameter("field", int, description="Nummer des Handlungsfelds (1–6).")
STATUS = OpenApiParameter("status", str, description="Umsetzungsstand der Maßnahme.")
CHANGED_SINCE = OpenApiParameter(
    "changed_since",
    OpenApiTypes.DATETIME,
    description="Nur seit diesem Zeitpunkt Geänderte (ISO 8601, Datum oder Datum mit Uhrzeit).",
)
MEASURE = OpenApiParameter("measure", int, description="Nummer (id) einer Maßnahme.")
ERROR = OpenApiResponse(description="Fehlermeldung auf Deutsch (Feld „detail“ oder je Feld).")


def _is_public(request):
    return not rules.is_internal(request.user)


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Reading is open to pages of other origins (partner sites); browsers send no cookies
    with ``Access-Control-Allow-Origin: *``, so such pages only ever read what is public.

    Ids in addresses are digits: ``/indicators/abc/measurements/`` is a 404 at the router
    instead of a ``ValueError`` (error 500) in the lookup."""

    lookup_value_regex = r"\d+"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            response["Access-Control-Allow-Origin"] = "*"
        return response


@extend_schema_view(
    list=extend_schema(
        summary="Kommunen",
        parameters=[
            OpenApiParameter("kind", str, description="Art: district, samtgemeinde, town, …"),
            OpenApiParameter("parent", int, description="Nummer der übergeordneten Körperschaft."),
        ],
    ),
    retrieve=extend_schema(summary="Eine Kommune"),
)
class BodyViewSet(ReadOnlyViewSet):
    serializer_class = serializers.BodySerializer

    def get_queryset(self):
        bodies = Municipality.objects.order_by("pk")
        kind = filters.text(self.request, "kind")
        if kind:
            bodies = bodies.filter(kind=kind)
        parent = filters.integer(self.request, "parent")
        if parent is not None:
            bodies = bodies.filter(parent_id=parent)
        return bodies


@extend_schema_view(
    list=extend_schema(summary="Die sechs Handlungsfelder mit ihren Zielen"),
    retrieve=extend_schema(summary="Ein Handlungsfeld"),
)
class FieldOfActionViewSet(ReadOnlyViewSet):
    serializer_class = serializers.FieldOfActionSerializer
    lookup_field = "number"
    lookup_value_regex = r"\d+"
    queryset = FieldOfAction.objects.prefetch_related("goals__field_of_action").order_by("number")


@extend_schema_view(
    list=extend_schema(summary="Ziele", parameters=[FIELD]),
    retrieve=extend_schema(summary="Ein Ziel"),
)
class GoalViewSet(ReadOnlyViewSet):
    serializer_class = serializers.GoalSerializer

    def get_queryset(self):
        goals = Goal.objects.select_related("field_of_action").order_by("pk")
        field = filters.integer(self.request, "field")
        if field is not None:
            goals = goals.filter(field_of_action__number=field)
        return goals


@extend_schema_view(
    list=extend_schema(
        summary="Maßnahmen",
        description=(
            "Öffentlich: die Maßnahmen vorgelegter Entwürfe in ihrer veröffentlichten Fassung, "
            "ohne personenbezogene Daten. Angemeldet oder mit API-Schlüssel: was die Person "
            "bzw. die Kommune des Schlüssels im Portal sieht, in der aktuellen Fassung."
        ),
        parameters=[
            FIELD,
            BODY,
            STATUS,
            CHANGED_SINCE,
            OpenApiParameter("q", str, description="Suchwörter (Titel, Beschreibung, LeiKa)."),
        ],
    ),
    retrieve=extend_schema(summary="Eine Maßnahme"),
)
class MeasureViewSet(ReadOnlyViewSet):
    serializer_class = serializers.MeasureSerializer

    @extend_schema(
        summary="Ein Haushaltsjahr des Kostenplans übermitteln (mit API-Schlüssel)",
        description=(
            "Legt das Haushaltsjahr im Kostenplan der Maßnahme an (201) oder ändert es (200); "
            "ein erneutes Senden derselben Werte ändert nichts (200, result „unchanged“). Es "
            "gelten die Regeln des Maßnahmen-Formulars. Geänderte Planwerte legen eine "
            "angenommene Maßnahme erneut zur Prüfung vor; Ist-Werte nicht. Erlaubt für "
            "Maßnahmen, die die Kommune des Schlüssels pflegen darf; sonst 403."
        ),
        request=serializers.CostPlanPushSerializer,
        responses={
            201: serializers.CostPlanPushResultSerializer,
            200: serializers.CostPlanPushResultSerializer,
            400: ERROR,
            401: ERROR,
            403: ERROR,
            404: ERROR,
        },
    )
    @action(detail=True, methods=["post"], url_path="cost-plan")
    def cost_plan(self, request, pk=None):
        if not request.user.is_authenticated:
            raise NotAuthenticated(
                "Zum Übermitteln des Kostenplans wird ein API-Schlüssel benötigt."
            )
        measure = get_object_or_404(visible_measures(request.user), pk=pk)
        if not can_edit_measure(request.user, measure):
            raise PermissionDenied(
                "Dieser API-Schlüssel darf den Kostenplan dieser Maßnahme nicht ändern: die "
                "Maßnahme gehört einer anderen Kommune."
            )
        payload = serializers.CostPlanPushSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = {k: v for k, v in request.data.items() if k in payload.fields}
        values["year"] = payload.validated_data["year"]
        try:
            # A key is no person: history and review thread record the change without one.
            actor = request.user if request.auth is None else None
            row, result = store_year(measure, values, actor)
        except CostPlanError as error:
            raise ValidationError(error.errors) from None
        body = {"measure": measure.pk, "year": row.year, "result": result}
        for name in PLAN_FIELDS:
            body[name] = getattr(row, name)
        return Response(
            serializers.CostPlanPushResultSerializer(body).data,
            status=http.HTTP_201_CREATED if result == "created" else http.HTTP_200_OK,
        )

    def get_queryset(self):
        request = self.request
        public = _is_public(request)
        measures = visible_measures(request.user)
        if public:
            measures = measures.filter(public_snapshot__isnull=False)
        else:
            measures = measures.with_related().with_money()
        if self.action != "list":
            return measures
        return self._filter(measures, public).order_by("pk")

    def _filter(self, measures, public):
        request = self.request
        measures = measures.search(filters.search(request), public=public)
        field = filters.integer(request, "field")
        if field is not None:
            key = "public_snapshot__field_of_action" if public else "field_of_action__number"
            measures = measures.filter(**{key: field})
        body = filters.body(request)
        if body is not None:
            measures = measures.filter(
                pk__in=measures.model.objects.led_by_or_partnered(body).values("pk")
            )
        status = filters.status(request)
        if status:
            measures = measures.filter(
                **{"public_snapshot__status" if public else "status": status}
            )
        since = filters.changed_since(request)
        if since is not None:
            measures = measures.filter(
                **{"public_since__gte" if public else "updated_at__gte": since}
            )
        return measures


@extend_schema_view(
    list=extend_schema(
        summary="Indikatoren mit Status und Messwerten",
        parameters=[MEASURE, FIELD, BODY, CHANGED_SINCE],
    ),
    retrieve=extend_schema(summary="Ein Indikator mit Status und Messwerten"),
)
class IndicatorViewSet(ReadOnlyViewSet):
    serializer_class = serializers.IndicatorSerializer

    def get_queryset(self):
        indicators = visible_indicators(self.request.user)
        if _is_public(self.request):
            # The public reads indicators only in a published version (evaluation.published).
            indicators = published_indicators(indicators)
        indicators = indicators.with_latest().prefetch_related("measurements").order_by("pk")
        if self.action != "list":
            return indicators
        return self._filter(indicators)

    def _filter(self, indicators):
        request = self.request
        measure = filters.integer(request, "measure")
        if measure is not None:
            indicators = indicators.filter(measure_id=measure)
        field = filters.integer(request, "field")
        if field is not None:
            key = (
                "measure__public_snapshot__field_of_action"
                if _is_public(request)
                else "measure__field_of_action__number"
            )
            indicators = indicators.filter(**{key: field})
        body = filters.body(request)
        if body is not None:
            indicators = indicators.filter(
                Q(measure__lead_municipality=body) | Q(measure__partnerships__municipality=body)
            )
        since = filters.changed_since(request)
        if since is not None:
            changed = Measurement.objects.filter(updated_at__gte=since).values("indicator_id")
            indicators = indicators.filter(Q(updated_at__gte=since) | Q(pk__in=changed))
        return indicators.distinct() if body is not None else indicators

    @extend_schema(
        methods=["GET"],
        summary="Messwerte eines Indikators",
        responses=serializers.MeasurementSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Einen Messwert übermitteln (mit API-Schlüssel)",
        description=(
            "Legt den Wert für einen Zeitraum an (201) oder ändert ihn (200); ein erneutes "
            "Senden desselben Werts ändert nichts (200, result „unchanged“). Es gelten die "
            "Regeln des Messwert-Formulars im Portal. Erlaubt für Indikatoren der Maßnahmen, "
            "die die Kommune des Schlüssels pflegen darf; sonst 403."
        ),
        request=serializers.MeasurementPushSerializer,
        responses={
            201: serializers.MeasurementPushResultSerializer,
            200: serializers.MeasurementPushResultSerializer,
            400: ERROR,
            401: ERROR,
            403: ERROR,
            404: ERROR,
        },
    )
    @action(detail=True, methods=["get", "post"])
    def measurements(self, request, pk=None):
        indicator = get_object_or_404(
            visible_indicators(request.user).select_related("measure__lead_municipality"), pk=pk
        )
        if request.method == "GET":
            if _is_public(request) and indicator.public_since is None:
                raise Http404("Diesen Indikator gibt es nicht.")
            rows = indicator.measurements.order_by("period", "pk")
            page = self.paginate_queryset(rows)
            data = serializers.MeasurementSerializer(
                page, many=True, context=self.get_serializer_context()
            ).data
            return self.get_paginated_response(data)
        return self._push(request, indicator)

    def _push(self, request, indicator):
        if not request.user.is_authenticated:
            raise NotAuthenticated(
                "Zum Übermitteln von Messwerten wird ein API-Schlüssel benötigt."
            )
        if not can_edit_indicators(request.user, indicator.measure):
            raise PermissionDenied(
                "Dieser API-Schlüssel darf für diesen Indikator keine Messwerte übermitteln: "
                "die Maßnahme gehört einer anderen Kommune."
            )
        payload = serializers.MeasurementPushSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        form = MeasurementForm(data=data, indicator=indicator)
        if not form.is_valid():
            raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        period, value = form.cleaned_data["period"], form.cleaned_data["value"]
        note = form.cleaned_data["note"] if "note" in data else None
        user = request.user if request.auth is None else None
        with transaction.atomic():
            # One push per indicator at a time, so that "created" is told exactly once.
            Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
            created, updated = upsert_values(
                indicator, {period: value}, origin=Origin.API, user=user, note=note
            )
        stored = Measurement.objects.get(indicator=indicator, period=period)
        result = "created" if created else "updated" if updated else "unchanged"
        body = {
            "indicator": indicator.pk,
            "period": period,
            "value": stored.value,
            "note": stored.note,
            "result": result,
        }
        return Response(
            serializers.MeasurementPushResultSerializer(body).data,
            status=http.HTTP_201_CREATED if created else http.HTTP_200_OK,
        )


@extend_schema_view(
    list=extend_schema(summary="Wirkungsbewertungen", parameters=[MEASURE, BODY, CHANGED_SINCE]),
    retrieve=extend_schema(summary="Eine Wirkungsbewertung"),
)
class AssessmentViewSet(ReadOnlyViewSet):
    serializer_class = serializers.AssessmentSerializer

    def get_queryset(self):
        assessments = Assessment.objects.filter(
            measure__in=visible_measures(self.request.user)
        ).order_by("pk")
        if _is_public(self.request):
            assessments = published_assessments(assessments)
        measure = filters.integer(self.request, "measure")
        if measure is not None:
            assessments = assessments.filter(measure_id=measure)
        body = filters.body(self.request)
        if body is not None:
            assessments = assessments.filter(measure__lead_municipality=body)
        since = filters.changed_since(self.request)
        if since is not None:
            assessments = assessments.filter(updated_at__gte=since)
        return assessments


@extend_schema_view(
    list=extend_schema(summary="Strategieentwürfe mit Verweis auf ihr PDF"),
    retrieve=extend_schema(summary="Ein Strategieentwurf"),
)
class DraftViewSet(ReadOnlyViewSet):
    serializer_class = serializers.DraftSerializer

    def get_queryset(self):
        return visible_drafts(self.request.user).defer("snapshot").order_by("pk")
