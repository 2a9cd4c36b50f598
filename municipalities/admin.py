from django.contrib import admin

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
