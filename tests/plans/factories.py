"""Small builders for plan tests: a plan with objectives, tasks and rows written through the
services, so history and versions are as in real use."""

from __future__ import annotations

from typing import Any

from plans import services
from plans.models import ImplementationPlan, Objective, Outcome, Task


def make_plan(world: Any, *, slug: str = "test-plan", actor: Any = None) -> ImplementationPlan:
    return services.plan_create(
        compact=world.compact,
        title="Test Compact - Implementation Plan 2008-2011",
        slug=slug,
        period="2008-2011",
        actor=actor,
    )


def make_objective(plan: ImplementationPlan, **kwargs: Any) -> Objective:
    kwargs.setdefault("statement", "Develop a Compact Board.")
    return services.objective_create(plan=plan, actor=kwargs.pop("actor", None), **kwargs)


def make_task(objective: Objective, description: str = "Establish Compact Board") -> Task:
    return services.task_create(objective=objective, description=description, actor=None)


def make_row(task: Task, **data: Any) -> Outcome:
    data.setdefault("outcome", "Membership agreed")
    data.setdefault("timescale", "December 2007")
    data.setdefault("responsibility", "")
    data.setdefault("progress", "")
    return services.outcome_create(task=task, data=data, actor=None)


def sample_plan(world: Any) -> dict[str, Any]:
    """One plan with one objective, one task and one row, built once per world."""
    if "plan" not in world.extra:
        plan = make_plan(world)
        objective = make_objective(plan)
        task = make_task(objective)
        row = make_row(task)
        world.extra.update(plan=plan, objective=objective, task=task, row=row)
    return world.extra
