"""Pure comparison of plan versions: word-level text diffs and snapshot change trees.

Nothing here touches the database. :mod:`plans.selectors` builds :class:`PlanSnapshot` objects
from the history tables; this module compares two of them into a :class:`PlanChanges` tree that
the "changes in blue" report renders. Child matching follows Wagtail's revision comparison:
children are matched by primary key and are added, removed, moved or changed.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from operator import attrgetter
from typing import Any, ClassVar, Generic, TypeVar

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words, runs of whitespace (newlines included) and single punctuation marks: joining the
# tokens gives back the text exactly, so unchanged text keeps its line breaks.
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Split text into word, whitespace and punctuation tokens that join back to the text."""
    return _TOKEN.findall(text or "")


# The most token pairs the word diff hands difflib for one field. difflib's matcher costs about
# the product of the two token counts, more on repetitive text ("a b a b ..." against
# "b a b a ..."), so past this a changed middle is shown as one replacement (old struck
# through, new inserted) instead of word by word: at most ~50 ms a field, measured on random
# and repetitive text. A count, not a clock, so the same two texts always give the same report.
# Prose rarely comes near it: the common start and end are matched first, and a long middle is
# split at words that occur once in each text (as patience diff does): only the gaps count.
DIFF_MAX_TOKEN_PAIRS = 250_000


Opcodes = list[tuple[str, list[str], list[str]]]


def _wrap(tag: str, tokens: Sequence[str]) -> str:
    # Every piece of user text goes through escape() before it meets markup.
    return f"<{tag}>{escape(''.join(tokens))}</{tag}>"


def diff_opcodes(old: str, new: str) -> list[tuple[str, list[str], list[str]]]:
    """The word-level edit script from old to new as (operation, old tokens, new tokens).

    Whitespace-only runs between two changes are folded into the changes, so "a b c" -> "x y z"
    reads as one replacement instead of three with blanks kept between them. A changed middle
    too big to compare word by word (:data:`DIFF_MAX_TOKEN_PAIRS`) is one replacement.
    """
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    # Most edits append or change a few words: match the common ends first, so difflib only
    # looks at the middle (it is quadratic in what it is given).
    prefix = 0
    limit = min(len(old_tokens), len(new_tokens))
    while prefix < limit and old_tokens[prefix] == new_tokens[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < limit - prefix
        and old_tokens[len(old_tokens) - 1 - suffix] == new_tokens[len(new_tokens) - 1 - suffix]
    ):
        suffix += 1
    old_middle = old_tokens[prefix : len(old_tokens) - suffix]
    new_middle = new_tokens[prefix : len(new_tokens) - suffix]
    merged: list[tuple[str, list[str], list[str]]] = []
    if prefix:
        merged.append(("equal", old_tokens[:prefix], new_tokens[:prefix]))
    merged.extend(_middle_opcodes(old_middle, new_middle))
    if suffix:
        merged.append(
            (
                "equal",
                old_tokens[len(old_tokens) - suffix :],
                new_tokens[len(new_tokens) - suffix :],
            )
        )
    # Join neighbouring equal runs (the anchored middle yields several), so an equal run is
    # always followed by a change: the folding below relies on it.
    joined: Opcodes = []
    for operation, old_part, new_part in merged:
        if operation == "equal" and joined and joined[-1][0] == "equal":
            joined[-1] = ("equal", joined[-1][1] + old_part, joined[-1][2] + new_part)
        else:
            joined.append((operation, old_part, new_part))
    merged = joined
    # A change's token lists are copied once and then extended in place: joining by "+" on
    # every step would be quadratic in the number of changes.
    folded: Opcodes = []
    index = 0
    while index < len(merged):
        operation, old_part, new_part = merged[index]
        is_gap = (
            operation == "equal"
            and 0 < index < len(merged) - 1
            and all(token.isspace() for token in old_part)
            and "\n" not in "".join(old_part)
        )
        if is_gap and folded and folded[-1][0] != "equal":
            _, next_old, next_new = merged[index + 1]
            folded[-1][1].extend(old_part + next_old)
            folded[-1][2].extend(new_part + next_new)
            if folded[-1][0] != "replace":
                folded[-1] = ("replace", folded[-1][1], folded[-1][2])
            index += 2
            continue
        if operation != "equal" and folded and folded[-1][0] != "equal":
            folded[-1][1].extend(old_part)
            folded[-1][2].extend(new_part)
            if folded[-1][0] != "replace":
                folded[-1] = ("replace", folded[-1][1], folded[-1][2])
        else:
            folded.append((operation, list(old_part), list(new_part)))
        index += 1
    return folded


def _matcher_opcodes(old_tokens: list[str], new_tokens: list[str]) -> Opcodes:
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    return [
        (operation, old_tokens[old_start:old_end], new_tokens[new_start:new_end])
        for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes()
    ]


def _unique_anchors(old_tokens: list[str], new_tokens: list[str]) -> list[tuple[int, int]]:
    """Positions (old, new) of words found exactly once in each text, the longest run of them
    in the same order in both (patience diff's anchors). Linear plus k log k."""
    seen_old: dict[str, int] = {}
    for index, token in enumerate(old_tokens):
        seen_old[token] = -1 if token in seen_old else index
    seen_new: dict[str, int] = {}
    for index, token in enumerate(new_tokens):
        seen_new[token] = -1 if token in seen_new else index
    pairs = [
        (index, seen_new[token])
        for token, index in seen_old.items()
        if index >= 0 and seen_new.get(token, -1) >= 0
    ]
    pairs.sort()
    # Longest increasing run of new positions (patience sorting), with back links.
    tops: list[int] = []  # new position ending the best run of each length
    top_index: list[int] = []
    back: list[int] = []
    for position, (_old, new) in enumerate(pairs):
        length = bisect.bisect_left(tops, new)
        back.append(top_index[length - 1] if length else -1)
        if length == len(tops):
            tops.append(new)
            top_index.append(position)
        else:
            tops[length], top_index[length] = new, position
    anchors = []
    position = top_index[-1] if top_index else -1
    while position >= 0:
        anchors.append(pairs[position])
        position = back[position]
    return anchors[::-1]


def _middle_opcodes(old_tokens: list[str], new_tokens: list[str]) -> Opcodes:
    """The edit script of the changed middle within DIFF_MAX_TOKEN_PAIRS compared pairs: word
    by word when small enough; else split at words found once in each text and compared gap by
    gap while the budget lasts; what the budget cannot cover is one replacement."""
    if len(old_tokens) * len(new_tokens) <= DIFF_MAX_TOKEN_PAIRS:
        return _matcher_opcodes(old_tokens, new_tokens)
    budget = DIFF_MAX_TOKEN_PAIRS
    result: Opcodes = []
    old_start = new_start = 0
    for old_at, new_at in [*_unique_anchors(old_tokens, new_tokens),
                           (len(old_tokens), len(new_tokens))]:  # fmt: skip
        old_gap, new_gap = old_tokens[old_start:old_at], new_tokens[new_start:new_at]
        cost = len(old_gap) * len(new_gap)
        if cost <= budget:
            budget -= cost
            result.extend(_matcher_opcodes(old_gap, new_gap) if old_gap or new_gap else [])
        else:
            result.append(("replace", old_gap, new_gap))
        if old_at < len(old_tokens):
            result.append(("equal", [old_tokens[old_at]], [new_tokens[new_at]]))
        old_start, new_start = old_at + 1, new_at + 1
    return result


def diff_html(old: str | None, new: str | None) -> SafeString:
    """Escaped HTML of ``new`` with words inserted since ``old`` in ``<ins>`` and words removed
    in ``<del>``. Newlines are kept as they are (the report shows them with CSS pre-line)."""
    old, new = old or "", new or ""
    if old == new:
        return SafeString(escape(new))
    parts: list[str] = []
    for operation, old_part, new_part in diff_opcodes(old, new):
        if operation == "equal":
            parts.append(escape("".join(new_part)))
            continue
        if old_part:
            parts.append(_wrap("del", old_part))
        if new_part:
            parts.append(_wrap("ins", new_part))
    return mark_safe("".join(parts))  # every fragment above is escaped


def diff_sides_html(old: str | None, new: str | None) -> tuple[SafeString, SafeString]:
    """Escaped HTML of ``old`` with the words since removed in ``<del>`` and of ``new`` with
    the words since inserted in ``<ins>``: a before -> after pair for a change history."""
    old, new = old or "", new or ""
    if old == new:
        return SafeString(escape(old)), SafeString(escape(new))
    before: list[str] = []
    after: list[str] = []
    for operation, old_part, new_part in diff_opcodes(old, new):
        if operation == "equal":
            before.append(escape("".join(old_part)))
            after.append(escape("".join(new_part)))
            continue
        if old_part:
            before.append(_wrap("del", old_part))
        if new_part:
            after.append(_wrap("ins", new_part))
    return mark_safe("".join(before)), mark_safe("".join(after))  # every fragment is escaped


def inserted_html(text: str | None) -> SafeString:
    """Escaped HTML of text that is new as a whole (a new row or objective)."""
    if not text:
        return SafeString("")
    return mark_safe(_wrap("ins", [text]))  # escaped by _wrap


def deleted_html(text: str | None) -> SafeString:
    """Escaped HTML of text that was removed as a whole."""
    if not text:
        return SafeString("")
    return mark_safe(_wrap("del", [text]))  # escaped by _wrap


# --- Snapshots ------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class TaskSnapshot:
    id: int
    objective_id: int
    order: int
    description: str = ""
    rows: tuple[RowSnapshot, ...] = ()


@dataclass(frozen=True)
class ObjectiveSnapshot:
    id: int
    order: int
    number: int | str = ""
    title: str = ""
    statement: str = ""
    tasks: tuple[TaskSnapshot, ...] = ()

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
            )
        )
    return PlanSnapshot(plan_id=plan_id, objectives=tuple(built))


# --- Change tree ----------------------------------------------------------------------------


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"
    UNCHANGED = "unchanged"


UNCHANGED = ChangeKind.UNCHANGED


ROW_FIELDS = ("outcome", "timescale", "responsibility", "progress", "status")
TASK_FIELDS = ("description",)
OBJECTIVE_FIELDS = ("number", "title", "statement")
_row_values = attrgetter(*ROW_FIELDS)
_task_values = attrgetter(*TASK_FIELDS)
_objective_values = attrgetter(*OBJECTIVE_FIELDS)


class FieldChange:
    """One field of an item in both versions, with its word-level diff (made when first
    rendered: most fields of a big plan are unchanged and only need escaping)."""

    __slots__ = ("_html", "name", "new", "old")
    mode = "diff"

    def __init__(self, name: str, old: str, new: str) -> None:
        self.name, self.old, self.new = name, old, new
        self._html: SafeString | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {self.old!r}, {self.new!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldChange) and (self.mode, self.name, self.old, self.new) == (
            other.mode,
            other.name,
            other.old,
            other.new,
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def html(self) -> SafeString:
        if self._html is None:
            self._html = self._render()
        return self._html

    def _render(self) -> SafeString:
        return diff_html(self.old, self.new)

    @property
    def new_html(self) -> SafeString:
        """The new text only, escaped: for the view with deletions hidden."""
        return escape(self.new)

    def __str__(self) -> str:
        return str(self.html)


class _AddedField(FieldChange):
    """A field of an item that is new as a whole."""

    __slots__ = ()
    mode = "added"

    def _render(self) -> SafeString:
        return inserted_html(self.new)


class _RemovedField(FieldChange):
    """A field of an item that was removed as a whole."""

    __slots__ = ()
    mode = "removed"

    def _render(self) -> SafeString:
        return deleted_html(self.old)


def _text(item: Any, name: str) -> str:
    value = getattr(item, name)
    return value if isinstance(value, str) else str(value or "")


def _field_changes(
    names: Sequence[str], old: Any | None, new: Any | None
) -> dict[str, FieldChange]:
    if old is None:
        return {name: _AddedField(name, "", _text(new, name)) for name in names}
    if new is None:
        return {name: _RemovedField(name, _text(old, name), "") for name in names}
    return {name: FieldChange(name, _text(old, name), _text(new, name)) for name in names}


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
        return _field_changes(self.FIELD_NAMES, self.old, self.new)

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


class _SharedTaskChange(TaskChange):
    """A task that is the very same object in both snapshots (stored snapshots share the tasks
    untouched between two updates): its rows are all there, unchanged and in place, so their
    changes are made when first read (a report rendered from the cache never reads them).
    Otherwise a :class:`TaskChange` like any other (equal to one with the same values)."""

    def __init__(
        self,
        kind: ChangeKind,
        old: TaskSnapshot | None,
        new: TaskSnapshot | None,
        moved: bool = False,
        moved_from: str = "",
        rows: list[RowChange] | None = None,
    ) -> None:
        self.kind, self.old, self.new, self.moved, self.moved_from = (
            kind, old, new, moved, moved_from
        )  # fmt: skip
        if rows is not None:  # dataclasses.replace(change, rows=...)
            self.__dict__["rows"] = rows

    @cached_property
    def rows(self) -> list[RowChange]:  # type: ignore[override]
        task = self.new if self.new is not None else self.old
        return [RowChange(kind=UNCHANGED, old=row, new=row) for row in task.rows]  # type: ignore[union-attr]

    @property
    def has_changes(self) -> bool:
        if "rows" in self.__dict__:
            return super().has_changes
        return self.kind != ChangeKind.UNCHANGED  # its rows are all unchanged

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


def compare_snapshots(old: PlanSnapshot | None, new: PlanSnapshot) -> PlanChanges:
    """Compare two snapshots of a plan (``old`` None: everything is new)."""
    old = old or PlanSnapshot(plan_id=new.plan_id)
    old_objectives = {objective.id: objective for objective in old.objectives}
    old_task_list = [task for objective in old.objectives for task in objective.tasks]
    new_task_list = [task for objective in new.objectives for task in objective.tasks]
    old_tasks = {task.id: task for task in old_task_list}
    new_task_ids = {task.id for task in new_task_list}
    # A task that is the very same object in both snapshots (stored snapshots share untouched
    # tasks) keeps all its rows, in place. A row's id is in one task only, so none of its rows
    # moved to or from another task, was added or removed: the row indexes below leave them
    # out, and their rows are never read.
    old_objects = {id(task) for task in old_task_list}
    shared = {id(task) for task in new_task_list if id(task) in old_objects}
    old_rows = {row.id: row for task in old_task_list if id(task) not in shared
                for row in task.rows}  # fmt: skip
    new_row_ids = {row.id for task in new_task_list if id(task) not in shared
                   for row in task.rows}  # fmt: skip
    new_objective_ids = {objective.id for objective in new.objectives}
    objective_counts, task_counts, row_counts = ChangeCounts(), ChangeCounts(), ChangeCounts()

    def make_row(
        previous: RowSnapshot | None, current: RowSnapshot | None, moved: bool, how: str
    ) -> RowChange:
        changed = (
            previous is not None
            and current is not None
            and previous is not current
            and _row_values(previous) != _row_values(current)
        )
        change = RowChange(
            kind=_kind(previous is None, current is None, changed, moved),
            old=previous,
            new=current,
            moved=moved,
        )
        if how == "parent" and previous is not None:
            source = old_tasks.get(previous.task_id)
            change.moved_from_task = source.description if source else ""
            source_objective = old_objectives.get(source.objective_id) if source else None
            change.moved_from = source_objective.label if source_objective else ""
        _count(row_counts, change)
        return change

    def rows_of(previous: TaskSnapshot | None, current: TaskSnapshot | None) -> list[RowChange]:
        if current is None:
            if previous is None:
                return []
            # Rows that moved to another task are shown there, not as removed here.
            return [make_row(row, None, False, "") for row in previous.rows
                    if row.id not in new_row_ids]  # fmt: skip
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
            change = _SharedTaskChange(kind=_kind(False, False, False, moved), old=previous,
                                       new=current, moved=moved)  # fmt: skip
        else:
            changed = (
                previous is not None
                and current is not None
                and _task_values(previous) != _task_values(current)
            )
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
            return [_SharedTaskChange(kind=UNCHANGED, old=task, new=task)
                    for task in current.tasks]  # fmt: skip
        if current is None:
            if previous is None:
                return []
            return [make_task(task, None, False, "") for task in previous.tasks
                    if task.id not in new_task_ids]  # fmt: skip
        return _siblings_changes(
            previous.tasks if previous else (),
            current.tasks,
            old_tasks,
            make_task,
            lambda task: task.objective_id,
            current.id,
            lambda task: task.id not in new_task_ids,
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
