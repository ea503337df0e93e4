"""Stored snapshots of issued updates: the plan as it stood at an update, kept as JSON lines
(text, no pickle) in :class:`plans.models.UpdateSnapshot`.

An issued update is frozen, so its snapshot never changes: it is stored when the update is
issued (or, for updates issued before snapshots were stored, the first time a report needs it)
and a report between two issued updates diffs two stored snapshots instead of scanning the
history tables. The history stays the source of truth: a stored snapshot equals the one
rebuilt from history at the update's ``issued_at`` (tested), and bumping
:data:`SNAPSHOT_SCHEMA` makes every snapshot be rebuilt from history on next use.

Format (schema 3): lines of JSON separated by ``\\n`` (JSON escapes newlines inside text).
Not compressed: zlib cost more to decompress than it saved in reading; on PostgreSQL the
column is stored uncompressed too (``STORAGE EXTERNAL``, migration 0003), as decompressing
TOAST on every read tripled the time to fetch a snapshot.

- line 0, the skeleton: ``[[objective id, order, number, title, statement, title_cy,
  statement_cy, [[task id, order, [row id, order, row id, order, ...]], ...]], ...]``;
- line 1, the update before, if there was one: ``[its id, its skeleton (0: the same as line
  0), tasks]``, one entry per task of its skeleton: ``k`` when it is task ``k`` (in skeleton
  order) of this snapshot, unchanged and in the same place, else the references of its text
  lines, ``[task ref, row ref, ...]``: ``i >= 0`` is text line ``i`` below, ``-1 - j`` the
  ``j``-th extra line (its text as it was). Else ``[]``;
- line 2: where each text line and extra line starts, counted from the start of line 3
  (one more: where the last one ends), so a report reads only the lines it needs;
- then the text lines, one per task followed by one per row of it, in skeleton order: a task
  ``[description]`` (``[description, description_cy]`` when translated), a row
  ``[outcome, timescale, responsibility, progress, status value]`` (plus ``outcome_cy,
  timescale_cy, responsibility_cy, progress_cy`` when one of them is not empty);
- then the extra lines.

The report of Update N against N-1 thus reads one stored value. Why this shape (schema 2 had
one line per task and no index): comparing two updates where a tenth of the rows changed
parses only those rows' lines, and what both updates share was found when storing, so it is
one object in both snapshots (:class:`_StoredTask`, :class:`_StoredRow`), read from its line
only when something reads its text: the comparison skips it by identity, compares changed
rows by their lines, and a report rendered from the cache parses none. Statuses are stored
as values and labelled in the reader's language when read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import Any

from plans.diffing import ObjectiveSnapshot, PlanSnapshot, RowSnapshot, TaskSnapshot
from plans.models import UpdateSnapshot

SNAPSHOT_SCHEMA = 3
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_ROW_TEXTS = ("outcome", "timescale", "responsibility", "progress", "status",
              "outcome_cy", "timescale_cy", "responsibility_cy", "progress_cy")  # fmt: skip
_WELSH_BLANK = ("", "", "", "")


def _encode(snapshot: PlanSnapshot) -> tuple[list[Any], list[str]]:
    """The skeleton and the text lines of a snapshot whose rows carry status values."""
    skeleton, lines = [], []
    for objective in snapshot.objectives:
        tasks = []
        for task in objective.tasks:
            rows = [number for row in task.rows for number in (row.id, row.order)]
            tasks.append([task.id, task.order, rows])
            description = [task.description]
            if task.description_cy:
                description.append(task.description_cy)
            lines.append(_dumps(description))
            for row in task.rows:
                values = [row.outcome, row.timescale, row.responsibility, row.progress, row.status]
                welsh = [row.outcome_cy, row.timescale_cy, row.responsibility_cy, row.progress_cy]
                lines.append(_dumps(values + welsh if any(welsh) else values))
        skeleton.append([objective.id, objective.order, objective.number, objective.title,
                         objective.statement, objective.title_cy, objective.statement_cy,
                         tasks])  # fmt: skip
    return skeleton, lines


class _Texts:
    """The text lines of a stored snapshot, each cut out of the stored value when needed."""

    def __init__(self, data: str) -> None:
        first = data.index("\n")
        second = data.index("\n", first + 1)
        third = data.find("\n", second + 1)
        if third < 0:  # a plan with no tasks: no text lines
            third = len(data)
        self.data, self.base = data, third + 1
        self.skeleton_line = data[:first]
        self.skeleton = json.loads(self.skeleton_line)
        self.previous = json.loads(data[first + 1 : second])
        self.starts = json.loads(data[second + 1 : third])
        self.count = sum(1 + len(task[2]) // 2 for objective in self.skeleton
                         for task in objective[7])  # fmt: skip

    def line(self, ref: int) -> str:
        """Text line ``ref`` (``-1 - j``: extra line ``j``)."""
        index = ref if ref >= 0 else self.count - 1 - ref
        base = self.base
        return self.data[base + self.starts[index] : base + self.starts[index + 1] - 1]

    def lines(self) -> list[str]:
        return [self.line(index) for index in range(self.count)]


def encode_snapshot(snapshot: PlanSnapshot, previous: tuple[int, str] | None = None) -> str:
    """The stored form of a snapshot whose rows carry status values (not labels).

    ``previous``: the id and stored form of the update before, whose plan is then kept too,
    as references to this snapshot's tasks and text lines plus the lines that differ, so the
    usual report (Update N against N-1) reads one stored snapshot, not two."""
    skeleton, lines = _encode(snapshot)
    header = _dumps(skeleton)
    previous_line, extra = "[]", []
    if previous is not None:
        previous_id, previous_data = previous
        stored = _Texts(previous_data)
        tasks, extra = _previous_refs(skeleton, lines, stored.skeleton, stored.lines())
        same = stored.skeleton_line == header
        previous_line = _dumps([previous_id, 0 if same else stored.skeleton, tasks])
    starts = list(accumulate((len(line) + 1 for line in [*lines, *extra]), initial=0))
    return "\n".join([header, previous_line, _dumps(starts), *lines, *extra])


def _previous_refs(
    skeleton: list[Any], lines: list[str], previous_skeleton: list[Any], previous_lines: list[str]
) -> tuple[list[Any], list[str]]:
    """The previous update's tasks as references to this snapshot (see the module's
    docstring), and its extra lines."""
    places, number, position = {}, 0, 0
    for objective in skeleton:
        for task_id, order, rows in objective[7]:
            places[task_id] = (number, objective[0], order, rows, position)
            number += 1
            position += 1 + len(rows) // 2
    index = {line: position for position, line in enumerate(lines)}
    tasks, extra = [], []
    position = 0
    for objective in previous_skeleton:
        for task_id, order, rows in objective[7]:
            own = previous_lines[position : position + 1 + len(rows) // 2]
            position += len(own)
            place = places.get(task_id)
            if place is not None:
                number, objective_id, new_order, new_rows, start = place
                if (objective_id, new_order, new_rows) == (objective[0], order, rows) and (
                    lines[start : start + len(own)] == own
                ):
                    tasks.append(number)  # the same task, in the same place
                    continue
            refs = []
            for offset, line in enumerate(own):
                # The item's own line if its text is unchanged (then it is shared when read),
                # else any equal line (only saves space), else an extra line.
                if (
                    place is not None
                    and offset <= len(place[3]) // 2
                    and lines[place[4] + offset] == line
                    and (offset == 0 or place[3][2 * offset - 2] == rows[2 * offset - 2])
                ):
                    refs.append(place[4] + offset)
                elif line in index:
                    refs.append(index[line])
                else:
                    refs.append(-1 - len(extra))
                    extra.append(line)
            tasks.append(refs)
    return tasks, extra


class _Text:
    """A text field of a stored row or task: on first read the item's line is parsed and every
    text field lands in the instance's ``__dict__``, which answers from then on."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return getattr(owner.__mro__[1], self.name)  # the dataclass default
        instance._read()
        return instance.__dict__[self.name]


class _StoredRow(RowSnapshot):
    """A row whose id, task and order are known at once and whose texts are read from its
    stored line when first needed. Equal to (and hashed like) the :class:`RowSnapshot` of the
    same values; pickled as one."""

    outcome, timescale, responsibility, progress = _Text(), _Text(), _Text(), _Text()
    status, outcome_cy, timescale_cy = _Text(), _Text(), _Text()
    responsibility_cy, progress_cy = _Text(), _Text()

    @classmethod
    def make(
        cls, row_id: int, task_id: int, order: int, line: str, labels: Mapping[str, str]
    ) -> RowSnapshot:
        row = object.__new__(cls)
        values = row.__dict__  # frozen dataclass: fill the instance directly
        values["id"], values["task_id"], values["order"] = row_id, task_id, order
        values["stored_line"], values["_labels"] = line, labels
        return row

    def _read(self) -> None:
        values = self.__dict__
        texts = json.loads(values["stored_line"])
        if len(texts) == 5:
            texts += _WELSH_BLANK
        texts[4] = values.pop("_labels").get(texts[4], texts[4])
        values.update(zip(_ROW_TEXTS, texts, strict=True))

    def _values(self) -> tuple[Any, ...]:
        return (self.id, self.task_id, self.order, *(getattr(self, name) for name in _ROW_TEXTS))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RowSnapshot):
            return NotImplemented
        return self._values() == (other.id, other.task_id, other.order,
                                  *(getattr(other, name) for name in _ROW_TEXTS))  # fmt: skip

    def __hash__(self) -> int:
        return hash(self._values())

    def __reduce__(self) -> tuple[Any, ...]:
        return (RowSnapshot, self._values())


class _StoredTask(TaskSnapshot):
    """A task whose id, objective and order are known at once; its description is read from
    its stored line and its rows made when first needed. Equal to (and hashed like) the
    :class:`TaskSnapshot` of the same values; pickled as one.

    Its rows' text lines follow its own (``refs`` None) or are given by ``refs``; ``twin``:
    the same task in the newer snapshot, whose row objects it shares where a row's reference
    is that row's own line."""

    description, description_cy = _Text(), _Text()

    @classmethod
    def make(
        cls,
        texts: _Texts,
        labels: Mapping[str, str],
        objective_id: int,
        entry: list[Any],
        head: int,
        refs: list[int] | None = None,
        twin: _StoredTask | None = None,
    ) -> TaskSnapshot:
        task = object.__new__(cls)
        values = task.__dict__
        values["id"], values["order"], values["_entries"] = entry
        values["objective_id"], values["_head"], values["_refs"] = objective_id, head, refs
        values["_texts"], values["_labels"], values["_twin"] = texts, labels, twin
        return task

    @property
    def stored_line(self) -> str:  # type: ignore[override]
        # Cut out when compared or read: most tasks of a report are neither.
        values = self.__dict__
        if "_line" not in values:
            values["_line"] = values["_texts"].line(values["_head"])
        return values["_line"]

    def _row_refs(self) -> Sequence[int]:
        refs = self.__dict__["_refs"]
        if refs is None:
            head = self.__dict__["_head"]
            return range(head + 1, head + 1 + len(self.__dict__["_entries"]) // 2)
        return refs

    def stored_rows(self) -> tuple[list[int], list[str]] | None:
        line = self.__dict__["_texts"].line
        return self.__dict__["_entries"][::2], [line(ref) for ref in self._row_refs()]

    def _read(self) -> None:
        texts = json.loads(self.stored_line)
        self.__dict__["description"] = texts[0]
        self.__dict__["description_cy"] = texts[1] if len(texts) > 1 else ""

    @property
    def rows(self) -> tuple[RowSnapshot, ...]:  # type: ignore[override]
        values = self.__dict__
        if "_made_rows" not in values:
            values["_made_rows"] = self._make_rows()
        return values["_made_rows"]

    def _make_rows(self) -> tuple[RowSnapshot, ...]:
        values = self.__dict__
        texts, labels, entries, twin = (
            values["_texts"], values["_labels"], values["_entries"], values["_twin"]
        )  # fmt: skip
        shared: dict[int, RowSnapshot] = {}
        if twin is not None:  # its rows at their own lines
            shared = dict(zip(twin._row_refs(), twin.rows, strict=True))
        made = []
        for number, ref in enumerate(self._row_refs()):
            row_id, order = entries[2 * number], entries[2 * number + 1]
            row = shared.get(ref)
            if row is None or row.id != row_id or row.order != order:
                row = _StoredRow.make(row_id, self.id, order, texts.line(ref), labels)
            made.append(row)
        return tuple(made)

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
        return (f"TaskSnapshot(id={self.id!r}, objective_id={self.objective_id!r}, "
                f"order={self.order!r}, description={self.description!r}, "
                f"rows={self.rows!r}, description_cy={self.description_cy!r})")  # fmt: skip

    def __reduce__(self) -> tuple[Any, ...]:
        return (TaskSnapshot, self._values())


class _Decoder:
    """Builds snapshots from stored skeletons and text lines. An objective whose fields and
    tasks are all the same objects as in a snapshot built before by the same decoder is that
    same object too."""

    def __init__(self, plan_id: int, labels: Mapping[str, str]) -> None:
        self.plan_id, self.labels = plan_id, labels
        self.objectives_by_id: dict[int, ObjectiveSnapshot] = {}

    def snapshot(self, skeleton: list[Any], make_task: Any) -> PlanSnapshot:
        """``make_task(objective_id, task_entry, position)`` gives each task; ``position`` is
        its text line's index."""
        built, position = [], 0
        for *fields, tasks in skeleton:
            objective_tasks = []
            for entry in tasks:
                objective_tasks.append(make_task(fields[0], entry, position))
                position += 1 + len(entry[2]) // 2
            built.append(self._objective(tuple(fields), objective_tasks))
        return PlanSnapshot(plan_id=self.plan_id, objectives=tuple(built))

    def _objective(self, fields: tuple[Any, ...], tasks: list[TaskSnapshot]) -> ObjectiveSnapshot:
        objective_id, order, number, title, statement, title_cy, statement_cy = fields
        seen = self.objectives_by_id.get(objective_id)
        if (
            seen is not None
            and _objective_fields(seen) == fields
            and len(seen.tasks) == len(tasks)
            and all(old is new for old, new in zip(seen.tasks, tasks, strict=True))
        ):
            return seen
        objective = ObjectiveSnapshot(objective_id, order, number, title, statement,
                                      tuple(tasks), title_cy, statement_cy)  # fmt: skip
        self.objectives_by_id[objective_id] = objective
        return objective


def _objective_fields(objective: ObjectiveSnapshot) -> tuple[Any, ...]:
    return (objective.id, objective.order, objective.number, objective.title,
            objective.statement, objective.title_cy, objective.statement_cy)  # fmt: skip


def decode_snapshots(
    plan_id: int, blobs: Sequence[str], labels: Mapping[str, str]
) -> list[PlanSnapshot]:
    """The snapshots stored in ``blobs``, statuses labelled with ``labels``.

    A task stored identically in several blobs (place, rows and texts) becomes one shared
    object, and so does an objective whose fields and tasks are all the same."""
    decoder = _Decoder(plan_id, labels)
    seen: dict[tuple[Any, ...], TaskSnapshot] = {}
    snapshots = []
    for blob in blobs:
        texts = _Texts(blob)

        def make_task(
            objective_id: int, entry: list[Any], position: int, texts: _Texts = texts
        ) -> TaskSnapshot:
            task_id, order, rows = entry
            lines = tuple(
                texts.line(index) for index in range(position, position + 1 + len(rows) // 2)
            )
            key = (objective_id, task_id, order, tuple(rows), lines)
            if key not in seen:
                seen[key] = _StoredTask.make(texts, labels, objective_id, entry, position)
            return seen[key]

        snapshots.append(decoder.snapshot(texts.skeleton, make_task))
    return snapshots


def decode_with_previous(
    plan_id: int, blob: str, previous_id: int, labels: Mapping[str, str]
) -> tuple[PlanSnapshot, PlanSnapshot] | None:
    """The plan at update ``previous_id`` and at the update stored in ``blob``, from that one
    blob, if it keeps that previous update (see :func:`encode_snapshot`); else None.

    What both share was found when storing: a task kept whole is the newer snapshot's object,
    and so is a row of a changed task whose reference is its own line."""
    texts = _Texts(blob)
    if not texts.previous or texts.previous[0] != previous_id:
        return None
    _previous_id, previous_skeleton, task_refs = texts.previous
    decoder = _Decoder(plan_id, labels)
    new_tasks: list[TaskSnapshot] = []

    def make_new(objective_id: int, entry: list[Any], position: int) -> TaskSnapshot:
        task = _StoredTask.make(texts, labels, objective_id, entry, position)
        new_tasks.append(task)
        return task

    new = decoder.snapshot(texts.skeleton, make_new)
    by_id: dict[int, Any] = {task.id: task for task in new_tasks}
    numbered = iter(task_refs)

    def make_old(objective_id: int, entry: list[Any], _position: int) -> TaskSnapshot:
        refs = next(numbered)
        if isinstance(refs, int):
            return new_tasks[refs]
        return _StoredTask.make(texts, labels, objective_id, entry, refs[0], refs[1:],
                                by_id.get(entry[0]))  # fmt: skip

    old = decoder.snapshot(previous_skeleton or texts.skeleton, make_old)
    return old, new


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
