"""Writes to the plan. Each function is one change: it checks permission, validates, locks what
must not race, writes in one transaction and records who and why in the history.

``actor=None`` means a trusted system caller (``import_plan``, ``load_demo``): no permission
check, history user left empty. Views always pass ``request.user``.
"""

from plans.services.items import (
    OBJECTIVE_FIELDS,
    OUTCOME_FIELDS,
    TASK_FIELDS,
    Direction,
    EditConflict,
    objective_create,
    objective_delete,
    objective_move,
    objective_update,
    outcome_create,
    outcome_delete,
    outcome_move,
    outcome_update,
    outcomes_update,
    plan_create,
    plan_update_settings,
    task_create,
    task_delete,
    task_move,
    task_move_to_objective,
    task_update,
)
from plans.services.updates import (
    AlreadyIssued,
    check_update_date,
    plan_update_issue,
    plan_update_paper_edit,
    snapshots_store,
)

__all__ = [
    "OBJECTIVE_FIELDS",
    "OUTCOME_FIELDS",
    "TASK_FIELDS",
    "AlreadyIssued",
    "Direction",
    "EditConflict",
    "check_update_date",
    "objective_create",
    "objective_delete",
    "objective_move",
    "objective_update",
    "outcome_create",
    "outcome_delete",
    "outcome_move",
    "outcome_update",
    "outcomes_update",
    "plan_create",
    "plan_update_issue",
    "plan_update_paper_edit",
    "plan_update_settings",
    "snapshots_store",
    "task_create",
    "task_delete",
    "task_move",
    "task_move_to_objective",
    "task_update",
]
