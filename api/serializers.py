"""Representations of the API. Personal data (names, e-mail addresses) only for internal
readers; the public reads measures in their published version (``Measure.public_snapshot``)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from drafts.models import StrategyDraft
from evaluation.models import Assessment, Indicator, Measurement
from evaluation.published import INDICATOR_TEXTS
from evaluation.status import IndicatorStatus, indicator_status
from fields_of_action.models import FieldOfAction, Goal
from measures.models import (
    AnswerSource,
    FundingState,
    Priority,
    ReviewState,
    Status,
    TaskKind,
    on_behalf_text,
)
from measures.review import measure_snapshot
from municipalities import rules
from municipalities.models import Municipality, MunicipalityKind

NULLABLE_URI = {"type": ["string", "null"], "format": "uri"}


def _internal(context):
    request = context.get("request")
    return bool(request and rules.is_internal(request.user))


class BodySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=MunicipalityKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    area_km2 = serializers.DecimalField(max_digits=9, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = Municipality
        fields = [
            "id",
            "name",
            "official_name",
            "slug",
            "kind",
            "kind_label",
            "parent",
            "ags",
            "ars",
            "population",
            "area_km2",
        ]


class GoalSerializer(serializers.ModelSerializer):
    field_of_action = serializers.IntegerField(source="field_of_action.number")

    class Meta:
        model = Goal
        fields = ["id", "field_of_action", "title", "description", "position"]


class FieldOfActionSerializer(serializers.ModelSerializer):
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = FieldOfAction
        fields = ["number", "slug", "short_title", "title", "description", "goals"]


# --- measures: one shape for the published and the current version --------------------------


class BodyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OnBehalfSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=AnswerSource.choices)
    date = serializers.DateField()
    text = serializers.CharField()


class PartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    cost_share_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    on_behalf = OnBehalfSerializer(
        allow_null=True,
        help_text="Zustimmung, die die Koordinierungsstelle im Auftrag der Kommune mit ihrer "
        "Quelle eingetragen hat; leer, wenn die Kommune selbst zugestimmt hat.",
    )


class GoalRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


def _money(help_text=""):
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=True,
        required=False,
        help_text=help_text,
    )


def _fte():
    return serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, coerce_to_string=True, required=False
    )


class CostPlannedSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Haushaltsjahr")
    investment_planned = _money("Investition (investive Auszahlungen), geplant, EUR")
    running_planned = _money("laufender Aufwand (ordentliche Aufwendungen), geplant, EUR")
    staff_fte_planned = _fte()
    follow_up_planned = _money("Folgekosten in diesem Jahr nach Abschluss, EUR")


class CostActualSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Haushaltsjahr")
    investment_actual = _money("Investition, Ist, EUR")
    running_actual = _money("laufender Aufwand, Ist, EUR")
    staff_fte_actual = _fte()


class FundingSerializer(serializers.Serializer):
    programme = serializers.CharField(help_text="Förderprogramm")
    year = serializers.IntegerField(help_text="Haushaltsjahr, in dem die Mittel fließen")
    rate_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    amount = _money("Betrag, EUR")
    state = serializers.ChoiceField(choices=FundingState.choices)
    state_label = serializers.CharField()
    approved = serializers.BooleanField(help_text="bewilligt oder abgerechnet")
    proof_due = serializers.DateField(allow_null=True, help_text="Verwendungsnachweis fällig")


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()


class MeasureSerializer(serializers.Serializer):
    """The public reads the published version (``version`` = "published"), internal readers
    the current one (``version`` = "current") with review state and contact person."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    version = serializers.ChoiceField(choices=["published", "current"])
    title = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField()
    lead = BodyRefSerializer()
    partners = PartnerSerializer(many=True)
    field_of_action = serializers.IntegerField(help_text="Nummer des Handlungsfelds (1–6).")
    goals = GoalRefSerializer(many=True)
    target_groups = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    priority = serializers.ChoiceField(choices=Priority.choices)
    priority_label = serializers.CharField()
    planned_start = serializers.DateField(allow_null=True)
    planned_end = serializers.DateField(allow_null=True)
    budget_planned = serializers.DecimalField(
        max_digits=17,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=True,
        help_text="Summe des Kostenplans: Investition und laufender Aufwand, geplant.",
    )
    budget_spent = serializers.DecimalField(
        max_digits=17,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=True,
        help_text="Summe des Kostenplans: Investition und laufender Aufwand, Ist.",
    )
    task_kind = serializers.ChoiceField(
        choices=[("", "nicht angegeben"), *TaskKind.choices],
        required=False,
        help_text="Pflichtaufgabe oder freiwillige Leistung.",
    )
    budget_product = serializers.CharField(required=False, help_text="Produkt / Kostenstelle")
    cost_plan = CostPlannedSerializer(many=True, required=False)
    cost_actual = CostActualSerializer(many=True, required=False)
    funding = FundingSerializer(many=True, required=False)
    funding_source = serializers.CharField()
    contact_role = serializers.CharField()
    leika_key = serializers.CharField()
    public_since = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(
        allow_null=True, help_text="Öffentlich: leer (die veröffentlichte Fassung gilt)."
    )
    review_state = serializers.ChoiceField(
        choices=ReviewState.choices, required=False, help_text="Nur für interne Leser."
    )
    contact = ContactSerializer(required=False, help_text="Nur für interne Leser.")
    web = serializers.URLField()

    def to_representation(self, measure):
        request = self.context.get("request")
        web = measure.get_absolute_url()
        if request is not None:
            web = request.build_absolute_uri(web)
        if not _internal(self.context):
            data = dict(measure.public_snapshot)
            data.update(
                version="published",
                public_since=measure.public_since.isoformat(),
                updated_at=None,
                web=web,
            )
            return _plain(data)
        data = measure_snapshot(measure)
        data.update(
            version="current",
            public_since=measure.public_since.isoformat() if measure.public_since else None,
            updated_at=measure.updated_at.isoformat(),
            review_state=measure.review_state,
            contact={"name": measure.contact_name, "email": measure.contact_email},
            web=web,
        )
        return _plain(data)


def _on_behalf(entry):
    if not entry:
        return None
    return dict(entry, text=on_behalf_text(entry.get("source"), entry.get("date")))


def _plain(data):
    """The snapshot's lead carries a slug the API does not promise; keep the declared keys."""
    data["lead"] = {"id": data["lead"]["id"], "name": data["lead"]["name"]}
    data["partners"] = [
        {
            "id": p["id"],
            "name": p["name"],
            "cost_share_percent": p.get("cost_share_percent"),
            "on_behalf": _on_behalf(p.get("on_behalf")),
        }
        for p in data.get("partners", [])
    ]
    return {key: data[key] for key in MeasureSerializer._declared_fields if key in data}


# --- evaluation --------------------------------------------------------------------------


class MeasurementSerializer(serializers.ModelSerializer):
    note = serializers.SerializerMethodField(help_text="Nur für interne Leser; sonst leer.")

    class Meta:
        model = Measurement
        fields = ["period", "value", "origin", "recorded_at", "note"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_note(self, measurement):
        return measurement.note if _internal(self.context) else ""


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=IndicatorStatus.choices)
    label = serializers.CharField()
    expected = serializers.DecimalField(
        max_digits=10, decimal_places=4, allow_null=True, coerce_to_string=True
    )
    actual = serializers.DecimalField(
        max_digits=10, decimal_places=4, allow_null=True, coerce_to_string=True
    )


class IndicatorSerializer(serializers.ModelSerializer):
    measure = serializers.IntegerField(source="measure_id")
    status = serializers.SerializerMethodField()
    measurements = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "measure",
            "name",
            "description",
            "unit",
            "kind",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "frequency",
            "source_kind",
            "source_note",
            "status",
            "measurements",
        ]

    def to_representation(self, indicator):
        data = super().to_representation(indicator)
        if not _internal(self.context):
            # The public reads the texts of the measure's published version, never text
            # typed since (evaluation.published); the numbers are live.
            for name in INDICATOR_TEXTS:
                data[name] = getattr(indicator, f"public_{name}")
        return data

    @extend_schema_field(StatusSerializer)
    def get_status(self, indicator):
        result = indicator_status(indicator)
        return StatusSerializer(
            {
                "status": result.status,
                "label": str(result.label),
                "expected": result.expected,
                "actual": result.actual,
            }
        ).data

    @extend_schema_field(MeasurementSerializer(many=True))
    def get_measurements(self, indicator):
        return MeasurementSerializer(
            indicator.measurements.all(), many=True, context=self.context
        ).data


class MeasurementPushSerializer(serializers.Serializer):
    """What a client sends; the values are then checked by the portal's measurement form."""

    default_error_messages = {
        "invalid": "Bitte senden Sie ein JSON-Objekt mit „period“ und „value“."
    }

    period = serializers.CharField(
        help_text="Zeitraum passend zum Rhythmus des Indikators, z. B. 2026, 2026-Q1, 2026-03.",
        error_messages={
            "required": "Bitte geben Sie den Zeitraum an, z. B. 2026, 2026-Q1 oder 2026-03.",
            "blank": "Bitte geben Sie den Zeitraum an, z. B. 2026, 2026-Q1 oder 2026-03.",
            "invalid": "Bitte geben Sie den Zeitraum als Text an, z. B. „2026-Q1“.",
        },
    )
    value = serializers.CharField(
        help_text="Zahl, als Zahl oder Text; „12,5“ und „12.5“ sind gleichwertig.",
        error_messages={
            "required": "Bitte geben Sie einen Wert an.",
            "blank": "Bitte geben Sie einen Wert an.",
            "invalid": "Bitte geben Sie eine Zahl an, z. B. 12,5.",
        },
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        error_messages={"max_length": "Die Notiz darf höchstens 500 Zeichen lang sein."},
    )


class MeasurementPushResultSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    period = serializers.DateField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=True)
    note = serializers.CharField()
    result = serializers.ChoiceField(
        choices=[("created", "angelegt"), ("updated", "geändert"), ("unchanged", "unverändert")]
    )


class CostPlanPushSerializer(serializers.Serializer):
    """One budget year of a measure's cost plan, as a client sends it; checked by the rules of
    the portal's form. Amounts as number or text ("1234.5", "1.234,50"); a field left out keeps
    its stored value, null clears it."""

    default_error_messages = {"invalid": "Bitte senden Sie ein JSON-Objekt mit „year“."}

    year = serializers.IntegerField(
        help_text="Haushaltsjahr (2000–2100).",
        error_messages={
            "required": "Bitte geben Sie das Haushaltsjahr an, z. B. 2027.",
            "invalid": "Bitte geben Sie das Haushaltsjahr als Zahl an, z. B. 2027.",
            "max_string_length": "Bitte geben Sie das Haushaltsjahr als Zahl an, z. B. 2027.",
        },
    )
    investment_planned = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    investment_actual = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    running_planned = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    running_actual = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    staff_fte_planned = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    staff_fte_actual = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    follow_up_planned = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class CostPlanPushResultSerializer(CostPlannedSerializer, CostActualSerializer):
    measure = serializers.IntegerField()
    result = serializers.ChoiceField(
        choices=[("created", "angelegt"), ("updated", "geändert"), ("unchanged", "unverändert")]
    )


class AssessmentSerializer(serializers.ModelSerializer):
    measure = serializers.IntegerField(source="measure_id")
    verdict_label = serializers.CharField(source="get_verdict_display")

    class Meta:
        model = Assessment
        fields = ["id", "measure", "assessed_on", "verdict", "verdict_label", "justification"]

    def to_representation(self, assessment):
        data = super().to_representation(assessment)
        if not _internal(self.context):
            data["justification"] = assessment.public_justification  # as published
        return data


# --- drafts --------------------------------------------------------------------------------


class DraftSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display")
    pdf_url = serializers.SerializerMethodField(help_text="Leer, solange es kein PDF gibt.")
    oparl_paper = serializers.SerializerMethodField(help_text="Nur für vorgelegte Entwürfe.")

    class Meta:
        model = StrategyDraft
        fields = [
            "id",
            "title",
            "version_label",
            "state",
            "state_label",
            "resolution_date",
            "deadline",
            "frozen_at",
            "published_at",
            "decision_date",
            "drucksache_number",
            "pdf_url",
            "pdf_sha256",
            "pdf_size",
            "pdf_pages",
            "oparl_paper",
        ]

    def _absolute(self, name, draft):
        from django.urls import reverse

        url = reverse(name, args=[draft.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(NULLABLE_URI)
    def get_pdf_url(self, draft):
        return self._absolute("drafts:pdf", draft) if draft.has_pdf else None

    @extend_schema_field(NULLABLE_URI)
    def get_oparl_paper(self, draft):
        if draft.is_public and draft.has_pdf:
            return self._absolute("drafts:oparl_paper", draft)
        return None
