"""Access to the live plan and its editor: officers (and superusers) only."""

from tests.access import OFFICERS, Case
from tests.plans.factories import sample_plan


def _plan(world):
    return {"slug": sample_plan(world)["plan"].slug}


def _pk(key):
    return lambda world: {"pk": sample_plan(world)[key].pk}


def _item(kind, key):
    return lambda world: {"kind": kind, "pk": sample_plan(world)[key].pk}


CASES: dict[str, Case] = {
    "plans:plan_list": Case(allowed=OFFICERS),
    "plans:plan_import": Case(allowed=OFFICERS),
    "plans:plan_detail": Case(allowed=OFFICERS, kwargs=_plan),
    "plans:plan_rows": Case(allowed=OFFICERS, kwargs=_plan, query="?due=overdue&mine=on"),
    "plans:objective_add": Case(allowed=OFFICERS, kwargs=_plan),
    "plans:objective_show": Case(allowed=OFFICERS, kwargs=_pk("objective")),
    "plans:objective_edit": Case(allowed=OFFICERS, kwargs=_pk("objective")),
    "plans:task_add": Case(allowed=OFFICERS, kwargs=_pk("objective")),
    "plans:task_show": Case(allowed=OFFICERS, kwargs=_pk("task")),
    "plans:task_edit": Case(allowed=OFFICERS, kwargs=_pk("task")),
    "plans:task_relocate": Case(allowed=OFFICERS, kwargs=_pk("task")),
    "plans:row_add": Case(allowed=OFFICERS, kwargs=_pk("task")),
    "plans:row_show": Case(allowed=OFFICERS, kwargs=_pk("row")),
    "plans:row_edit": Case(allowed=OFFICERS, kwargs=_pk("row")),
    "plans:item_delete": Case(allowed=OFFICERS, kwargs=_item("row", "row")),
    "plans:item_move": Case(
        allowed=OFFICERS,
        kwargs=_item("task", "task"),
        method="post",
        data=lambda world: {"direction": "up"},
    ),
    "plans:item_history": Case(allowed=OFFICERS, kwargs=_item("row", "row")),
}
CASES["plans:plan_create"] = Case(allowed=OFFICERS)
CASES["plans:plan_settings"] = Case(allowed=OFFICERS, kwargs=_plan)
# The progress spreadsheet: download and upload (officers; contributors come with update calls).
CASES["plans:progress_sheet"] = Case(
    allowed=OFFICERS, kwargs=lambda world: {**_plan(world), "fmt": "xlsx"}
)
CASES["plans:progress_upload"] = Case(allowed=OFFICERS, kwargs=_plan)
