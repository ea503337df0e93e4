"""Small builders for report tests: a plan with history, and issued updates."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from plans.models import ImplementationPlan, Objective, Outcome, PlanUpdate, Task


def make_plan(
    world: Any,
    *,
    objectives: int = 2,
    tasks: int = 2,
    rows: int = 2,
    slug: str = "test-plan",
    is_public: bool = False,
) -> ImplementationPlan:
    """A plan whose every item was saved once (so each has a creation history record)."""
    plan = ImplementationPlan.objects.create(
        compact=world.compact,
        title="Test Compact - Implementation Plan 2008-2011",
        slug=slug,
        period="2008-2011",
        is_public=is_public,
    )
    for objective_number in range(1, objectives + 1):
        objective = Objective.objects.create(
            plan=plan,
            number=objective_number,
            statement=f"Statement of objective {objective_number}",
            order=objective_number,
        )
        for task_number in range(1, tasks + 1):
            task = Task.objects.create(
                plan=plan,
                objective=objective,
                description=f"Task {objective_number}.{task_number}",
                order=task_number,
            )
            for row_number in range(1, rows + 1):
                Outcome.objects.create(
                    plan=plan,
                    task=task,
                    outcome=f"Outcome {objective_number}.{task_number}.{row_number}",
                    timescale="Sept 08",
                    responsibility="ID",
                    progress="Meetings held",
                    order=row_number,
                )
    return plan


def issue(plan: ImplementationPlan, *, actor: Any = None, day: datetime.date | None = None,
          summary: str = "") -> PlanUpdate:  # fmt: skip
    """Issue the next update through the service, as an officer would."""
    try:
        from plans.services import plan_update_issue
    except ImportError:  # before plans-core's services are merged
        previous = PlanUpdate.objects.filter(plan=plan).order_by("-number").first()
        return PlanUpdate.objects.create(
            plan=plan, number=previous.number + 1 if previous else 1,
            date=day or timezone.localdate(), summary=summary, issued_at=timezone.now(),
            issued_by=actor,
        )  # fmt: skip
    return plan_update_issue(
        plan=plan, actor=actor, date=day or timezone.localdate(), summary=summary
    )


def first_row(plan: ImplementationPlan) -> Outcome:
    return Outcome.objects.filter(plan=plan).order_by("task__objective__order", "task__order",
                                                       "order").first()  # fmt: skip


def edit_progress(row: Outcome, progress: str, **fields: Any) -> Outcome:
    row.progress = progress
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    return row
