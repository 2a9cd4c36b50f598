from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from . import signals
from .models import Membership, Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "ags", "ars", "parent", "population")
    list_filter = ("kind",)
    search_fields = ("name", "official_name", "ags", "ars")
    list_select_related = ("parent",)
    readonly_fields = ("tree_path",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "municipality", "role")
    list_filter = ("role", "municipality__kind")
    search_fields = ("user__username", "user__last_name", "municipality__name")
    autocomplete_fields = ("user", "municipality")
    list_select_related = ("user", "municipality")


class LoggedUserAdmin(UserAdmin):
    """Django's user admin; changes of superuser, staff and active go to the security log."""

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            before = (
                type(obj)._default_manager.filter(pk=obj.pk).values(*signals.ACCOUNT_FLAGS).first()
                or {}
            )
        else:
            before = dict.fromkeys(signals.ACCOUNT_FLAGS, False)
        super().save_model(request, obj, form, change)
        signals.log_account_flags(request, obj, before)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), LoggedUserAdmin)
