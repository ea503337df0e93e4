"""Test data for plans: factory_boy factories for plans, objectives, tasks, rows (``Outcome``)
and issued updates, every one written through ``plans.services`` with ``actor=``, so each item
has its creation history and version exactly as in real use; rows are edited through
``outcome_update`` for the same reason.

The builder functions (``make_plan``, ``make_objective``, ``make_task``, ``make_row``,
``issue``, ``edit_progress``) are thin calls to the factories and the one way tests build plan
data: ``tests/test_house.py`` refuses another ``def make_plan`` or a plan row made with
``Outcome.objects.create`` outside this module.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from simple_history.utils import bulk_create_with_history

from plans import services
from plans.models import ImplementationPlan, Objective, Outcome, PlanUpdate, Task
from tests.compact.factories import CompactFactory


class PlanFactory(DjangoModelFactory):
    """A plan made by ``plan_create``; ``objectives``/``tasks``/``rows`` fill it with that many
    objectives, each with ``tasks`` tasks of ``rows`` rows (through the factories below)."""

    class Meta:
        model = ImplementationPlan

    compact = factory.SubFactory(CompactFactory)
    title = "Test Compact - Implementation Plan 2008-2011"
    slug = factory.Sequence(lambda n: f"plan-{n}")
    period = "2008-2011"
    is_public = False
    actor = None
    objectives = 0
    tasks = 2
    rows = 2

    @classmethod
    def _create(
        cls,
        model_class: Any,
        *args: Any,
        objectives: int,
        tasks: int,
        rows: int,
        actor: Any,
        **kwargs: Any,
    ) -> ImplementationPlan:
        plan = services.plan_create(actor=actor, **kwargs)
        for o in range(1, objectives + 1):
            objective = ObjectiveFactory(
                plan=plan, number=o, statement=f"Statement of objective {o}", actor=actor
            )
            for t in range(1, tasks + 1):
                task = TaskFactory(objective=objective, description=f"Task {o}.{t}", actor=actor)
                for r in range(1, rows + 1):
                    OutcomeFactory(
                        task=task,
                        outcome=f"Outcome {o}.{t}.{r}",
                        timescale="Sept 08",
                        responsibility="ID",
                        progress="Meetings held",
                        actor=actor,
                    )
        return plan


class ObjectiveFactory(DjangoModelFactory):
    """An objective added by ``objective_create`` (numbered after the last unless given)."""

    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    number = None
    statement = "Develop a Compact Board."
    actor = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Objective:
        return services.objective_create(**kwargs)


class TaskFactory(DjangoModelFactory):
    """A task added by ``task_create`` at the end of its objective (or at ``order``)."""

    class Meta:
        model = Task

    objective = factory.SubFactory(ObjectiveFactory)
    description = "Establish Compact Board"
    actor = None

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Task:
        return services.task_create(**kwargs)


class OutcomeFactory(DjangoModelFactory):
    """A plan row added by ``outcome_create`` (due date and responsibility read from its
    text); the row's fields (``outcome``, ``timescale``, ``responsibility``, ``progress``,
    ``status``) are the service's ``data``."""

    class Meta:
        model = Outcome

    task = factory.SubFactory(TaskFactory)
    outcome = "Membership agreed"
    timescale = "December 2007"
    responsibility = ""
    progress = ""
    actor = None

    @classmethod
    def _create(
        cls,
        model_class: Any,
        *args: Any,
        task: Task,
        actor: Any,
        reason: str = "",
        order: int | None = None,
        **data: Any,
    ) -> Outcome:
        return services.outcome_create(
            task=task, data=data, actor=actor, reason=reason, order=order
        )


RowFactory = OutcomeFactory


class PlanUpdateFactory(DjangoModelFactory):
    """An update issued by ``plan_update_issue`` (its snapshot stored, the board told)."""

    class Meta:
        model = PlanUpdate

    plan = factory.SubFactory(PlanFactory, objectives=1)
    actor = None
    date = factory.LazyFunction(timezone.localdate)
    summary = ""

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> PlanUpdate:
        return services.plan_update_issue(**kwargs)


# --- the builders tests call ---------------------------------------------------------------


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
    return PlanFactory(
        compact=world.compact,
        slug=slug,
        is_public=is_public,
        actor=actor,
        objectives=objectives,
        tasks=tasks,
        rows=rows,
    )


def make_objective(plan: ImplementationPlan, **kwargs: Any) -> Objective:
    return ObjectiveFactory(plan=plan, **kwargs)


def make_task(objective: Objective, description: str = "Establish Compact Board") -> Task:
    return TaskFactory(objective=objective, description=description)


def make_row(task: Task, **data: Any) -> Outcome:
    return OutcomeFactory(task=task, **data)


def make_large_plan(
    world: Any, *, objectives: int, tasks: int, rows: int, slug: str = "large-plan"
) -> ImplementationPlan:
    """A large plan for benchmarks, written in bulk (with history records, without users):
    thousands of rows through the services would take longer than what is measured. Tests
    that check behaviour use ``make_plan``."""
    plan = ImplementationPlan.objects.create(
        compact=world.compact, title="Bench plan", slug=slug, period="2008-2011"
    )
    bulk_create_with_history(
        [
            Objective(plan=plan, number=n, statement=f"Statement {n}", order=n)
            for n in range(1, objectives + 1)
        ],
        Objective,
    )
    made = list(Objective.objects.filter(plan=plan).order_by("order"))
    bulk_create_with_history(
        [
            Task(
                plan=plan, objective=objective, description=f"Task {objective.number}.{t}", order=t
            )
            for objective in made
            for t in range(tasks)
        ],
        Task,
    )
    bulk_create_with_history(
        [
            Outcome(
                plan=plan,
                task=task,
                outcome=f"Outcome {task.pk}.{r}",
                timescale="Sept 09",
                responsibility="TVA",
                progress="Meetings held in Feb and July 08",
                status=Outcome.Status.IN_PROGRESS,
                order=r,
            )
            for task in Task.objects.filter(plan=plan)
            for r in range(rows)
        ],
        Outcome,
    )
    return plan


def sample_plan(world: Any) -> dict[str, Any]:
    """One plan with one objective, one task and one row, built once per world."""
    if "plan" not in world.extra:
        plan = make_plan(world, objectives=0)
        objective = make_objective(plan)
        task = make_task(objective)
        row = make_row(task)
        world.extra.update(plan=plan, objective=objective, task=task, row=row)
    return world.extra


def issue(plan: ImplementationPlan, *, actor: Any = None, day: datetime.date | None = None,
          summary: str = "") -> PlanUpdate:  # fmt: skip
    """Issue the next update through the service, as an officer would."""
    return PlanUpdateFactory(
        plan=plan, actor=actor, date=day or timezone.localdate(), summary=summary
    )


def first_row(plan: ImplementationPlan) -> Outcome:
    return Outcome.objects.filter(plan=plan).order_by("task__objective__order", "task__order",
                                                       "order").first()  # fmt: skip


def edit_progress(row: Outcome, progress: str, **fields: Any) -> Outcome:
    """Edit a row's progress (and any other row field) through ``outcome_update``, as the
    edit page does; ``row`` is refreshed to what is saved."""
    services.outcome_update(
        outcome=row, expected_version=None, data={"progress": progress, **fields}, actor=None
    )
    row.refresh_from_db()
    return row


def store_unvalidated(row: Outcome, **fields: Any) -> Outcome:
    """Write row fields straight to the table, past the service's validation: for text saved
    before a rule existed (e.g. control characters in a cell). A history record is still
    written (by the model's save), without a user."""
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    return row
