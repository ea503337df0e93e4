"""Who may do what with a plan. Officers edit the live plan and issue updates; everyone else
reads issued updates only (see plans/views for the reports)."""

from __future__ import annotations

from typing import Any

import rules

from compact.platform.access import Role, has_role


@rules.predicate
def is_plan_officer(user: Any, plan: Any = None) -> bool:
    return has_role(user, Role.OFFICER)


rules.add_perm("plans.edit_plan", is_plan_officer)
rules.add_perm("plans.issue_update", is_plan_officer)
rules.add_perm("plans.view_live_plan", is_plan_officer)


def can_edit_plan(user: Any, plan: Any = None) -> bool:
    """Officers (and superusers) edit every field of the live plan."""
    return bool(user is not None and user.has_perm("plans.edit_plan", plan))


def can_issue_update(user: Any, plan: Any = None) -> bool:
    return bool(user is not None and user.has_perm("plans.issue_update", plan))
