"""The naive way to read a plan's history: one query per item ever in the plan. Kept only for
the tests and the benchmark, to prove the production range query (plans.selectors.reports)
reads the same snapshot and to measure what it saves."""

from __future__ import annotations

import datetime

from compact.platform.history import history_model
from plans.diffing import PlanChanges, PlanSnapshot, build_snapshot, compare_snapshots
from plans.models import ImplementationPlan, PlanUpdate
from plans.selectors.reports import TABLES


def plan_snapshot_naive(*, plan: ImplementationPlan, at: datetime.datetime) -> PlanSnapshot:
    """The snapshot ``plan_snapshot`` reads, history looked up row by row."""
    made = []
    for model, fields, make in TABLES:
        history = history_model(model)
        ids = sorted(set(history.objects.filter(plan_id=plan.pk).values_list("id", flat=True)))
        items = []
        for item_id in ids:
            record = (
                history.objects.filter(id=item_id, history_date__lte=at)
                .order_by("-history_date", "-history_id")
                .values_list("history_type", *fields)
                .first()
            )
            if record is not None and record[0] != "-":
                items.append(make(record[1:]))
        made.append(items)
    return build_snapshot(plan.pk, *made)


def plan_changes_naive(
    *, plan: ImplementationPlan, since: PlanUpdate, until: PlanUpdate
) -> PlanChanges:
    old = plan_snapshot_naive(plan=plan, at=since.issued_at)
    new = plan_snapshot_naive(plan=plan, at=until.issued_at)
    return compare_snapshots(old, new)
