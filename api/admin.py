from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only overview; keys are created and revoked on the portal's own pages."""

    list_display = ["name", "prefix", "municipality", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["municipality"]
    search_fields = ["name", "prefix"]
    readonly_fields = [
        "municipality",
        "name",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
