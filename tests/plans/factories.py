"""Small builders for plan tests: a plan with objectives, tasks and rows written through the
services, so history and versions are as in real use."""

from __future__ import annotations

from typing import Any

from plans import services
from plans.models import ImplementationPlan, Objective, Outcome, Task


def make_plan(
    world: Any,
    *,
    objectives: int = 2,
    tasks: int = 2,
    rows: int = 2,
    slug: str = "test-plan",
    is_public: bool = False,
    actor: Any = None,
) -> ImplementationPlan:
    """A plan of ``objectives`` objectives, each with ``tasks`` tasks of ``rows`` rows, written
    through the services (so every item has its creation history, as in real use);
    ``objectives=0`` is an empty plan to fill in the test."""
    plan = services.plan_create(
        compact=world.compact,
        title="Test Compact - Implementation Plan 2008-2011",
        slug=slug,
        period="2008-2011",
        is_public=is_public,
        actor=actor,
    )
    for o in range(1, objectives + 1):
        objective = services.objective_create(
            plan=plan, number=o, statement=f"Statement of objective {o}", actor=actor
        )
        for t in range(1, tasks + 1):
            task = services.task_create(
                objective=objective, description=f"Task {o}.{t}", actor=actor
            )
            for r in range(1, rows + 1):
                services.outcome_create(
                    task=task,
                    data={
                        "outcome": f"Outcome {o}.{t}.{r}",
                        "timescale": "Sept 08",
                        "responsibility": "ID",
                        "progress": "Meetings held",
                    },
                    actor=actor,
                )
    return plan


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
        plan = make_plan(world, objectives=0)
        objective = make_objective(plan)
        task = make_task(objective)
        row = make_row(task)
        world.extra.update(plan=plan, objective=objective, task=task, row=row)
    return world.extra
