"""Admin for the plans app: a fallback for administrators; officers edit in the plan pages."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from plans import services
from plans.models import (
    ImplementationPlan,
    Objective,
    Outcome,
    PlanUpdate,
    Proposal,
    Task,
    UpdateCall,
)


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


class IssueUpdateAdminForm(forms.ModelForm):
    """Adding an update in the admin issues it through ``plans.services.plan_update_issue``,
    like the plan's page: the next number, the frozen snapshot, the Board told."""

    class Meta:
        model = PlanUpdate
        fields = ["plan", "date", "summary", "summary_cy"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("plan") and cleaned.get("date"):
            try:
                services.check_update_date(plan=cleaned["plan"], date=cleaned["date"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def _post_clean(self) -> None:
        # Fill the instance without the model's checks: the number is the service's to choose,
        # and the service validates the whole update when it issues it.
        self.instance = construct_instance(self, self.instance, self._meta.fields)


@admin.register(PlanUpdate)
class PlanUpdateAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "date", "issued_at", "issued_by"]
    list_filter = ["plan"]
    readonly_fields = ["issued_at", "issued_by", "cached_pdf", "cached_pdf_key"]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = IssueUpdateAdminForm
            kwargs["fields"] = IssueUpdateAdminForm.Meta.fields
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return IssueUpdateAdminForm.Meta.fields
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        issued = services.plan_update_issue(
            plan=data["plan"],
            actor=request.user,
            date=data["date"],
            summary=data["summary"],
            summary_cy=data["summary_cy"],
        )
        obj.plan = issued.plan
        obj.pk, obj.number, obj.issued_at, obj.issued_by = (
            issued.pk,
            issued.number,
            issued.issued_at,
            issued.issued_by,
        )


class _ReadOnly(admin.ModelAdmin):
    """Update calls and proposals are written only through plans.services.calls (e-mails,
    history, conflicts); the admin shows them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UpdateCall)
class UpdateCallAdmin(_ReadOnly):
    list_display = ["__str__", "plan", "deadline", "opened_at", "closed_at"]
    list_filter = ["plan"]


@admin.register(Proposal)
class ProposalAdmin(_ReadOnly):
    list_display = ["__str__", "call", "person", "state", "updated_at"]
    list_filter = ["state", "call"]
