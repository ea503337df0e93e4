"""Comparing plan versions: snapshots of a plan and the change tree between two of them
(pure: nothing here touches the database; the word-level text diff is
:mod:`compact.platform.textdiff`)."""

from plans.diffing.changes import (
    OBJECTIVE_FIELDS,
    ROW_FIELDS,
    TASK_FIELDS,
    UNCHANGED,
    ChangeCounts,
    ChangeKind,
    ObjectiveChange,
    PlanChanges,
    RowChange,
    TaskChange,
    compare_snapshots,
)
from plans.diffing.fields import FieldChange
from plans.diffing.snapshot import (
    ObjectiveSnapshot,
    PlanSnapshot,
    RowSnapshot,
    TaskSnapshot,
    build_snapshot,
)

__all__ = [
    "OBJECTIVE_FIELDS",
    "ROW_FIELDS",
    "TASK_FIELDS",
    "UNCHANGED",
    "ChangeCounts",
    "ChangeKind",
    "FieldChange",
    "ObjectiveChange",
    "ObjectiveSnapshot",
    "PlanChanges",
    "PlanSnapshot",
    "RowChange",
    "RowSnapshot",
    "TaskChange",
    "TaskSnapshot",
    "build_snapshot",
    "compare_snapshots",
]
