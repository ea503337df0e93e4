"""Plans: the list, creating and importing a plan, its settings, the editor page and the rows
list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from compact.platform.forms import apply_validation_error
from compact.platform.language import text_of
from compact.selectors import compact_current, person_of
from plans import forms, importing, parsing, selectors, services
from plans.models import ImplementationPlan
from plans.views.common import (
    _decorate_rows,
    _form_errors_status,
    _label,
    _plan_url,
    _url_patterns,
    _with_urls,
    officers,
    with_open_actions,
)

# Above this many rows the editor shows one objective at a time: the whole 2,400-row benchmark
# plan takes about a second to render, one of its objectives (120 rows) about 50 ms.
EDITOR_PAGE_ROWS = 300


ROWS_PAGE_SIZE = 100  # the rows list, filtered or not


@officers
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/plan_list.html", {"plans": selectors.plan_list()})


@officers
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    """Start an empty plan (most plans start from an import instead)."""
    form = forms.PlanForm(request.POST or None)
    compact = compact_current()
    if request.method == "POST" and form.is_valid():
        try:
            if compact is None:
                raise ValidationError(_("Set up the Compact before creating a plan."))
            plan = services.plan_create(compact=compact, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Plan created. Add its first objective."))
            return redirect(_plan_url(plan))
    return render(
        request,
        "plans/item_form.html",
        {"form": form, "heading": _("New plan"), "cancel_url": reverse("plans:plan_list")},
        status=_form_errors_status(form),
    )


@officers
@require_http_methods(["GET", "POST"])
def plan_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Change a plan's title, period and whether its issued updates are public."""
    plan = get_object_or_404(ImplementationPlan, slug=slug)
    form = forms.PlanForm(
        request.POST or None,
        initial={
            "title": plan.title,
            "title_cy": plan.title_cy,
            "slug": plan.slug,
            "period": plan.period,
            "is_public": plan.is_public,
        },
    )
    form.fields["slug"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in ("title", "title_cy", "period", "is_public")}
        try:
            plan = services.plan_update_settings(plan=plan, data=data, actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Plan settings saved."))
            return redirect(_plan_url(plan))
    return render(
        request,
        "plans/item_form.html",
        {
            "plan": plan,
            "form": form,
            "heading": _("Plan settings"),
            "cancel_url": _plan_url(plan),
        },
        status=_form_errors_status(form),
    )


@officers
@require_GET
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The live plan, laid out like the document, with edit controls. A long plan (more than
    EDITOR_PAGE_ROWS rows) is shown one objective at a time, chosen with ?objective=<pk>."""
    plan = get_object_or_404(ImplementationPlan.objects.select_related("compact"), slug=slug)
    outline = selectors.objective_outline(plan)
    row_total = sum(objective.row_count for objective in outline)
    paged = row_total > EDITOR_PAGE_ROWS
    current = None
    if paged and outline:
        wanted = request.GET.get("objective", "")
        current = next((o for o in outline if str(o.pk) == wanted), None)
        if current is None:
            if wanted:
                messages.info(request, _("That objective is not in this plan any more."))
            current = outline[0]
    objectives = selectors.plan_tree(plan, objective_id=current.pk if current else None)
    positions = {objective.pk: index for index, objective in enumerate(outline)}
    today = timezone.localdate()
    patterns = _url_patterns()
    shown_rows = []
    for objective in objectives:
        # First and last within the whole plan, which the move buttons need.
        objective.is_first = positions.get(objective.pk) == 0
        objective.is_last = positions.get(objective.pk) == len(outline) - 1
        tasks = list(objective.tasks.all())
        for task_index, task in enumerate(tasks):
            task.is_first = task_index == 0
            task.is_last = task_index == len(tasks) - 1
            _with_urls(task, patterns["task"])
            rows = list(task.outcomes.all())
            for row_index, row in enumerate(rows):
                row.rag = parsing.rag_status(row.status, row.due_date, today)
                row.label = _label(text_of(row, "outcome") or text_of(task, "description"), 40)
                row.is_first = row_index == 0
                row.is_last = row_index == len(rows) - 1
                _with_urls(row, patterns["row"])
            task.rows = rows
            task.row_count = len(rows)
            shown_rows.extend(rows)
        objective.task_list = tasks
    with_open_actions(shown_rows)  # one query for every row shown
    previous_objective = next_objective = None
    if current is not None:
        index = positions[current.pk]
        previous_objective = outline[index - 1] if index > 0 else None
        next_objective = outline[index + 1] if index + 1 < len(outline) else None
    latest = plan.updates.order_by("-number").first()
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "objectives": objectives,
            "outline": outline,
            "paged": paged,
            "current": current,
            "previous_objective": previous_objective,
            "next_objective": next_objective,
            "row_total": row_total,
            "latest_update": latest,
        },
    )


@officers
@require_GET
def plan_rows(request: HttpRequest, slug: str) -> HttpResponse:
    """Every row of the plan, filtered by objective, status, responsibility or due date."""
    plan = get_object_or_404(ImplementationPlan, slug=slug)
    form = forms.RowFilterForm(request.GET or None, plan=plan)
    filters = selectors.RowFilter()
    person = None
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.RowFilter(
            objective_id=data["objective"].pk if data["objective"] else None,
            text=data["text"],
            status=data["status"],
            person_id=data["person"].pk if data["person"] else None,
            body_id=data["body"].pk if data["body"] else None,
            organisation_id=data["organisation"].pk if data["organisation"] else None,
            overdue=data["due"] == "overdue",
            due_soon=data["due"] == "soon",
        )
        if data["mine"]:
            person = person_of(request.user)
            if person is None:
                messages.info(request, _("Your account is not linked to a person of the plan."))
    rows = selectors.plan_rows(plan, filters, person=person)
    if form.is_valid() and form.cleaned_data["mine"] and person is None:
        rows = rows.none()
    page = Paginator(rows, ROWS_PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate_rows(page.object_list, timezone.localdate())
    return render(request, "plans/plan_rows.html", {"plan": plan, "form": form, "page": page})


@officers
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest) -> HttpResponse:
    """Upload a Word plan or its text export; all or nothing, errors name the row."""
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        compact = compact_current()
        try:
            if compact is None:
                raise importing.PlanImportError(_("Set up the Compact before importing a plan."))
            parsed = importing.parse_file(upload.name, upload.read())
            result = importing.import_plan(
                parsed,
                compact=compact,
                actor=request.user,
                slug=form.cleaned_data["slug"] or "",
                title=form.cleaned_data["title"] or "",
                number=form.cleaned_data["update_number"],
                date=form.cleaned_data["date"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _(
                    "Imported %(title)s: %(objectives)s objectives, %(tasks)s tasks, %(rows)s "
                    "rows; issued %(updates)s."
                )
                % {
                    "title": result.plan.title,
                    "objectives": result.objectives,
                    "tasks": result.tasks,
                    "rows": result.rows,
                    "updates": ", ".join(str(update) for update in result.updates),
                },
            )
            for note in result.notes:
                messages.info(request, note)
            return redirect(_plan_url(result.plan))
    return render(
        request, "plans/plan_import.html", {"form": form}, status=_form_errors_status(form)
    )
