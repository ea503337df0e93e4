"""Writes to the plan's content: the plan itself, its objectives, tasks and rows (see
:mod:`plans.services`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from compact.models import Compact
from compact.platform.history import delete_with_history, save_with_history

# EditConflict is re-exported: views and tests catch ``services.EditConflict``.
from compact.platform.locking import EditConflict as EditConflict
from compact.platform.locking import check_version
from plans import parsing
from plans.models import ImplementationPlan, Objective, Outcome, Task
from plans.permissions import can_edit_plan
from plans.selectors import directory_for

Direction = Literal["up", "down"]

OBJECTIVE_FIELDS = ("number", "title", "statement", "title_cy", "statement_cy")
TASK_FIELDS = ("description", "description_cy")
OUTCOME_FIELDS = ("outcome", "timescale", "responsibility", "progress", "status",
                  "outcome_cy", "timescale_cy", "responsibility_cy", "progress_cy")  # fmt: skip


# --- helpers ------------------------------------------------------------------------------


def _begin_edit(actor: Any, plan: ImplementationPlan) -> None:
    """Check the actor may edit, then lock the plan row for the rest of the transaction.

    The lock is what keeps an issued update frozen: ``plan_update_issue`` takes the same lock,
    so an edit commits wholly before the update's ``issued_at`` (and is in it) or starts after
    the update is issued (and its history is dated after ``issued_at``)."""
    if actor is not None and not can_edit_plan(actor, plan):
        raise PermissionDenied(_("Only officers may edit the implementation plan."))
    ImplementationPlan.objects.select_for_update().filter(pk=plan.pk).values_list(
        "pk", flat=True
    ).first()


def _locked(model: type[models.Model], pk: int) -> Any:
    try:
        return model.objects.select_for_update().get(pk=pk)
    except model.DoesNotExist as exc:
        raise ValidationError(_("This item no longer exists: someone has deleted it.")) from exc


def _apply(
    locked: Any,
    *,
    expected_version: int | None,
    data: Mapping[str, Any],
    allowed: tuple[str, ...],
) -> bool:
    """Check the version, copy the allowed fields; True when something changed."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"Fields not editable here: {sorted(unknown)}")
    check_version(locked, expected_version=expected_version, submitted=data)
    changed = False
    for key, value in data.items():
        if getattr(locked, key) != value:
            setattr(locked, key, value)
            changed = True
    return changed


def _next_order(queryset: models.QuerySet) -> int:
    top = queryset.aggregate(top=Max("order"))["top"]
    return 0 if top is None else top + 1


def _move(
    item: Any, siblings: models.QuerySet, direction: Direction, *, actor: Any, reason: str
) -> None:
    """Swap the item's place with its neighbour's: two saves. Only when the two share an
    order value (hand-made data) are the siblings renumbered 0..n-1 first."""
    ordered = list(siblings.select_for_update().order_by("order", "id"))
    index = next((i for i, sibling in enumerate(ordered) if sibling.pk == item.pk), None)
    if index is None:
        raise ValidationError(_("This item no longer exists: someone has deleted it."))
    target = index - 1 if direction == "up" else index + 1
    if target < 0 or target >= len(ordered):
        return
    mine, theirs = ordered[index], ordered[target]
    if mine.order != theirs.order:
        mine.order, theirs.order = theirs.order, mine.order
        for sibling in (theirs, mine):
            save_with_history(sibling, actor=actor, reason=reason)
    else:
        ordered[index], ordered[target] = theirs, mine
        for position, sibling in enumerate(ordered):
            if sibling.order != position:
                sibling.order = position
                save_with_history(sibling, actor=actor, reason=reason)
    item.order = mine.order


# --- plans --------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    compact: Compact,
    title: str,
    slug: str,
    period: str = "",
    is_public: bool = False,
    actor: Any,
    title_cy: str = "",
) -> ImplementationPlan:
    """Start an empty plan for the compact."""
    if actor is not None and not can_edit_plan(actor):
        raise PermissionDenied(_("Only officers may create an implementation plan."))
    plan = ImplementationPlan(
        compact=compact,
        title=title,
        title_cy=title_cy,
        slug=slug,
        period=period,
        is_public=is_public,
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_update_settings(
    *, plan: ImplementationPlan, data: Mapping[str, Any], actor: Any
) -> ImplementationPlan:
    """Change a plan's title, period or public flag (the slug stays: links keep working)."""
    _begin_edit(actor, plan)
    locked = ImplementationPlan.objects.select_for_update().get(pk=plan.pk)
    for key in data:
        if key not in {"title", "title_cy", "period", "is_public"}:
            raise ValueError(f"Field not editable here: {key}")
        setattr(locked, key, data[key])
    locked.full_clean()
    locked.save()
    return locked


# --- objectives ---------------------------------------------------------------------------


@transaction.atomic
def objective_create(
    *,
    plan: ImplementationPlan,
    number: int | None = None,
    statement: str = "",
    title: str = "",
    actor: Any,
    reason: str = "",
    order: int | None = None,
    title_cy: str = "",
    statement_cy: str = "",
) -> Objective:
    """Add an objective at the end of the plan (numbered after the highest if not given);
    ``order`` places it explicitly (imports keep the document's positions)."""
    _begin_edit(actor, plan)
    siblings = Objective.objects.filter(plan=plan)
    if number is None:
        number = (siblings.aggregate(top=Max("number"))["top"] or 0) + 1
    objective = Objective(
        plan=plan,
        number=number,
        title=title,
        statement=statement,
        title_cy=title_cy,
        statement_cy=statement_cy,
        order=_next_order(siblings) if order is None else order,
    )
    save_with_history(objective, actor=actor, reason=reason)
    return objective


@transaction.atomic
def objective_update(
    *,
    objective: Objective,
    expected_version: int | None,
    data: Mapping[str, Any],
    actor: Any,
    reason: str = "",
) -> Objective:
    """Change an objective's number, title or statement unless someone else saved it first."""
    _begin_edit(actor, objective.plan)
    locked = _locked(Objective, objective.pk)
    if _apply(locked, expected_version=expected_version, data=data, allowed=OBJECTIVE_FIELDS):
        locked.version += 1
        save_with_history(locked, actor=actor, reason=reason)
    return locked


@transaction.atomic
def objective_delete(*, objective: Objective, actor: Any, reason: str = "") -> None:
    """Delete an objective with its tasks and rows, each deletion recorded with who and why."""
    _begin_edit(actor, objective.plan)
    locked = _locked(Objective, objective.pk)
    for task in list(locked.tasks.all()):
        _delete_task_rows(task, actor=actor, reason=reason)
        delete_with_history(task, actor=actor, reason=reason)
    delete_with_history(locked, actor=actor, reason=reason)


@transaction.atomic
def objective_move(
    *, objective: Objective, direction: Direction, actor: Any, reason: str = ""
) -> Objective:
    """Move an objective one place up or down the plan."""
    _begin_edit(actor, objective.plan)
    _move(
        objective,
        Objective.objects.filter(plan_id=objective.plan_id),
        direction,
        actor=actor,
        reason=reason,
    )
    return objective


# --- tasks --------------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    objective: Objective,
    description: str,
    actor: Any,
    reason: str = "",
    order: int | None = None,
    description_cy: str = "",
) -> Task:
    """Add a task at the end of an objective's table (or at ``order``)."""
    _begin_edit(actor, objective.plan)
    task = Task(
        plan_id=objective.plan_id,
        objective=objective,
        description=description,
        description_cy=description_cy,
        order=_next_order(Task.objects.filter(objective=objective)) if order is None else order,
    )
    save_with_history(task, actor=actor, reason=reason)
    return task


@transaction.atomic
def task_update(
    *,
    task: Task,
    expected_version: int | None,
    data: Mapping[str, Any],
    actor: Any,
    reason: str = "",
) -> Task:
    """Change a task's description unless someone else saved it first."""
    _begin_edit(actor, task.plan)
    locked = _locked(Task, task.pk)
    if _apply(locked, expected_version=expected_version, data=data, allowed=TASK_FIELDS):
        locked.version += 1
        save_with_history(locked, actor=actor, reason=reason)
    return locked


def _delete_task_rows(task: Task, *, actor: Any, reason: str) -> None:
    # One by one, so each row's deletion is in the history with who and why.
    for outcome in list(task.outcomes.all()):
        delete_with_history(outcome, actor=actor, reason=reason)


@transaction.atomic
def task_delete(*, task: Task, actor: Any, reason: str = "") -> None:
    """Delete a task and its rows."""
    _begin_edit(actor, task.plan)
    locked = _locked(Task, task.pk)
    _delete_task_rows(locked, actor=actor, reason=reason)
    delete_with_history(locked, actor=actor, reason=reason)


@transaction.atomic
def task_move(*, task: Task, direction: Direction, actor: Any, reason: str = "") -> Task:
    """Move a task one place up or down within its objective."""
    _begin_edit(actor, task.plan)
    _move(
        task,
        Task.objects.filter(objective_id=task.objective_id),
        direction,
        actor=actor,
        reason=reason,
    )
    return task


@transaction.atomic
def task_move_to_objective(
    *, task: Task, objective: Objective, actor: Any, reason: str = ""
) -> Task:
    """Move a task (with its rows) to the end of another objective of the same plan."""
    _begin_edit(actor, task.plan)
    locked = _locked(Task, task.pk)
    if objective.plan_id != locked.plan_id:
        raise ValidationError(
            {"objective": _("A task can only move to an objective of the same plan.")}
        )
    if objective.pk == locked.objective_id:
        return locked
    locked.objective = objective
    locked.order = _next_order(Task.objects.filter(objective=objective))
    locked.version += 1
    save_with_history(locked, actor=actor, reason=reason)
    return locked


# --- outcomes (rows) ----------------------------------------------------------------------


def _link_responsibility(outcome: Outcome, directory: parsing.Directory | None) -> None:
    directory = directory or directory_for(outcome.plan.compact_id)
    found = parsing.parse_responsibility(outcome.responsibility, directory)
    outcome.responsible_people.set(found.people)
    outcome.responsible_bodies.set(found.bodies)
    outcome.responsible_organisations.set(found.organisations)


def _due_date(outcome: Outcome) -> datetime.date | None:
    """Read from the timescale, the English or else the Welsh (plans.parsing reads both)."""
    return parsing.due_date_from_timescale(outcome.timescale) or (
        parsing.due_date_from_timescale(outcome.timescale_cy)
    )


@transaction.atomic
def outcome_create(
    *,
    task: Task,
    data: Mapping[str, Any],
    actor: Any,
    reason: str = "",
    directory: parsing.Directory | None = None,
    order: int | None = None,
) -> Outcome:
    """Add a row at the end of a task (or at ``order``); the due date and responsibility
    links are read from its text."""
    _begin_edit(actor, task.plan)
    unknown = set(data) - set(OUTCOME_FIELDS)
    if unknown:
        raise ValueError(f"Fields not editable here: {sorted(unknown)}")
    outcome = Outcome(
        plan_id=task.plan_id,
        task=task,
        order=_next_order(Outcome.objects.filter(task=task)) if order is None else order,
        **data,
    )
    outcome.due_date = _due_date(outcome)
    save_with_history(outcome, actor=actor, reason=reason)
    _link_responsibility(outcome, directory)
    return outcome


def _outcome_prepare(
    locked: Outcome, *, expected_version: int | None, data: Mapping[str, Any]
) -> bool:
    """The one rule for changing a row's fields (the row editor and the spreadsheet import):
    check the version, copy the fields, re-read the due date, bump the version, validate.
    True when something changed (and must be saved)."""
    if not _apply(locked, expected_version=expected_version, data=data, allowed=OUTCOME_FIELDS):
        return False
    locked.due_date = _due_date(locked)
    locked.version += 1
    # The row's plan and task do not change here, and the row is locked: checking that they
    # exist would cost two queries a row (4,800 for a spreadsheet of the whole plan).
    locked.full_clean(exclude=["plan", "task"])
    return True


@transaction.atomic
def outcome_update(
    *,
    outcome: Outcome,
    expected_version: int | None,
    data: Mapping[str, Any],
    actor: Any,
    reason: str = "",
    directory: parsing.Directory | None = None,
) -> Outcome:
    """Change a row unless someone else saved it since ``expected_version`` (then
    :class:`EditConflict` carries what is saved now); no lost updates."""
    _begin_edit(actor, outcome.plan)
    locked = _locked(Outcome, outcome.pk)
    responsibility_before = locked.responsibility
    if _outcome_prepare(locked, expected_version=expected_version, data=data):
        save_with_history(locked, actor=actor, reason=reason, clean=False)
        if locked.responsibility != responsibility_before:
            _link_responsibility(locked, directory)
    return locked


@transaction.atomic
def outcomes_update(
    *,
    plan: ImplementationPlan,
    changes: Iterable[tuple[int, int | None, Mapping[str, Any]]],
    actor: Any,
    reason: str = "",
) -> list[Outcome]:
    """Change many rows of one plan at once, each by the rule of :func:`outcome_update`
    (``changes``: row id, expected version, fields), all or none. One permission check, one
    lock of the plan and its rows, and the saves with their history records in bulk: a
    2,400-line spreadsheet costs a few queries, not two per row."""
    _begin_edit(actor, plan)
    rows = {
        row.pk: row
        for row in Outcome.objects.select_for_update(of=("self",))
        .select_related("task")
        .filter(plan=plan)
    }
    changed: list[Outcome] = []
    relink: list[Outcome] = []
    fields = {"due_date", "version"}
    for pk, expected_version, data in changes:
        if pk not in rows:
            raise ValidationError(_("This item no longer exists: someone has deleted it."))
        row = rows[pk]
        row.plan = plan
        responsibility_before = row.responsibility
        if _outcome_prepare(row, expected_version=expected_version, data=data):
            changed.append(row)
            fields.update(data)
            if row.responsibility != responsibility_before:
                relink.append(row)
    if changed:
        bulk_update_with_history(
            changed,
            Outcome,
            sorted(fields),
            batch_size=500,
            default_user=actor if getattr(actor, "is_authenticated", False) else None,
            default_change_reason=reason or None,
        )
    directory = directory_for(plan.compact_id) if relink else None
    for row in relink:
        _link_responsibility(row, directory)
    return changed


@transaction.atomic
def outcome_delete(*, outcome: Outcome, actor: Any, reason: str = "") -> None:
    """Delete a row."""
    _begin_edit(actor, outcome.plan)
    delete_with_history(_locked(Outcome, outcome.pk), actor=actor, reason=reason)


@transaction.atomic
def outcome_move(
    *, outcome: Outcome, direction: Direction, actor: Any, reason: str = ""
) -> Outcome:
    """Move a row one place up or down within its task."""
    _begin_edit(actor, outcome.plan)
    _move(
        outcome,
        Outcome.objects.filter(task_id=outcome.task_id),
        direction,
        actor=actor,
        reason=reason,
    )
    return outcome
