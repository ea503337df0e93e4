"""The plans' part of the read-only API (/api/v1/plans/..., docs/api.md): the plans a person
may read, their issued updates, each update with its changes from the update before (the very
comparison the update report shows, ``plans.reports.update_comparison``), and the open data of
each issued update of a public plan as CSV or JSON.

Who reads what is the web pages' rule: a visitor reads public plans; anyone holding a role
reads every plan (``plans.selectors.search.readable_plans``). Only issued updates are served;
the working draft stays with the officers' pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from compact.platform.api import ApiListView, ApiView
from compact.platform.spreadsheets import csv_text
from plans.diffing import ObjectiveChange, PlanChanges, RowChange, TaskChange
from plans.models import ImplementationPlan, PlanUpdate
from plans.reports import OPEN_DATA_COLUMNS, open_data_rows, update_comparison
from plans.selectors.reports import latest_updates, plan_updates, update_by_number
from plans.selectors.search import readable_plans

# --- Serializers (the schema's shapes; the views hand them plain values) --------------------


class UpdateBriefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    date = serializers.DateField()
    url = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    title_cy = serializers.CharField()
    period = serializers.CharField()
    is_public = serializers.BooleanField()
    url = serializers.CharField()
    updates_url = serializers.CharField()
    latest_update = UpdateBriefSerializer(allow_null=True)


class UpdateSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    date = serializers.DateField()
    issued_at = serializers.DateTimeField()
    summary = serializers.CharField()
    summary_cy = serializers.CharField()
    url = serializers.CharField()
    open_data_csv = serializers.CharField(allow_null=True)
    open_data_json = serializers.CharField(allow_null=True)


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class _ChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    change = serializers.ChoiceField(choices=["added", "removed", "changed", "moved", "unchanged"])
    moved = serializers.BooleanField()
    moved_from = serializers.CharField()
    changed_fields = FieldChangeSerializer(many=True)


class RowChangeSerializer(_ChangeSerializer):
    outcome = serializers.CharField()
    timescale = serializers.CharField()
    responsibility = serializers.CharField()
    progress = serializers.CharField()
    status = serializers.CharField()
    outcome_cy = serializers.CharField()
    timescale_cy = serializers.CharField()
    responsibility_cy = serializers.CharField()
    progress_cy = serializers.CharField()


class TaskChangeSerializer(_ChangeSerializer):
    description = serializers.CharField()
    description_cy = serializers.CharField()
    rows = RowChangeSerializer(many=True)


class ObjectiveChangeSerializer(_ChangeSerializer):
    number = serializers.CharField()
    title = serializers.CharField()
    statement = serializers.CharField()
    title_cy = serializers.CharField()
    statement_cy = serializers.CharField()
    tasks = TaskChangeSerializer(many=True)


class CountsSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    changed = serializers.IntegerField()
    moved = serializers.IntegerField()


class ChangeCountsSerializer(serializers.Serializer):
    objectives = CountsSerializer()
    tasks = CountsSerializer()
    rows = CountsSerializer()


class UpdateReportSerializer(UpdateSerializer):
    plan = serializers.CharField()
    compared_with = serializers.IntegerField(allow_null=True)
    changes_only = serializers.BooleanField()
    counts = ChangeCountsSerializer()
    objectives = ObjectiveChangeSerializer(many=True)


class OpenDataSerializer(serializers.Serializer):
    plan = serializers.CharField()
    update = serializers.IntegerField()
    date = serializers.DateField()
    licence = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


# --- Values ---------------------------------------------------------------------------------

OPEN_DATA_LICENCE = "Open Government Licence v3.0"


def _plan_url(name: str, plan: ImplementationPlan, *args: Any) -> str:
    return reverse(f"api:{name}", args=[plan.slug, *args])


def _update_brief(plan: ImplementationPlan, update: PlanUpdate | None) -> dict | None:
    if update is None:
        return None
    return {
        "number": update.number,
        "date": update.date,
        "url": _plan_url("plan_update", plan, update.number),
    }


def _plan_values(plan: ImplementationPlan, latest: PlanUpdate | None) -> dict:
    return {
        "slug": plan.slug,
        "title": plan.title,
        "title_cy": plan.title_cy,
        "period": plan.period,
        "is_public": plan.is_public,
        "url": _plan_url("plan_detail", plan),
        "updates_url": _plan_url("plan_updates", plan),
        "latest_update": _update_brief(plan, latest),
    }


def _update_values(plan: ImplementationPlan, update: PlanUpdate) -> dict:
    open_data = plan.is_public
    return {
        "number": update.number,
        "date": update.date,
        "issued_at": update.issued_at,
        "summary": update.summary,
        "summary_cy": update.summary_cy,
        "url": _plan_url("plan_update", plan, update.number),
        "open_data_csv": _plan_url("open_data_csv", plan, update.number) if open_data else None,
        "open_data_json": _plan_url("open_data_json", plan, update.number) if open_data else None,
    }


def _change_values(change: ObjectiveChange | TaskChange | RowChange) -> dict:
    item = change.item
    values: dict[str, Any] = {
        "id": item.id,
        "change": change.kind.value,
        "moved": change.moved,
        "moved_from": change.moved_from,
        "changed_fields": [
            {"field": name, "old": field.old, "new": field.new}
            for name, field in change.fields.items()
            if change.fields_changed and field.changed
        ],
    }
    for name in change.FIELD_NAMES:
        value = getattr(item, name)
        values[name] = value if isinstance(value, str) else str(value or "")
    return values


def change_tree(changes: PlanChanges, *, changes_only: bool) -> list[dict]:
    """The report's tree as plain values: objectives, their tasks, their rows, each with its
    change (added, removed, changed, moved, unchanged) and its changed fields, old and new."""
    objectives = changes.changed_only() if changes_only else changes.objectives
    return [
        {
            **_change_values(objective),
            "tasks": [
                {**_change_values(task), "rows": [_change_values(row) for row in task.rows]}
                for task in objective.tasks
            ],
        }
        for objective in objectives
    ]


def _counts(changes: PlanChanges) -> dict:
    def one(counts: Any) -> dict:
        return {
            "added": counts.added,
            "removed": counts.removed,
            "changed": counts.changed,
            "moved": counts.moved,
        }

    return {
        "objectives": one(changes.objective_counts),
        "tasks": one(changes.task_counts),
        "rows": one(changes.row_counts),
    }


# --- Views ----------------------------------------------------------------------------------


def _readable_plan(request: Request, slug: str) -> ImplementationPlan:
    plan = readable_plans(request.user).filter(slug=slug).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def _issued_update(plan: ImplementationPlan, number: int) -> PlanUpdate:
    update = update_by_number(plan, number)
    if update is None:
        raise Http404("No such update")
    update.plan = plan
    return update


class PlanList(ApiListView):
    """The plans this person may read (a visitor: the public ones), newest first."""

    serializer_class = PlanSerializer

    def get(self, request: Request) -> Response:
        plans = readable_plans(request.user).order_by("-created_at", "-pk")
        page = self.paginate_queryset(plans)
        latest = latest_updates(page)
        values = [_plan_values(plan, latest.get(plan.pk)) for plan in page]
        return self.get_paginated_response(PlanSerializer(values, many=True).data)


class PlanDetail(ApiView):
    """One plan with its latest issued update."""

    serializer_class = PlanSerializer
    pagination_class = None

    def get(self, request: Request, slug: str) -> Response:
        plan = _readable_plan(request, slug)
        latest = latest_updates([plan]).get(plan.pk)
        return Response(PlanSerializer(_plan_values(plan, latest)).data)


class UpdateList(ApiListView):
    """The plan's issued updates, newest first."""

    serializer_class = UpdateSerializer

    def get(self, request: Request, slug: str) -> Response:
        plan = _readable_plan(request, slug)
        page = self.paginate_queryset(plan_updates(plan).order_by("-number"))
        values = [_update_values(plan, update) for update in page]
        return self.get_paginated_response(UpdateSerializer(values, many=True).data)


class UpdateDetail(ApiView):
    """Update N: the plan as issued, every change from Update N-1 marked (the report's own
    comparison); ``?only=changes`` keeps only what changed."""

    serializer_class = UpdateReportSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "only", OpenApiTypes.STR, enum=["changes"], description="only what changed"
            )
        ]
    )
    def get(self, request: Request, slug: str, number: int) -> Response:
        plan = _readable_plan(request, slug)
        update = _issued_update(plan, number)
        comparison = update_comparison(update)
        changes_only = request.query_params.get("only") == "changes"
        values = {
            **_update_values(plan, update),
            "plan": plan.slug,
            "compared_with": comparison.since.number if comparison.since else None,
            "changes_only": changes_only,
            "counts": _counts(comparison.changes),
            "objectives": change_tree(comparison.changes, changes_only=changes_only),
        }
        return Response(UpdateReportSerializer(values).data)


def _public_update(request: Request, slug: str, number: int) -> PlanUpdate:
    """Open data is published for public plans only (a private plan's is not found)."""
    plan = ImplementationPlan.objects.filter(slug=slug, is_public=True).first()
    if plan is None:
        raise Http404("No such public plan")
    return _issued_update(plan, number)


class OpenDataJson(ApiView):
    """Update N of a public plan as open data: one record per row, both languages, with the
    change it carries from Update N-1."""

    serializer_class = OpenDataSerializer
    pagination_class = None

    @extend_schema(operation_id="plans_updates_open_data_json")
    def get(self, request: Request, slug: str, number: int) -> Response:
        update = _public_update(request, slug, number)
        with translation.override("en"):  # open data reads the same whoever asks
            rows = open_data_rows(update_comparison(update))
        values = {
            "plan": update.plan.slug,
            "update": update.number,
            "date": update.date,
            "licence": OPEN_DATA_LICENCE,
            "columns": list(OPEN_DATA_COLUMNS),
            "rows": [dict(zip(OPEN_DATA_COLUMNS, row, strict=True)) for row in rows],
        }
        response = Response(OpenDataSerializer(values).data)
        response["Content-Disposition"] = (
            f'attachment; filename="{update.plan.slug}-update-{update.number}.json"'
        )
        return response


class CsvRenderer(renderers.BaseRenderer):
    """Lets a client ask for ``Accept: text/csv`` (the view writes the CSV itself)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: Any = None, context: Any = None) -> Any:
        return data if isinstance(data, bytes | str) else str(data)


class OpenDataCsv(ApiView):
    """The same open data as CSV (every cell safe from spreadsheet formulas)."""

    pagination_class = None
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    @extend_schema(
        operation_id="plans_updates_open_data_csv", responses={(200, "text/csv"): OpenApiTypes.STR}
    )
    def get(self, request: Request, slug: str, number: int) -> HttpResponse:
        update = _public_update(request, slug, number)
        with translation.override("en"):
            rows = open_data_rows(update_comparison(update))
        response = HttpResponse(
            csv_text([OPEN_DATA_COLUMNS, *rows]), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{update.plan.slug}-update-{update.number}.csv"'
        )
        return response


UPDATE = "plans/<slug:slug>/updates/<int:number>/"

urlpatterns = [
    path("plans/", PlanList.as_view(), name="plan_list"),
    path("plans/<slug:slug>/", PlanDetail.as_view(), name="plan_detail"),
    path("plans/<slug:slug>/updates/", UpdateList.as_view(), name="plan_updates"),
    path(UPDATE, UpdateDetail.as_view(), name="plan_update"),
    path(f"{UPDATE}open-data.csv", OpenDataCsv.as_view(), name="open_data_csv"),
    path(f"{UPDATE}open-data.json", OpenDataJson.as_view(), name="open_data_json"),
]
