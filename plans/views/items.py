"""Objectives, tasks and rows: show, edit in place, add, relocate, move, delete and history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.platform.forms import apply_validation_error
from compact.platform.textdiff import deleted_html, diff_sides_html, inserted_html
from plans import forms, services
from plans.models import ImplementationPlan, Objective, Outcome, Task
from plans.views.common import (
    _edit_in_place,
    _form_errors_status,
    _item_url,
    _objective_of,
    _plan_url,
    _row_context,
    _task_position,
    _url_patterns,
    officers,
)


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
            "title_cy": objective.title_cy,
            "statement_cy": objective.statement_cy,
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
                title_cy=form.cleaned_data["title_cy"],
                statement_cy=form.cleaned_data["statement_cy"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
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
        initial={"description": task.description, "description_cy": task.description_cy},
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
                description_cy=form.cleaned_data["description_cy"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
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
            apply_validation_error(form, exc)
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
        initial={name: getattr(row, name) for name in services.OUTCOME_FIELDS},
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
            apply_validation_error(form, exc)
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
            apply_validation_error(form, exc)
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
        "objective": ("number", "title", "statement", "title_cy", "statement_cy"),
        "task": ("objective_id", "description", "description_cy"),
        "row": (
            "outcome",
            "timescale",
            "responsibility",
            "progress",
            "status",
            "outcome_cy",
            "timescale_cy",
            "responsibility_cy",
            "progress_cy",
        ),
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
