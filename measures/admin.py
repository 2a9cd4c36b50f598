from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Measure, Partnership


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 0
    autocomplete_fields = ("municipality",)


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ("title", "lead_municipality", "field_of_action", "status", "updated_at")
    list_filter = ("field_of_action", "status", "priority", "is_demo")
    search_fields = ("title", "summary", "leika_key")
    list_select_related = ("lead_municipality", "field_of_action")
    autocomplete_fields = ("lead_municipality",)
    filter_horizontal = ("goals",)
    inlines = [PartnershipInline]
