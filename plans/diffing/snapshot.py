"""Plan snapshots: the plain, immutable picture of a plan at one moment (objectives, tasks, rows)
that the change tree compares. Built from history rows by plans.selectors.reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class RowSnapshot:
    """One row of an objective's table (an outcome or indicator) as it stood at a moment."""

    id: int
    task_id: int
    order: int
    outcome: str = ""
    timescale: str = ""
    responsibility: str = ""
    progress: str = ""
    status: str = ""
    # The Welsh versions (empty until translated); see docs/welsh.md.
    outcome_cy: str = ""
    timescale_cy: str = ""
    responsibility_cy: str = ""
    progress_cy: str = ""
    # A row read from a stored snapshot carries its stored text line (plans/snapshots.py):
    # two such rows have the same texts exactly when their lines are equal, which compares
    # them without reading them.
    stored_line: ClassVar[str | None] = None


@dataclass(frozen=True)
class TaskSnapshot:
    id: int
    objective_id: int
    order: int
    description: str = ""
    rows: tuple[RowSnapshot, ...] = ()
    description_cy: str = ""
    stored_line: ClassVar[str | None] = None  # its description's stored line, as for rows

    def stored_rows(self) -> tuple[list[int], list[str]] | None:
        """Read from a stored snapshot: its rows' ids and stored lines, without making the
        rows (a comparison counts changed rows from them); else None."""
        return None


@dataclass(frozen=True)
class ObjectiveSnapshot:
    id: int
    order: int
    number: int | str = ""
    title: str = ""
    statement: str = ""
    tasks: tuple[TaskSnapshot, ...] = ()
    title_cy: str = ""
    statement_cy: str = ""

    @property
    def label(self) -> str:
        return str(self.number or self.order)


@dataclass(frozen=True)
class PlanSnapshot:
    """A whole plan at a moment: objectives in order, each with its tasks and their rows."""

    plan_id: int
    objectives: tuple[ObjectiveSnapshot, ...] = ()

    @property
    def row_count(self) -> int:
        return sum(len(task.rows) for objective in self.objectives for task in objective.tasks)


def build_snapshot(
    plan_id: int,
    objectives: Iterable[ObjectiveSnapshot],
    tasks: Iterable[TaskSnapshot],
    rows: Iterable[RowSnapshot],
) -> PlanSnapshot:
    """Assemble flat objectives, tasks and rows into a tree, each level sorted by order.

    Tasks whose objective is not in the plan, and rows whose task is not, are left out (their
    parent was deleted: a deletion cascades in the live tables too)."""
    rows_by_task: dict[int, list[RowSnapshot]] = {}
    for row in rows:
        rows_by_task.setdefault(row.task_id, []).append(row)
    tasks_by_objective: dict[int, list[TaskSnapshot]] = {}
    for task in tasks:
        task_rows = sorted(rows_by_task.get(task.id, ()), key=lambda row: (row.order, row.id))
        tasks_by_objective.setdefault(task.objective_id, []).append(
            TaskSnapshot(
                id=task.id,
                objective_id=task.objective_id,
                order=task.order,
                description=task.description,
                rows=tuple(task_rows),
                description_cy=task.description_cy,
            )
        )
    built = []
    for objective in sorted(objectives, key=lambda item: (item.order, item.id)):
        objective_tasks = sorted(
            tasks_by_objective.get(objective.id, ()), key=lambda task: (task.order, task.id)
        )
        built.append(
            ObjectiveSnapshot(
                id=objective.id,
                order=objective.order,
                number=objective.number,
                title=objective.title,
                statement=objective.statement,
                tasks=tuple(objective_tasks),
                title_cy=objective.title_cy,
                statement_cy=objective.statement_cy,
            )
        )
    return PlanSnapshot(plan_id=plan_id, objectives=tuple(built))
