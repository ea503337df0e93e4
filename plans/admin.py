"""Admin for the plans app: a fallback for administrators; officers edit in the plan pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import ImplementationPlan, Objective, Outcome, PlanUpdate, Task


@admin.register(ImplementationPlan)
class ImplementationPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "compact", "period", "is_public"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan", "order"]
    list_filter = ["plan"]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "objective", "order"]
    list_filter = ["plan"]


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "task", "timescale", "due_date", "status"]
    list_filter = ["plan", "status"]
    readonly_fields = ["due_date", "version"]


@admin.register(PlanUpdate)
class PlanUpdateAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "date", "issued_at", "issued_by"]
    list_filter = ["plan"]
    readonly_fields = ["issued_at", "issued_by", "cached_pdf", "cached_pdf_key"]
