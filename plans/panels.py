"""The plans app's dashboard panels: each a context function of a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from compact.platform.access import Role, has_role
from compact.selectors import person_of
from plans import selectors
from plans.models import ImplementationPlan, PlanUpdate
from plans.selectors.reports import latest_updates
from plans.views.common import _decorate_rows


def dashboard_panel_context(request: HttpRequest) -> dict[str, Any] | None:
    """Overdue rows, rows due in the next 60 days and my open rows, for the latest plan."""
    if not has_role(request.user, Role.OFFICER):
        return None
    plan = selectors.current_plan()
    if plan is None:
        return None
    person = person_of(request.user)
    groups = selectors.dashboard_rows(plan, person=person)
    today = timezone.localdate()
    for group in groups.values():
        _decorate_rows(group.rows, today)
    return {"plan": plan, "person": person, **groups}


PANEL_PLANS = 3  # the newest plans on the dashboard panel


def latest_update_panel_context(request: HttpRequest) -> dict[str, Any] | None:
    """The newest issued update of each recent plan, for everyone signed in (two queries)."""
    plans = list(ImplementationPlan.objects.order_by("-created_at")[:PANEL_PLANS])
    latest = latest_updates(plans)
    entries = [{"plan": plan, "update": latest[plan.pk]} for plan in plans if plan.pk in latest]
    if not entries:
        return None
    return {"entries": entries}


def public_updates_panel_context(request: HttpRequest) -> dict[str, Any] | None:
    """The public plans with their latest issued updates, for the public home page (two
    queries)."""
    plans = list(ImplementationPlan.objects.filter(is_public=True).order_by("-created_at"))
    by_plan: dict[int, list[PlanUpdate]] = {}
    for update in PlanUpdate.objects.filter(plan__in=plans).order_by("plan_id", "-number"):
        by_plan.setdefault(update.plan_id, []).append(update)
    entries = [
        {"plan": plan, "updates": by_plan[plan.pk][:3]} for plan in plans if plan.pk in by_plan
    ]
    return {"entries": entries}
