"""The change tree: two plan snapshots compared into objectives, tasks and rows that are added,
removed, moved or changed (field by field, with word-level diffs). Children are matched by
primary key, as in Wagtail's revision comparison. Pure: nothing here touches the database."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from operator import attrgetter
from typing import Any, ClassVar, Generic, TypeVar

from plans.diffing.fields import FieldChange, field_changes
from plans.diffing.snapshot import ObjectiveSnapshot, PlanSnapshot, RowSnapshot, TaskSnapshot


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"
    UNCHANGED = "unchanged"


UNCHANGED = ChangeKind.UNCHANGED


# Each text has a Welsh twin (``_cy``) compared on its own: read in Welsh, the report shows the
# Welsh words' changes (see plans.templatetags.plan_reports.bi_change).
ROW_FIELDS = ("outcome", "timescale", "responsibility", "progress", "status",
              "outcome_cy", "timescale_cy", "responsibility_cy", "progress_cy")  # fmt: skip


TASK_FIELDS = ("description", "description_cy")


OBJECTIVE_FIELDS = ("number", "title", "statement", "title_cy", "statement_cy")


_row_values = attrgetter(*ROW_FIELDS)


_task_values = attrgetter(*TASK_FIELDS)


_objective_values = attrgetter(*OBJECTIVE_FIELDS)


def _texts_differ(old: Any, new: Any, values: Callable[[Any], tuple[Any, ...]]) -> bool:
    """Whether two versions of a row or task differ in their texts: by their stored lines
    when both were read from stored snapshots (equal lines, equal texts), else field by
    field."""
    old_line, new_line = old.stored_line, new.stored_line
    if old_line is not None and new_line is not None:
        return old_line != new_line
    return values(old) != values(new)


ItemT = TypeVar("ItemT")


@dataclass
class _Change(Generic[ItemT]):
    kind: ChangeKind
    old: ItemT | None
    new: ItemT | None
    moved: bool = False  # to another parent, or reordered among its siblings
    moved_from: str = ""  # where it came from, when its parent changed (e.g. objective "2")

    FIELD_NAMES: ClassVar[tuple[str, ...]] = ()

    @cached_property
    def fields(self) -> dict[str, FieldChange]:
        """Each field in both versions; the word diffs are made when first rendered."""
        return field_changes(self.FIELD_NAMES, self.old, self.new)

    @property
    def item(self) -> ItemT:
        # The version shown: the new one, or the old one for removed items.
        return self.new if self.new is not None else self.old  # type: ignore[return-value]

    @property
    def id(self) -> int:
        return self.item.id  # type: ignore[attr-defined]

    @property
    def is_added(self) -> bool:
        return self.kind == ChangeKind.ADDED

    @property
    def is_removed(self) -> bool:
        return self.kind == ChangeKind.REMOVED

    @property
    def fields_changed(self) -> bool:
        return self.kind == ChangeKind.CHANGED


@dataclass
class RowChange(_Change[RowSnapshot]):
    FIELD_NAMES: ClassVar[tuple[str, ...]] = ROW_FIELDS
    moved_from_task: str = ""  # the description of the task it came from
    moved_from_task_cy: str = ""  # and its Welsh

    @property
    def has_changes(self) -> bool:
        return self.kind != ChangeKind.UNCHANGED


@dataclass
class TaskChange(_Change[TaskSnapshot]):
    FIELD_NAMES: ClassVar[tuple[str, ...]] = TASK_FIELDS
    rows: list[RowChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return self.kind != ChangeKind.UNCHANGED or any(row.has_changes for row in self.rows)


class _LazyRowsTaskChange(TaskChange):
    """A task whose rows are the same ones, in the same order, in both snapshots, and whose
    row changes are made when first read (a report rendered from the cache never reads them):
    the very same task object in both (stored snapshots share the tasks untouched between two
    updates: every row unchanged), or a task read from both stored snapshots, whose rows with
    changed texts were counted from their stored lines (``changed_rows``).
    Otherwise a :class:`TaskChange` like any other (equal to one with the same values)."""

    def __init__(
        self,
        kind: ChangeKind,
        old: TaskSnapshot | None,
        new: TaskSnapshot | None,
        moved: bool = False,
        moved_from: str = "",
        rows: list[RowChange] | None = None,
        changed_rows: int = 0,
    ) -> None:
        self.kind, self.old, self.new, self.moved, self.moved_from = (
            kind, old, new, moved, moved_from
        )  # fmt: skip
        self.changed_rows = changed_rows
        if rows is not None:  # dataclasses.replace(change, rows=...)
            self.__dict__["rows"] = rows

    @cached_property
    def rows(self) -> list[RowChange]:  # type: ignore[override]
        if self.old is self.new or self.old is None or self.new is None:
            task = self.new if self.new is not None else self.old
            return [RowChange(kind=UNCHANGED, old=row, new=row) for row in task.rows]  # type: ignore[union-attr]
        return [
            RowChange(
                kind=ChangeKind.CHANGED
                if old is not new and _texts_differ(old, new, _row_values)
                else UNCHANGED,
                old=old,
                new=new,
            )
            for old, new in zip(self.old.rows, self.new.rows, strict=True)
        ]

    @property
    def has_changes(self) -> bool:
        if "rows" in self.__dict__:
            return super().has_changes
        return self.kind != ChangeKind.UNCHANGED or self.changed_rows > 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TaskChange):
            return NotImplemented
        return (self.kind, self.old, self.new, self.moved, self.moved_from, self.rows) == (
            other.kind, other.old, other.new, other.moved, other.moved_from, other.rows
        )  # fmt: skip

    __hash__ = None  # type: ignore[assignment]


@dataclass
class ObjectiveChange(_Change[ObjectiveSnapshot]):
    FIELD_NAMES: ClassVar[tuple[str, ...]] = OBJECTIVE_FIELDS
    tasks: list[TaskChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return self.kind != ChangeKind.UNCHANGED or any(task.has_changes for task in self.tasks)

    @property
    def row_count(self) -> int:
        return sum(len(task.rows) for task in self.tasks)


@dataclass
class ChangeCounts:
    added: int = 0
    removed: int = 0
    changed: int = 0
    moved: int = 0

    @property
    def total(self) -> int:
        return self.added + self.removed + self.changed + self.moved


@dataclass
class PlanChanges:
    """The difference between two snapshots of one plan, laid out in the newer one's order
    with removed items kept where they used to be."""

    objectives: list[ObjectiveChange]
    objective_counts: ChangeCounts
    task_counts: ChangeCounts
    row_counts: ChangeCounts

    @property
    def has_changes(self) -> bool:
        return bool(self.objective_counts.total + self.task_counts.total + self.row_counts.total)

    def changed_only(self) -> list[ObjectiveChange]:
        """Only the objectives, tasks and rows with a change (for the "changes only" view)."""
        result = []
        for objective in self.objectives:
            if not objective.has_changes:
                continue
            tasks = []
            for task in objective.tasks:
                if not task.has_changes:
                    continue
                rows = [row for row in task.rows if row.has_changes]
                tasks.append(_replace_children(task, rows=rows))
            result.append(_replace_children(objective, tasks=tasks))
        return result


def _replace_children(change: Any, **children: Any) -> Any:
    from dataclasses import replace

    return replace(change, **children)


def _stored_row_keys(
    old: TaskSnapshot | None, new: TaskSnapshot | None
) -> tuple[list[str], list[str]] | None:
    """The stored lines of both tasks' rows, when both were read from stored snapshots and
    hold the same rows in the same order (see :meth:`TaskSnapshot.stored_rows`); else None."""
    if old is None or new is None or old.id != new.id:
        return None
    old_rows, new_rows = old.stored_rows(), new.stored_rows()
    if old_rows is None or new_rows is None or old_rows[0] != new_rows[0]:
        return None
    return old_rows[1], new_rows[1]


def _stable_ids(old_ids: Sequence[int], new_ids: Sequence[int]) -> set[int]:
    """The ids that kept their relative order: the longest common subsequence of both lists.

    Anything else present in both was reordered. Using the LCS means inserting one row does not
    mark every row after it as moved."""
    if list(old_ids) == list(new_ids):
        return set(old_ids)
    matcher = difflib.SequenceMatcher(None, list(old_ids), list(new_ids), autojunk=False)
    stable: set[int] = set()
    for block in matcher.get_matching_blocks():
        stable.update(old_ids[block.a : block.a + block.size])
    return stable


def _merge_removed(
    new_entries: list[Any],
    old_siblings: Sequence[Any],
    removed: dict[int, Any],
) -> list[Any]:
    """Place removed items after the old sibling they used to follow."""
    if not removed:
        return new_entries
    result = list(new_entries)
    position = {entry.id: index for index, entry in enumerate(result)}
    previous_id: int | None = None
    insert_at = 0
    for sibling in old_siblings:
        if sibling.id in removed:
            if previous_id is not None and previous_id in position:
                insert_at = position[previous_id] + 1
            result.insert(insert_at, removed[sibling.id])
            insert_at += 1
            position = {entry.id: index for index, entry in enumerate(result)}
            previous_id = sibling.id
        else:
            previous_id = sibling.id
            if sibling.id in position:
                insert_at = position[sibling.id] + 1
    return result


def _kind(added: bool, removed: bool, changed: bool, moved: bool) -> ChangeKind:
    if added:
        return ChangeKind.ADDED
    if removed:
        return ChangeKind.REMOVED
    if changed:
        return ChangeKind.CHANGED
    if moved:
        return ChangeKind.MOVED
    return ChangeKind.UNCHANGED


def _count(counts: ChangeCounts, change: _Change[Any]) -> None:
    if change.kind == ChangeKind.ADDED:
        counts.added += 1
    elif change.kind == ChangeKind.REMOVED:
        counts.removed += 1
    else:
        if change.fields_changed:
            counts.changed += 1
        if change.moved:
            counts.moved += 1


def _siblings_changes(
    old_items: Sequence[Any],
    new_items: Sequence[Any],
    old_index: dict[int, Any],
    make: Callable[[Any | None, Any | None, bool, str], Any],
    parent_of: Callable[[Any], int],
    new_parent_id: int,
    is_removed_here: Callable[[Any], bool],
) -> list[Any]:
    """Changes of one parent's children: new children in order, removed ones merged back."""
    old_ids_here = [item.id for item in old_items]
    new_ids_kept_here = [
        item.id
        for item in new_items
        if item.id in old_index and parent_of(old_index[item.id]) == new_parent_id
    ]
    kept = set(new_ids_kept_here)
    stable = _stable_ids([item_id for item_id in old_ids_here if item_id in kept],
                         new_ids_kept_here)  # fmt: skip
    entries = []
    for item in new_items:
        previous = old_index.get(item.id)
        if previous is None:
            entries.append(make(None, item, False, ""))
            continue
        moved_parent = parent_of(previous) != new_parent_id
        moved = moved_parent or item.id not in stable
        entries.append(make(previous, item, moved, "parent" if moved_parent else ""))
    removed = {item.id: make(item, None, False, "") for item in old_items if is_removed_here(item)}
    return _merge_removed(entries, old_items, removed)


class _Indexes:
    """What the general matching of :func:`compare_snapshots` looks up, made when first
    needed: most comparisons of stored snapshots (same tasks and rows, in the same order)
    never need the row indexes, and the task indexes only where tasks were added, removed or
    reordered."""

    def __init__(self, old: PlanSnapshot, new: PlanSnapshot) -> None:
        self.old, self.new = old, new

    @cached_property
    def old_task_list(self) -> list[TaskSnapshot]:
        return [task for objective in self.old.objectives for task in objective.tasks]

    @cached_property
    def new_task_list(self) -> list[TaskSnapshot]:
        return [task for objective in self.new.objectives for task in objective.tasks]

    @cached_property
    def old_tasks(self) -> dict[int, TaskSnapshot]:
        return {task.id: task for task in self.old_task_list}

    @cached_property
    def new_task_ids(self) -> set[int]:
        return {task.id for task in self.new_task_list}

    @cached_property
    def shared(self) -> set[int]:
        # A task that is the very same object in both snapshots (stored snapshots share
        # untouched tasks) keeps all its rows, in place. A row's id is in one task only, so
        # none of its rows moved to or from another task, was added or removed: the row
        # indexes below leave them out, and their rows are never read.
        old_objects = {id(task) for task in self.old_task_list}
        return {id(task) for task in self.new_task_list if id(task) in old_objects}

    @cached_property
    def old_rows(self) -> dict[int, RowSnapshot]:
        return {row.id: row for task in self.old_task_list if id(task) not in self.shared
                for row in task.rows}  # fmt: skip

    @cached_property
    def new_row_ids(self) -> set[int]:
        return {row.id for task in self.new_task_list if id(task) not in self.shared
                for row in task.rows}  # fmt: skip


def compare_snapshots(old: PlanSnapshot | None, new: PlanSnapshot) -> PlanChanges:
    """Compare two snapshots of a plan (``old`` None: everything is new)."""
    old = old or PlanSnapshot(plan_id=new.plan_id)
    old_objectives = {objective.id: objective for objective in old.objectives}
    index = _Indexes(old, new)
    new_objective_ids = {objective.id for objective in new.objectives}
    objective_counts, task_counts, row_counts = ChangeCounts(), ChangeCounts(), ChangeCounts()

    def make_row(
        previous: RowSnapshot | None, current: RowSnapshot | None, moved: bool, how: str
    ) -> RowChange:
        changed = (
            previous is not None
            and current is not None
            and previous is not current
            and _texts_differ(previous, current, _row_values)
        )
        change = RowChange(
            kind=_kind(previous is None, current is None, changed, moved),
            old=previous,
            new=current,
            moved=moved,
        )
        if how == "parent" and previous is not None:
            source = index.old_tasks.get(previous.task_id)
            change.moved_from_task = source.description if source else ""
            change.moved_from_task_cy = source.description_cy if source else ""
            source_objective = old_objectives.get(source.objective_id) if source else None
            change.moved_from = source_objective.label if source_objective else ""
        _count(row_counts, change)
        return change

    def rows_of(previous: TaskSnapshot | None, current: TaskSnapshot | None) -> list[RowChange]:
        if current is None:
            if previous is None:
                return []
            # Rows that moved to another task are shown there, not as removed here.
            new_row_ids = index.new_row_ids
            return [make_row(row, None, False, "") for row in previous.rows
                    if row.id not in new_row_ids]  # fmt: skip
        if previous is not None and previous.id == current.id:
            old_list, new_list = previous.rows, current.rows
            if [row.id for row in old_list] == [row.id for row in new_list]:
                # The same rows in the same order (the usual case): none added, removed or
                # moved, so the general matching below is not needed.
                return [make_row(old, new, False, "")
                        for old, new in zip(old_list, new_list, strict=True)]  # fmt: skip
        old_rows, new_row_ids = index.old_rows, index.new_row_ids
        return _siblings_changes(
            previous.rows if previous else (),
            current.rows,
            old_rows,
            make_row,
            lambda row: row.task_id,
            current.id,
            lambda row: row.id not in new_row_ids,
        )

    def make_task(
        previous: TaskSnapshot | None, current: TaskSnapshot | None, moved: bool, how: str
    ) -> TaskChange:
        change: TaskChange
        if previous is current and current is not None:
            # The same object in both: its rows are unchanged and in place (made when read).
            change = _LazyRowsTaskChange(kind=_kind(False, False, False, moved), old=previous,
                                       new=current, moved=moved)  # fmt: skip
        else:
            changed = (
                previous is not None
                and current is not None
                and _texts_differ(previous, current, _task_values)
            )
            kind = _kind(previous is None, current is None, changed, moved)
            keys = _stored_row_keys(previous, current)
            if keys is not None:
                # Both read from stored snapshots with the same rows in the same order: the
                # rows whose texts changed are counted from their lines, made when read.
                changed_rows = sum(old != new for old, new in zip(*keys, strict=True))
                row_counts.changed += changed_rows
                change = _LazyRowsTaskChange(kind=kind, old=previous, new=current, moved=moved,
                                             changed_rows=changed_rows)  # fmt: skip
                if how == "parent" and previous is not None:
                    source = old_objectives.get(previous.objective_id)
                    change.moved_from = source.label if source else ""
                _count(task_counts, change)
                return change
            change = TaskChange(
                kind=_kind(previous is None, current is None, changed, moved),
                old=previous,
                new=current,
                moved=moved,
                rows=rows_of(previous, current),
            )
        if how == "parent" and previous is not None:
            source = old_objectives.get(previous.objective_id)
            change.moved_from = source.label if source else ""
        _count(task_counts, change)
        return change

    def tasks_of(
        previous: ObjectiveSnapshot | None, current: ObjectiveSnapshot | None
    ) -> list[TaskChange]:
        if previous is current and current is not None:
            return [_LazyRowsTaskChange(kind=UNCHANGED, old=task, new=task)
                    for task in current.tasks]  # fmt: skip
        if current is None:
            if previous is None:
                return []
            return [make_task(task, None, False, "") for task in previous.tasks
                    if task.id not in index.new_task_ids]  # fmt: skip
        if previous is not None and previous.id == current.id:
            old_list, new_list = previous.tasks, current.tasks
            if [task.id for task in old_list] == [task.id for task in new_list]:
                # The same tasks in the same order: as for rows above.
                return [
                    _LazyRowsTaskChange(kind=UNCHANGED, old=old, new=new) if old is new
                    else make_task(old, new, False, "")
                    for old, new in zip(old_list, new_list, strict=True)
                ]  # fmt: skip
        return _siblings_changes(
            previous.tasks if previous else (),
            current.tasks,
            index.old_tasks,
            make_task,
            lambda task: task.objective_id,
            current.id,
            lambda task: task.id not in index.new_task_ids,
        )

    def make_objective(
        previous: ObjectiveSnapshot | None,
        current: ObjectiveSnapshot | None,
        moved: bool,
        how: str,
    ) -> ObjectiveChange:
        changed = (
            previous is not None
            and current is not None
            and previous is not current
            and _objective_values(previous) != _objective_values(current)
        )
        change = ObjectiveChange(
            kind=_kind(previous is None, current is None, changed, moved),
            old=previous,
            new=current,
            moved=moved,
            tasks=tasks_of(previous, current),
        )
        _count(objective_counts, change)
        return change

    objectives = _siblings_changes(
        old.objectives,
        new.objectives,
        old_objectives,
        make_objective,
        lambda objective: 0,
        0,
        lambda objective: objective.id not in new_objective_ids,
    )
    return PlanChanges(
        objectives=objectives,
        objective_counts=objective_counts,
        task_counts=task_counts,
        row_counts=row_counts,
    )
