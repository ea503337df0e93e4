"""What the plan editor's views share: URLs of items, row decoration, the in-place edit and
conflict responses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from compact.platform.access import Role, roles_required
from compact.platform.forms import apply_validation_error
from compact.platform.language import text_of
from compact.platform.locking import conflict_page
from plans import parsing, services
from plans.models import ImplementationPlan, Objective, Outcome, Task
from plans.selectors.actions import open_actions_by_row

officers = roles_required(Role.OFFICER)


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


def with_open_actions(rows: list[Outcome]) -> None:
    """Give each row ``row.open_actions``, the open meeting actions linked to it (one query
    for them all)."""
    found = open_actions_by_row(row.pk for row in rows)
    for row in rows:
        row.open_actions = found.get(row.pk, [])


def _decorate_rows(rows: list[Outcome], today: Any) -> None:
    for row in rows:
        row.rag = parsing.rag_status(row.status, row.due_date, today)
        row.label = _label(text_of(row, "outcome") or text_of(row.task, "description"))


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
    row.label = _label(text_of(row, "outcome") or text_of(row.task, "description"), 40)
    patterns = _url_patterns()
    _with_urls(row, patterns["row"])
    with_open_actions([row])
    task = row.task
    _task_position(task, patterns)
    return {"row": row, "task": task, "is_first_row": row.is_first}


def _form_errors_status(form: Any) -> int:
    return 200 if not form.is_bound or form.is_valid() else 422


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
        apply_validation_error(form, exc)
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
