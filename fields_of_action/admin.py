from django.contrib import admin

from .models import FieldOfAction, Goal


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ("title", "position")


@admin.register(FieldOfAction)
class FieldOfActionAdmin(admin.ModelAdmin):
    list_display = ("number", "short_title")
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("title", "field_of_action", "position")
    list_filter = ("field_of_action",)
    search_fields = ("title",)
