from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.locking import owned_fields

from .models import Measure, Partnership
from .review import lock


class PartnershipInline(admin.TabularInline):
    model = Partnership
    fk_name = "measure"
    extra = 0
    autocomplete_fields = ("municipality",)
    raw_id_fields = ("merges_measure",)
    readonly_fields = ("state", "requested_at", "decided_at", "decided_by", "decline_reason")


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ("title", "lead_municipality", "field_of_action", "status", "updated_at")
    list_filter = ("field_of_action", "status", "priority", "is_demo")
    search_fields = ("title", "summary", "leika_key")
    list_select_related = ("lead_municipality", "field_of_action")
    autocomplete_fields = ("lead_municipality",)
    filter_horizontal = ("goals",)
    inlines = [PartnershipInline]

    def save_model(self, request, obj, form, change):
        """Like the portal's forms: under the row lock, only the form's fields, new version.

        The admin's transaction is already open; edit forms opened before are then refused.
        """
        if not change:
            return super().save_model(request, obj, form, change)
        obj.version = lock(obj).version + 1
        obj._history_user = request.user
        obj.save(update_fields=owned_fields(form, "version"))
        return None
