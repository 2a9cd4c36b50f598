from django.contrib import admin
from django.db import transaction

from measures.review import after_part_edit, lock

from .models import (
    Assessment,
    CollectionResult,
    CollectionRound,
    CollectionRun,
    Indicator,
    Measurement,
    MeasurementCorrection,
    ProgressNote,
    ProgressReport,
    ReportingRound,
    RoundNotification,
)
from .published import INDICATOR_TEXTS


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    fields = ("period", "value", "origin", "recorded_by", "note")
    raw_id_fields = ("recorded_by",)


class ReviewedTextsAdmin(admin.ModelAdmin):
    """The texts of indicators and assessments belong to the measure's reviewed version: a
    change here sends an accepted measure back to review, as in the portal
    (evaluation.published)."""

    reviewed_fields = ()

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        lock(obj.measure)  # the measure first, as publication does: no deadlock with it
        super().save_model(request, obj, form, change)
        if not change or set(form.changed_data) & {"measure", *self.reviewed_fields}:
            after_part_edit(obj.measure, request.user)

    @transaction.atomic
    def delete_model(self, request, obj):
        measure = lock(obj.measure)
        super().delete_model(request, obj)
        after_part_edit(measure, request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        measures = {obj.measure_id: obj.measure for obj in queryset.select_related("measure")}
        for measure in sorted(measures.values(), key=lambda m: m.pk):
            lock(measure)
        super().delete_queryset(request, queryset)
        for measure in measures.values():
            after_part_edit(measure, request.user)


@admin.register(Indicator)
class IndicatorAdmin(ReviewedTextsAdmin):
    reviewed_fields = INDICATOR_TEXTS
    list_display = (
        "name",
        "measure",
        "source_kind",
        "frequency",
        "last_success_at",
        "last_error_at",
    )
    list_filter = ("source_kind", "frequency", "kind")
    search_fields = ("name", "measure__title")
    list_select_related = ("measure",)
    raw_id_fields = ("measure",)
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ("indicator", "period", "value", "origin", "recorded_at")
    list_filter = ("origin",)
    list_select_related = ("indicator",)
    raw_id_fields = ("indicator", "recorded_by")


class CollectionResultInline(admin.TabularInline):
    model = CollectionResult
    extra = 0
    raw_id_fields = ("indicator",)


@admin.register(CollectionRun)
class CollectionRunAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "trigger",
        "finished_at",
        "indicators_total",
        "indicators_ok",
        "indicators_failed",
    )
    inlines = [CollectionResultInline]


@admin.register(Assessment)
class AssessmentAdmin(ReviewedTextsAdmin):
    reviewed_fields = ("justification",)
    list_display = ("measure", "assessed_on", "verdict")
    list_filter = ("verdict",)
    raw_id_fields = ("measure", "assessed_by")


@admin.register(CollectionRound)
class CollectionRoundAdmin(admin.ModelAdmin):
    list_display = ("title", "period", "deadline", "closed_at")


@admin.register(MeasurementCorrection)
class MeasurementCorrectionAdmin(admin.ModelAdmin):
    """The correction log is append-only: readable here, never changed."""

    list_display = ("indicator", "period", "old_value", "new_value", "changed_by", "changed_at")
    list_filter = ("origin",)
    search_fields = ("indicator__name",)
    list_select_related = ("indicator", "changed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoundNotification)
class RoundNotificationAdmin(admin.ModelAdmin):
    list_display = ("collection_round", "notice", "sent_at", "recipients")
    list_select_related = ("collection_round",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProgressNote)
class ProgressNoteAdmin(admin.ModelAdmin):
    """Sachstände are the bodies' own statements: readable here, written on the measure page."""

    list_display = (
        "measure",
        "noted_on",
        "status",
        "percent_done",
        "written_by",
        "on_behalf_source",
    )
    list_filter = ("status",)
    raw_id_fields = ("measure", "written_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ("title", "period_start", "period_end", "deadline", "closed_at")


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    """Frozen reports: readable, never changed (build them with build_report)."""

    list_display = ("title", "period_start", "period_end", "frozen_at", "pdf_pages", "presented_at")
    exclude = ("snapshot",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
