"""Stored snapshots of issued updates: the plan as it stood at an update, kept as JSON lines
(text, no pickle) in :class:`plans.models.UpdateSnapshot`.

An issued update is frozen, so its snapshot never changes: it is stored when the update is
issued (or, for updates issued before snapshots were stored, the first time a report needs it)
and a report between two issued updates diffs two stored snapshots instead of scanning the
history tables. The history stays the source of truth: a stored snapshot equals the one
rebuilt from history at the update's ``issued_at`` (tested), and bumping
:data:`SNAPSHOT_SCHEMA` makes every snapshot be rebuilt from history on next use.

Format (schema 2), lines of JSON separated by ``\\n`` (JSON escapes newlines inside text).
Not compressed: zlib cost more to decompress than it saved in reading; on PostgreSQL the
column is stored uncompressed too (``STORAGE EXTERNAL``, migration 0003), as decompressing
TOAST on every read tripled the time to fetch a snapshot.

- line 0: the objectives in order, ``[[id, order, number, title, statement, task count], ...]``;
- then one line per task, in order (objective by objective):
  ``[id, objective_id, order, description, [[row id, order, outcome, timescale,
  responsibility, progress, status value], ...]]``;
- then, if there was an update before: ``[its id, its objectives line, refs]`` where each ref
  gives one of its tasks, in order: ``i >= 0`` is task line ``i`` above (unchanged), ``-1 - j``
  the ``j``-th of the lines that follow (the tasks as they were, where they differ). The
  report of Update N against N-1 thus reads one stored value.

Welsh (schema 2): an entry carries the Welsh versions of its texts after the fields above only
when one of them is not empty (most plans are not translated yet, and their snapshots stay as
small as before): an objective ``[..., task count, title_cy, statement_cy]``, a task
``[..., rows, description_cy]``, a row ``[..., status value, outcome_cy, timescale_cy,
responsibility_cy, progress_cy]``. Schema 1 had no Welsh: its snapshots are rebuilt from history
(which holds both languages) on next use, and ``manage.py store_snapshots`` stores them again.

Statuses are stored as values and labelled in the reader's language when decoded. A task's
line says everything about the task and its rows, so decoding several snapshots together
(:func:`decode_snapshots`) makes one object of each line they share: comparing two updates
then sees an untouched task as the very same object and skips it at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

from plans.diffing import ObjectiveSnapshot, PlanSnapshot, RowSnapshot, TaskSnapshot
from plans.models import UpdateSnapshot

SNAPSHOT_SCHEMA = 2
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _own_lines(snapshot: PlanSnapshot) -> tuple[str, list[str]]:
    header = []
    lines = []
    for objective in snapshot.objectives:
        entry = [
            objective.id,
            objective.order,
            objective.number,
            objective.title,
            objective.statement,
            len(objective.tasks),
        ]
        if objective.title_cy or objective.statement_cy:
            entry += [objective.title_cy, objective.statement_cy]
        header.append(entry)
        for task in objective.tasks:
            rows = []
            for row in task.rows:
                values = [row.id, row.order, row.outcome, row.timescale, row.responsibility,
                          row.progress, row.status]  # fmt: skip
                welsh = [row.outcome_cy, row.timescale_cy, row.responsibility_cy, row.progress_cy]
                rows.append(values + welsh if any(welsh) else values)
            task_values = [task.id, task.objective_id, task.order, task.description, rows]
            if task.description_cy:
                task_values.append(task.description_cy)
            lines.append(_dumps(task_values))
    return _dumps(header), lines


def _split(data: str) -> tuple[list[Any], list[str], list[str]]:
    """A stored snapshot's objectives (parsed), its task lines, and the lines after them."""
    header, *lines = data.split("\n")
    objectives = json.loads(header)
    count = sum(entry[5] for entry in objectives)
    return objectives, lines[:count], lines[count:]


def encode_snapshot(snapshot: PlanSnapshot, previous: tuple[int, str] | None = None) -> str:
    """The stored form of a snapshot whose rows carry status values (not labels).

    ``previous``: the id and stored form of the update before, whose plan is then kept too,
    as references to this snapshot's task lines plus the lines that differ, so the usual
    report (Update N against N-1) reads one stored snapshot, not two."""
    header, lines = _own_lines(snapshot)
    parts = [header, *lines]
    if previous is not None:
        previous_id, previous_data = previous
        previous_objectives, previous_lines, _rest = _split(previous_data)
        index = {line: position for position, line in enumerate(lines)}
        refs, extra = [], []
        for line in previous_lines:
            if line in index:
                refs.append(index[line])
            else:
                refs.append(-1 - len(extra))
                extra.append(line)
        parts.append(_dumps([previous_id, previous_objectives, refs]))
        parts.extend(extra)
    return "\n".join(parts)


class _Decoder:
    """Builds snapshots from stored lines, making one object of each task line it meets (and
    of each objective whose fields and tasks are all the same as met before)."""

    def __init__(self, plan_id: int, labels: Mapping[str, str]) -> None:
        self.plan_id, self.labels = plan_id, labels
        self.tasks_by_line: dict[str, TaskSnapshot] = {}
        self.objectives_by_id: dict[int, ObjectiveSnapshot] = {}

    def snapshot(
        self, objectives: list[Any], lines: list[str], lazy: frozenset[str] = frozenset()
    ) -> PlanSnapshot:
        """``lazy``: lines known to be shared with the other snapshot compared, decoded only
        as far as the comparison needs (:class:`_StoredTask`)."""
        tasks_by_line = self.tasks_by_line
        fresh = []
        for line in dict.fromkeys(lines):
            if line in tasks_by_line:
                continue
            if line in lazy:
                tasks_by_line[line] = _StoredTask.from_line(line, self.labels)
            else:
                fresh.append(line)
        # Lines not met before are parsed together: one json.loads.
        if fresh:
            parsed = json.loads("[" + ",".join(fresh) + "]")
            for line, values in zip(fresh, parsed, strict=True):
                tasks_by_line[line] = _decode_task(values, self.labels)
        position = 0
        built = []
        for objective_id, order, number, title, statement, count, *welsh in objectives:
            tasks = [tasks_by_line[line] for line in lines[position : position + count]]
            position += count
            title_cy, statement_cy = welsh or ("", "")
            objective = _shared_objective(
                self.objectives_by_id.get(objective_id),
                (objective_id, order, number, title, statement, title_cy, statement_cy),
                tasks,
            )
            self.objectives_by_id[objective_id] = objective
            built.append(objective)
        return PlanSnapshot(plan_id=self.plan_id, objectives=tuple(built))


def decode_snapshots(
    plan_id: int, blobs: Sequence[str], labels: Mapping[str, str]
) -> list[PlanSnapshot]:
    """The snapshots stored in ``blobs``, statuses labelled with ``labels``.

    Tasks (with their rows) stored identically in several blobs become one shared object, and
    so do objectives whose fields and tasks are all the same."""
    decoder = _Decoder(plan_id, labels)
    snapshots = []
    for blob in blobs:
        objectives, lines, _rest = _split(blob)
        snapshots.append(decoder.snapshot(objectives, lines))
    return snapshots


def decode_with_previous(
    plan_id: int, blob: str, previous_id: int, labels: Mapping[str, str]
) -> tuple[PlanSnapshot, PlanSnapshot] | None:
    """The plan at update ``previous_id`` and at the update stored in ``blob``, from that one
    blob, if it keeps that previous update (see :func:`encode_snapshot`); else None."""
    objectives, lines, rest = _split(blob)
    if not rest:
        return None
    stored_previous_id, previous_objectives, refs = json.loads(rest[0])
    if stored_previous_id != previous_id:
        return None
    decoder = _Decoder(plan_id, labels)
    # The tasks both updates share are the same object in both snapshots, which the
    # comparison skips without reading their rows: they are decoded when first read.
    shared = frozenset(lines[ref] for ref in refs if ref >= 0)
    new = decoder.snapshot(objectives, lines, shared)
    extra = rest[1:]
    previous_lines = [lines[ref] if ref >= 0 else extra[-1 - ref] for ref in refs]
    return decoder.snapshot(previous_objectives, previous_lines, shared), new


_TASK_HEAD = re.compile(r"\[(-?\d+),(-?\d+),(-?\d+),")


class _StoredTask(TaskSnapshot):
    """A task read from its stored line only as far as a comparison needs: its id, objective
    and order at once, its description and rows when first read (then parsed whole, once).

    Used for the tasks two updates share: the comparison sees the same object in both
    snapshots and never looks inside, so a report of a large plan with few changes parses only
    the changed tasks, and a report whose rendering is cached parses none. Equal to (and
    hashed like) the :class:`TaskSnapshot` of the same values."""

    _line: str
    _labels: Mapping[str, str]

    @classmethod
    def from_line(cls, line: str, labels: Mapping[str, str]) -> TaskSnapshot:
        match = _TASK_HEAD.match(line)
        if match is None:  # not the usual shape: decode it whole at once
            return _decode_task(json.loads(line), labels)
        task = object.__new__(cls)
        values = task.__dict__  # frozen dataclass: fill the instance directly
        values["id"], values["objective_id"], values["order"] = map(int, match.groups())
        values["_line"], values["_labels"] = line, labels
        return task

    @cached_property
    def _decoded(self) -> TaskSnapshot:
        return _decode_task(json.loads(self._line), self._labels)

    @cached_property
    def description(self) -> str:  # type: ignore[override]
        return self._decoded.description

    @cached_property
    def rows(self) -> tuple[RowSnapshot, ...]:  # type: ignore[override]
        return self._decoded.rows

    @cached_property
    def description_cy(self) -> str:  # type: ignore[override]
        return self._decoded.description_cy

    def _values(self) -> tuple[Any, ...]:
        return (self.id, self.objective_id, self.order, self.description, self.rows,
                self.description_cy)  # fmt: skip

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TaskSnapshot):
            return NotImplemented
        return self._values() == (
            other.id, other.objective_id, other.order, other.description, other.rows,
            other.description_cy,
        )  # fmt: skip

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return repr(self._decoded)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_decode_task, (json.loads(self._line), dict(self._labels)))


def _decode_task(values: list[Any], labels: Mapping[str, str]) -> TaskSnapshot:
    task_id, objective_id, order, description, rows, *welsh = values
    return TaskSnapshot(
        task_id,
        objective_id,
        order,
        description,
        tuple(
            RowSnapshot(row_id, task_id, row_order, outcome, timescale, responsibility,
                        progress, labels.get(status, status), *row_welsh)
            for row_id, row_order, outcome, timescale, responsibility, progress, status,
            *row_welsh in rows
        ),
        welsh[0] if welsh else "",
    )  # fmt: skip


def _objective_fields(objective: ObjectiveSnapshot) -> tuple[Any, ...]:
    return (objective.id, objective.order, objective.number, objective.title,
            objective.statement, objective.title_cy, objective.statement_cy)  # fmt: skip


def _shared_objective(
    seen: ObjectiveSnapshot | None, fields: tuple[Any, ...], tasks: list[TaskSnapshot]
) -> ObjectiveSnapshot:
    """The objective seen in an earlier blob if nothing about it differs, else a new one."""
    if (
        seen is not None
        and _objective_fields(seen) == fields
        and len(seen.tasks) == len(tasks)
        and all(old is new for old, new in zip(seen.tasks, tasks, strict=True))
    ):
        return seen
    objective_id, order, number, title, statement, title_cy, statement_cy = fields
    return ObjectiveSnapshot(objective_id, order, number, title, statement, tuple(tasks),
                             title_cy, statement_cy)  # fmt: skip


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
