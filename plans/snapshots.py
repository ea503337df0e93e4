"""Stored snapshots of issued updates: the plan as it stood at an update, kept as JSON lines
(text, no pickle) in :class:`plans.models.UpdateSnapshot`.

An issued update is frozen, so its snapshot never changes: it is stored when the update is
issued (or, for updates issued before snapshots were stored, the first time a report needs it)
and a report between two issued updates diffs two stored snapshots instead of scanning the
history tables. The history stays the source of truth: a stored snapshot equals the one
rebuilt from history at the update's ``issued_at`` (tested), and bumping
:data:`SNAPSHOT_SCHEMA` makes every snapshot be rebuilt from history on next use.

Format (schema 1), lines of JSON separated by ``\\n`` (JSON escapes newlines inside text).
Not compressed: zlib cost more to decompress than it saved in reading on SQLite, and
PostgreSQL compresses large text values itself (TOAST).

- line 0: the objectives in order, ``[[id, order, number, title, statement, task count], ...]``;
- then one line per task, in order (objective by objective):
  ``[id, objective_id, order, description, [[row id, order, outcome, timescale,
  responsibility, progress, status value], ...]]``.

Statuses are stored as values and labelled in the reader's language when decoded. A task's
line says everything about the task and its rows, so decoding several snapshots together
(:func:`decode_snapshots`) makes one object of each line they share: comparing two updates
then sees an untouched task as the very same object and skips it at once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from plans.diffing import ObjectiveSnapshot, PlanSnapshot, RowSnapshot, TaskSnapshot
from plans.models import UpdateSnapshot

SNAPSHOT_SCHEMA = 1
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def encode_snapshot(snapshot: PlanSnapshot) -> str:
    """The stored form of a snapshot whose rows carry status values (not labels)."""
    header = []
    lines = [""]
    for objective in snapshot.objectives:
        header.append(
            [
                objective.id,
                objective.order,
                objective.number,
                objective.title,
                objective.statement,
                len(objective.tasks),
            ]
        )
        for task in objective.tasks:
            rows = [
                [row.id, row.order, row.outcome, row.timescale, row.responsibility,
                 row.progress, row.status]
                for row in task.rows
            ]  # fmt: skip
            line = [task.id, task.objective_id, task.order, task.description, rows]
            lines.append(_dumps(line))
    lines[0] = _dumps(header)
    return "\n".join(lines)


def decode_snapshots(
    plan_id: int, blobs: Sequence[str], labels: Mapping[str, str]
) -> list[PlanSnapshot]:
    """The snapshots stored in ``blobs``, statuses labelled with ``labels``.

    Tasks (with their rows) stored identically in several blobs become one shared object, and
    so do objectives whose fields and tasks are all the same."""
    tasks_by_line: dict[str, TaskSnapshot] = {}
    objectives_by_id: dict[int, ObjectiveSnapshot] = {}
    snapshots = []
    for blob in blobs:
        header, *lines = blob.split("\n")
        # Lines not seen in an earlier blob are parsed together: one json.loads in all.
        fresh = list(dict.fromkeys(line for line in lines if line not in tasks_by_line))
        if fresh:
            parsed = json.loads("[" + ",".join(fresh) + "]")
            for line, values in zip(fresh, parsed, strict=True):
                tasks_by_line[line] = _decode_task(values, labels)
        position = 0
        objectives = []
        for objective_id, order, number, title, statement, count in json.loads(header):
            tasks = [tasks_by_line[line] for line in lines[position : position + count]]
            position += count
            objective = _shared_objective(
                objectives_by_id.get(objective_id),
                (objective_id, order, number, title, statement),
                tasks,
            )
            objectives_by_id[objective_id] = objective
            objectives.append(objective)
        snapshots.append(PlanSnapshot(plan_id=plan_id, objectives=tuple(objectives)))
    return snapshots


def _decode_task(values: list[Any], labels: Mapping[str, str]) -> TaskSnapshot:
    task_id, objective_id, order, description, rows = values
    return TaskSnapshot(
        task_id,
        objective_id,
        order,
        description,
        tuple(
            RowSnapshot(row_id, task_id, row_order, outcome, timescale, responsibility,
                        progress, labels.get(status, status))
            for row_id, row_order, outcome, timescale, responsibility, progress, status in rows
        ),
    )  # fmt: skip


def _shared_objective(
    seen: ObjectiveSnapshot | None, fields: tuple[Any, ...], tasks: list[TaskSnapshot]
) -> ObjectiveSnapshot:
    """The objective seen in an earlier blob if nothing about it differs, else a new one."""
    if (
        seen is not None
        and (seen.id, seen.order, seen.number, seen.title, seen.statement) == fields
        and len(seen.tasks) == len(tasks)
        and all(old is new for old, new in zip(seen.tasks, tasks, strict=True))
    ):
        return seen
    return ObjectiveSnapshot(*fields, tasks=tuple(tasks))


def save_snapshots(blobs: Mapping[int, str]) -> None:
    """Store encoded snapshots by update id (one query), replacing any stored before."""
    UpdateSnapshot.objects.bulk_create(
        [
            UpdateSnapshot(update_id=update_id, schema=SNAPSHOT_SCHEMA, data=data)
            for update_id, data in blobs.items()
        ],
        update_conflicts=True,
        unique_fields=["update"],
        update_fields=["schema", "data", "stored_at"],
    )
