"""Who may use the update and report URLs. The report views are public only for a public plan
(the plan built here is public); tests/plans/test_reports.py checks a private plan gives 404."""

from typing import Any

from tests.access import EVERYONE, OFFICERS, Case


def report_plan(world: Any) -> Any:
    """A public plan with two issued updates, built once per test."""
    if "report_plan" not in world.extra:
        from tests.plans.factories import edit_progress, first_row, issue, make_plan

        plan = make_plan(world, slug="access-plan", is_public=True, objectives=1, tasks=1)
        issue(plan)
        edit_progress(first_row(plan), "Edited for Update 2")
        issue(plan)
        world.extra["report_plan"] = plan
    return world.extra["report_plan"]


def plan_kwargs(world: Any) -> dict[str, Any]:
    return {"slug": report_plan(world).slug}


def update_kwargs(world: Any) -> dict[str, Any]:
    return {"slug": report_plan(world).slug, "number": 2}


CASES: dict[str, Case] = {
    "plans:update_index": Case(EVERYONE),
    "plans:update_list": Case(EVERYONE, plan_kwargs),
    "plans:update_report": Case(EVERYONE, update_kwargs),
    "plans:update_changes": Case(EVERYONE, update_kwargs),
    "plans:update_report_pdf": Case(EVERYONE, update_kwargs),
    "plans:update_export": Case(EVERYONE, lambda world: {**update_kwargs(world), "fmt": "csv"}),
    "plans:update_word": Case(EVERYONE, update_kwargs),
    "plans:update_compare": Case(EVERYONE, plan_kwargs, query="?since=1&until=2"),
    "plans:update_compare_pdf": Case(EVERYONE, plan_kwargs, query="?since=1&until=2", posts=True),
    "plans:progress_report": Case(EVERYONE, plan_kwargs),
    "plans:progress_pdf": Case(EVERYONE, plan_kwargs, posts=True),
    "plans:draft_changes": Case(OFFICERS, plan_kwargs),
    "plans:draft_pdf": Case(OFFICERS, plan_kwargs, posts=True),
    "plans:update_issue": Case(OFFICERS, plan_kwargs),
    "plans:update_paper_edit": Case(OFFICERS, update_kwargs),
}
