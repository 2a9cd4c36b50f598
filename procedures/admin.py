from django.contrib import admin

from .models import Category, ProcedureEntry, Service, ServiceOffer


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "position")
    list_filter = ("kind",)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "leika_key", "ozg_id", "topic", "responsible_level")
    list_filter = ("topic", "responsible_level")
    search_fields = ("name", "leika_key", "ozg_id")


@admin.register(ProcedureEntry)
class ProcedureEntryAdmin(admin.ModelAdmin):
    list_display = ("product", "category", "municipality", "operating_model", "contract_end")
    list_filter = ("category", "operating_model", "is_demo")
    search_fields = ("product", "vendor", "provider_name", "municipality__name")
    list_select_related = ("category", "municipality")
    filter_horizontal = ("services",)


@admin.register(ServiceOffer)
class ServiceOfferAdmin(admin.ModelAdmin):
    list_display = ("service", "municipality", "status", "portal")
    list_filter = ("status", "service__topic")
    search_fields = ("service__name", "service__leika_key", "municipality__name")
    list_select_related = ("service", "municipality")
