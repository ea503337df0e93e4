"""Officers' views of the live plan: the plan laid out like the document with in-place editing
(htmx; the same links work as ordinary pages without JavaScript), add / reorder / move /
delete, history, the rows list with filters, the import page and the dashboard panel.

Each view parses input with a form, calls one service and renders or redirects.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.platform.access import Role, has_role, roles_required
from compact.platform.locking import conflict_page
from plans import forms, importing, parsing, selectors, services
from plans.diffing import deleted_html, diff_sides_html, inserted_html
from plans.models import ImplementationPlan, Objective, Outcome, Task

officers = roles_required(Role.OFFICER)

# Above this many rows the editor shows one objective at a time: the whole 2,400-row benchmark
# plan takes about a second to render, one of its objectives (120 rows) about 50 ms.
EDITOR_PAGE_ROWS = 300
ROWS_PAGE_SIZE = 100  # the rows list, filtered or not


# --- helpers ------------------------------------------------------------------------------


def _plan_url(plan: ImplementationPlan) -> str:
    return reverse("plans:plan_detail", kwargs={"slug": plan.slug})


def _item_url(item: Objective | Task | Outcome) -> str:
    """The editor page that shows an item, scrolled to it: a long plan is edited one objective
    at a time, so the URL names the item's objective as well as its anchor."""
    if isinstance(item, Objective):
        kind, objective_id = "objective", item.pk
    elif isinstance(item, Task):
        kind, objective_id = "task", item.objective_id
    else:
        kind, objective_id = "row", item.task.objective_id
    return f"{_plan_url(item.plan)}?objective={objective_id}#{kind}-{item.pk}"


def _objective_of(item: Task | Outcome) -> Objective:
    return item.objective if isinstance(item, Task) else item.task.objective


_PK = 987654321  # stands in for the pk when a URL is reversed once per request


def _url_patterns() -> dict[str, dict[str, str]]:
    """Each item's URLs as format strings, reversed once: reverse() per button and row costs
    seconds on a 2,400-row plan, str.format costs nothing."""

    def pattern(name: str, kind: str = "") -> str:
        kwargs: dict[str, Any] = {"pk": _PK}
        if kind:
            kwargs["kind"] = kind
        return reverse(f"plans:{name}", kwargs=kwargs).replace(str(_PK), "{pk}")

    return {
        "row": {
            "edit": pattern("row_edit"),
            "move": pattern("item_move", "row"),
            "history": pattern("item_history", "row"),
            "delete": pattern("item_delete", "row"),
        },
        "task": {
            "edit": pattern("task_edit"),
            "add_row": pattern("row_add"),
            "relocate": pattern("task_relocate"),
            "move": pattern("item_move", "task"),
            "history": pattern("item_history", "task"),
            "delete": pattern("item_delete", "task"),
        },
    }


def _with_urls(item: Any, patterns: dict[str, str]) -> None:
    item.urls = {key: value.format(pk=item.pk) for key, value in patterns.items()}


def _label(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _decorate_rows(rows: list[Outcome], today: Any) -> None:
    for row in rows:
        row.rag = parsing.rag_status(row.status, row.due_date, today)
        row.label = _label(row.outcome or row.task.description)


def _row_context(row: Outcome) -> dict[str, Any]:
    """Context of one row's fragment: its place in its task (the first row also shows the
    task cell) and the task's place in its objective. Three queries."""
    row.rag = parsing.rag_status(row.status, row.due_date, timezone.localdate())
    siblings = list(
        Outcome.objects.filter(task_id=row.task_id)
        .order_by("order", "id")
        .values_list("pk", flat=True)
    )
    row.is_first = siblings[:1] == [row.pk]
    row.is_last = siblings[-1:] == [row.pk]
    row.label = _label(row.outcome or row.task.description, 40)
    patterns = _url_patterns()
    _with_urls(row, patterns["row"])
    task = row.task
    _task_position(task, patterns)
    return {"row": row, "task": task, "is_first_row": row.is_first}


def _form_errors_status(form: Any) -> int:
    return 200 if not form.is_bound or form.is_valid() else 422


# --- plan pages ---------------------------------------------------------------------------


@officers
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/plan_list.html", {"plans": selectors.plan_list()})


@officers
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    """Start an empty plan (most plans start from an import instead)."""
    form = forms.PlanForm(request.POST or None)
    compact = selectors.compact_for_import()
    if request.method == "POST" and form.is_valid():
        try:
            if compact is None:
                raise ValidationError(_("Set up the Compact before creating a plan."))
            plan = services.plan_create(compact=compact, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
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
            "slug": plan.slug,
            "period": plan.period,
            "is_public": plan.is_public,
        },
    )
    form.fields["slug"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in ("title", "period", "is_public")}
        try:
            plan = services.plan_update_settings(plan=plan, data=data, actor=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
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
                row.label = _label(row.outcome or task.description, 40)
                row.is_first = row_index == 0
                row.is_last = row_index == len(rows) - 1
                _with_urls(row, patterns["row"])
            task.rows = rows
            task.row_count = len(rows)
        objective.task_list = tasks
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
            person = selectors.person_of(request.user)
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
        compact = selectors.compact_for_import()
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


# --- objectives ---------------------------------------------------------------------------


def _objective_response(
    request: HttpRequest, objective: Objective, *, form: Any = None, status: int = 200
) -> HttpResponse:
    context = {
        "objective": objective,
        "plan": objective.plan,
        "form": form,
        "cancel_url": _item_url(objective),
    }
    if request.htmx:
        template = "plans/_objective_form.html" if form else "plans/_objective_head.html"
        return render(request, template, context)
    if form is None:
        return redirect(_item_url(objective))
    return render(request, "plans/objective_form.html", context, status=status)


@officers
@require_GET
def objective_show(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective.objects.select_related("plan"), pk=pk)
    return _objective_response(request, objective)


@officers
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective.objects.select_related("plan"), pk=pk)
    return _edit_in_place(
        request,
        objective,
        form_class=forms.ObjectiveForm,
        prefix="objective",
        initial={
            "number": objective.number,
            "title": objective.title,
            "statement": objective.statement,
        },
        update=lambda item, **kwargs: services.objective_update(objective=item, **kwargs),
        respond=_objective_response,
        url_name="objective_edit",
    )


@officers
@require_http_methods(["GET", "POST"])
def objective_add(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(ImplementationPlan, slug=slug)
    form = forms.new_form(forms.ObjectiveForm, request.POST or None)
    if request.method == "GET":
        next_number = (
            plan.objectives.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        form = forms.new_form(forms.ObjectiveForm, initial={"number": next_number})
    elif form.is_valid():
        try:
            objective = services.objective_create(
                plan=plan,
                number=form.cleaned_data["number"],
                title=form.cleaned_data["title"],
                statement=form.cleaned_data["statement"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Objective %d added.") % objective.number)
            return redirect(_item_url(objective))
    return render(
        request,
        "plans/item_form.html",
        {
            "plan": plan,
            "form": form,
            "heading": _("Add an objective"),
            "cancel_url": _plan_url(plan),
        },
        status=_form_errors_status(form),
    )


# --- tasks --------------------------------------------------------------------------------


def _task_response(
    request: HttpRequest, task: Task, *, form: Any = None, status: int = 200
) -> HttpResponse:
    context = {"task": task, "plan": task.plan, "form": form, "cancel_url": _item_url(task)}
    if request.htmx:
        _task_position(task, _url_patterns())
        template = "plans/_task_form.html" if form else "plans/_task_cell.html"
        return render(request, template, context)
    if form is None:
        return redirect(_item_url(task))
    return render(request, "plans/task_form.html", context, status=status)


def _task_position(task: Task, patterns: dict[str, dict[str, str]]) -> None:
    """The task's place among its objective's tasks, its row count and its URLs."""
    ids = list(
        Task.objects.filter(objective_id=task.objective_id)
        .order_by("order", "id")
        .values_list("pk", flat=True)
    )
    task.is_first = bool(ids) and ids[0] == task.pk
    task.is_last = bool(ids) and ids[-1] == task.pk
    task.row_count = task.outcomes.count()
    _with_urls(task, patterns["task"])


@officers
@require_GET
def task_show(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.select_related("plan"), pk=pk)
    return _task_response(request, task)


@officers
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.select_related("plan"), pk=pk)
    return _edit_in_place(
        request,
        task,
        form_class=forms.TaskForm,
        prefix="task",
        initial={"description": task.description},
        update=lambda item, **kwargs: services.task_update(task=item, **kwargs),
        respond=_task_response,
        url_name="task_edit",
    )


@officers
@require_http_methods(["GET", "POST"])
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a task (with its first row) to an objective."""
    objective = get_object_or_404(Objective.objects.select_related("plan"), pk=pk)
    form = forms.new_form(forms.TaskForm, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(
                objective=objective,
                description=form.cleaned_data["description"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Task added. Now add its first row."))
            return redirect("plans:row_add", pk=task.pk)
    return render(
        request,
        "plans/item_form.html",
        {
            "plan": objective.plan,
            "form": form,
            "heading": _("Add a task to %(objective)s") % {"objective": objective.heading},
            "cancel_url": _item_url(objective),
        },
        status=_form_errors_status(form),
    )


@officers
@require_http_methods(["GET", "POST"])
def task_relocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a task, with its rows, to another objective."""
    task = get_object_or_404(Task.objects.select_related("plan", "objective"), pk=pk)
    form = forms.RelocateTaskForm(
        request.POST or None, plan=task.plan, initial={"objective": task.objective_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_move_to_objective(
                task=task,
                objective=form.cleaned_data["objective"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Task moved to %(objective)s.") % {"objective": task.objective.heading},
            )
            return redirect(_item_url(task))
    return render(
        request,
        "plans/item_form.html",
        {
            "plan": task.plan,
            "form": form,
            "heading": _("Move a task to another objective"),
            "intro": task.description,
            "cancel_url": _item_url(task),
            "submit_label": _("Move task"),
        },
        status=_form_errors_status(form),
    )


# --- rows ---------------------------------------------------------------------------------


def _row_response(
    request: HttpRequest, row: Outcome, *, form: Any = None, status: int = 200
) -> HttpResponse:
    context = {"plan": row.plan, "form": form, **_row_context(row)}
    if request.htmx:
        template = "plans/_row_form.html" if form else "plans/_row.html"
        return render(request, template, context)
    if form is None:
        return redirect(_item_url(row))
    return render(request, "plans/row_form.html", context, status=status)


def _row_queryset() -> Any:
    return Outcome.objects.select_related("plan", "task__objective")


@officers
@require_GET
def row_show(request: HttpRequest, pk: int) -> HttpResponse:
    return _row_response(request, get_object_or_404(_row_queryset(), pk=pk))


@officers
@require_http_methods(["GET", "POST"])
def row_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(_row_queryset(), pk=pk)
    return _edit_in_place(
        request,
        row,
        form_class=forms.OutcomeForm,
        prefix="row",
        initial={name: getattr(row, name) for name in forms.OutcomeForm.FIELDS},
        update=lambda item, **kwargs: services.outcome_update(outcome=item, **kwargs),
        # Re-read with the relations the row fragment shows.
        respond=lambda request, item, **kwargs: _row_response(
            request, _row_queryset().get(pk=item.pk) if not kwargs else item, **kwargs
        ),
        url_name="row_edit",
    )


@officers
@require_http_methods(["GET", "POST"])
def row_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.select_related("plan", "objective"), pk=pk)
    form = forms.new_form(forms.OutcomeForm, request.POST or None)
    if request.method == "GET":
        form = forms.new_form(forms.OutcomeForm, initial={"status": Outcome.Status.NOT_STARTED})
    elif form.is_valid():
        try:
            row = services.outcome_create(
                task=task,
                data=form.data_for_service(),
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Row added."))
            return redirect(_item_url(row))
    return render(
        request,
        "plans/item_form.html",
        {
            "plan": task.plan,
            "form": form,
            "heading": _("Add a row to a task"),
            "intro": task.description,
            "cancel_url": _item_url(task),
        },
        status=_form_errors_status(form),
    )


# --- delete and move (all kinds) ----------------------------------------------------------

KINDS: dict[str, Any] = {
    "objective": (Objective, services.objective_delete, services.objective_move, "objective"),
    "task": (Task, services.task_delete, services.task_move, "task"),
    "row": (Outcome, services.outcome_delete, services.outcome_move, "outcome"),
}


def _kind(kind: str) -> tuple[Any, Any, Any, str]:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


@officers
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Confirm, then delete an objective (with its tasks and rows), a task or a row."""
    model, delete, _move, argument = _kind(kind)
    item = get_object_or_404(model.objects.select_related("plan"), pk=pk)
    form = forms.DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Back to the objective the item was in (a long plan is edited one objective at a time).
        back = _plan_url(item.plan) if kind == "objective" else _item_url(_objective_of(item))
        try:
            delete(**{argument: item}, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Deleted. The history keeps what it said."))
            return redirect(back)
    counts: dict[str, int] = {}
    if kind == "objective":
        counts = {
            "tasks": item.tasks.count(),
            "rows": Outcome.objects.filter(task__objective=item).count(),
        }
    elif kind == "task":
        counts = {"rows": item.outcomes.count()}
    return render(
        request,
        "plans/item_delete.html",
        {
            "plan": item.plan,
            "item": item,
            "kind": kind,
            "counts": counts,
            "form": form,
            "cancel_url": _item_url(item),
        },
        status=_form_errors_status(form),
    )


@officers
@require_POST
def item_move(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Move an objective, task or row one place up or down (keyboard-usable buttons)."""
    model, _delete, move, argument = _kind(kind)
    item = get_object_or_404(model.objects.select_related("plan"), pk=pk)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose up or down."))
    else:
        try:
            move(
                **{argument: item},
                direction=form.cleaned_data["direction"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Moved %s.") % form.cleaned_data["direction"])
    return redirect(_item_url(item))


@officers
@require_GET
def item_history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Who changed an objective, task or row, when, why, and what it said."""
    model, _delete, _move, _argument = _kind(kind)
    records = list(
        model.history.filter(id=pk).select_related("history_user").order_by("-history_date")
    )
    if not records:
        raise Http404
    plan = ImplementationPlan.objects.filter(pk=records[0].plan_id).first()
    if plan is None:
        raise Http404
    fields = {
        "objective": ("number", "title", "statement"),
        "task": ("objective_id", "description"),
        "row": ("outcome", "timescale", "responsibility", "progress", "status"),
    }[kind]
    labels = {name: model._meta.get_field(name.removesuffix("_id")).verbose_name for name in fields}
    objective_names: dict[int, str] = {}
    if kind == "task":
        objective_names = {
            objective.pk: objective.heading
            for objective in Objective.objects.filter(
                pk__in={record.objective_id for record in records}
            )
        }

    def shown(name: str, value: Any) -> Any:
        if name == "status":
            return Outcome.Status(value).label if value in Outcome.Status.values else value
        if name == "objective_id":
            return objective_names.get(value, _("a deleted objective"))
        return value

    def change(name: str, record: Any, older: Any) -> dict[str, Any]:
        after = shown(name, getattr(record, name))
        if older is None:
            return {"label": labels[name], "value": after}
        before = shown(name, getattr(older, name))
        if name in ("status", "objective_id"):
            # A choice or a parent is replaced whole, never word by word.
            before_html, after_html = deleted_html(str(before)), inserted_html(str(after))
        else:
            # Word-level marks as in the update reports: removed words in <del>, new in <ins>.
            before_html, after_html = diff_sides_html(str(before or ""), str(after or ""))
        return {"label": labels[name], "before": before_html, "after": after_html}

    entries = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changed = [
            change(name, record, older)
            for name in fields
            if older is None or getattr(older, name) != getattr(record, name)
        ]
        entries.append({"record": record, "changed": changed})
    return render(
        request,
        "plans/item_history.html",
        {
            "plan": plan,
            "kind": kind,
            "entries": entries,
            "exists": model.objects.filter(pk=pk).exists(),
        },
    )


# --- conflicts ----------------------------------------------------------------------------


def _edit_in_place(
    request: HttpRequest,
    item: Any,
    *,
    form_class: Any,
    prefix: str,
    initial: dict[str, Any],
    update: Any,
    respond: Any,
    url_name: str,
) -> HttpResponse:
    """The one edit flow of objectives, tasks and rows: GET shows the form with the version
    read; POST saves through the service, which refuses a stale version as a conflict."""
    auto_id = f"id_{prefix}{item.pk}_%s"
    if request.method == "GET":
        form = form_class(auto_id=auto_id, initial=initial | {"version": item.version})
        return respond(request, item, form=form)
    form = form_class(request.POST, auto_id=auto_id)
    if not form.is_valid():
        return respond(request, item, form=form, status=422)
    try:
        item = update(
            item,
            expected_version=form.cleaned_data["version"],
            data=form.data_for_service(),
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.EditConflict as conflict:
        return _conflict(request, conflict, form_class, url_name)
    except ValidationError as exc:
        _add_errors(form, exc)
        return respond(request, item, form=form, status=422)
    return respond(request, item)


def _conflict(
    request: HttpRequest, conflict: services.EditConflict, form_class: Any, url_name: str
) -> HttpResponse:
    """The shared conflict page (compact.platform.locking), merging into this item's edit form."""
    return conflict_page(
        request,
        conflict,
        form_class=form_class,
        action=reverse(f"plans:{url_name}", kwargs={"pk": conflict.instance.pk}),
        cancel_url=_item_url(conflict.instance),
        extra_context={"plan": conflict.instance.plan},
    )


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- dashboard ----------------------------------------------------------------------------


def dashboard_panel_context(request: HttpRequest) -> dict[str, Any] | None:
    """Overdue rows, rows due in the next 60 days and my open rows, for the latest plan."""
    if not has_role(request.user, Role.OFFICER):
        return None
    plan = selectors.current_plan()
    if plan is None:
        return None
    person = selectors.person_of(request.user)
    groups = selectors.dashboard_rows(plan, person=person)
    today = timezone.localdate()
    for group in groups.values():
        _decorate_rows(group.rows, today)
    return {"plan": plan, "person": person, **groups}
