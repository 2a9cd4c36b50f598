from django.contrib import admin

from .models import FieldIntroduction, StrategyDraft


class FieldIntroductionInline(admin.StackedInline):
    model = FieldIntroduction
    extra = 0


@admin.register(StrategyDraft)
class StrategyDraftAdmin(admin.ModelAdmin):
    list_display = ("title", "version_label", "state", "render_state", "deadline", "published_at")
    list_filter = ("state", "render_state")
    readonly_fields = (
        "state",
        "frozen_at",
        "render_state",
        "render_error",
        "pdf",
        "pdf_sha256",
        "pdf_pages",
        "published_at",
    )
    inlines = [FieldIntroductionInline]
