"""Who may do what with a plan. Officers edit the live plan and issue updates; everyone else
reads issued updates only (see plans/views for the reports)."""

from __future__ import annotations

from typing import Any

import rules

from compact.platform.access import is_officer

RULES = {
    "plans.edit_plan": is_officer,
    "plans.issue_update": is_officer,
    "plans.view_live_plan": is_officer,
}


def register_rules() -> None:
    """Install the rules above (from ``plans.registrations``)."""
    for name, predicate in RULES.items():
        rules.set_perm(name, predicate)


def can_edit_plan(user: Any, plan: Any = None) -> bool:
    """Officers (and superusers) edit every field of the live plan."""
    return bool(user is not None and user.has_perm("plans.edit_plan", plan))


def can_issue_update(user: Any, plan: Any = None) -> bool:
    return bool(user is not None and user.has_perm("plans.issue_update", plan))
