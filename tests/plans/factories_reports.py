"""Small builders for report tests: issued updates and edits between them (the plan itself:
``tests.plans.factories.make_plan``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from plans.models import ImplementationPlan, Outcome, PlanUpdate
from plans.services import plan_update_issue


def issue(plan: ImplementationPlan, *, actor: Any = None, day: datetime.date | None = None,
          summary: str = "") -> PlanUpdate:  # fmt: skip
    """Issue the next update through the service, as an officer would."""
    return plan_update_issue(
        plan=plan, actor=actor, date=day or timezone.localdate(), summary=summary
    )


def first_row(plan: ImplementationPlan) -> Outcome:
    return Outcome.objects.filter(plan=plan).order_by("task__objective__order", "task__order",
                                                       "order").first()  # fmt: skip


def edit_progress(row: Outcome, progress: str, **fields: Any) -> Outcome:
    row.progress = progress
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    return row
