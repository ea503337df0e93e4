"""Reads for updates and change reports: the plan as it stood at a moment, and the changes
between two moments, each a fixed number of queries whatever the plan's size.

The plan at a moment comes from the history tables (see plans/models.py): one range query per
table (``plan_id`` and ``history_date <= moment``), the latest record of each id kept, ids whose
latest record is a deletion dropped. Comparing two moments reads each table once and derives
both snapshots from the same records.

An issued update is frozen, so its snapshot is stored once (plans/snapshots.py) and reports
between issued updates diff stored snapshots: one query, no history scan. Dates (the progress
report) and the naive benchmark path still read the history; the draft reads the live tables.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.utils import timezone

from compact.platform.history import history_model
from plans.diffing import (
    ObjectiveSnapshot,
    PlanChanges,
    PlanSnapshot,
    RowSnapshot,
    TaskSnapshot,
    build_snapshot,
    compare_snapshots,
)
from plans.models import ImplementationPlan, Objective, Outcome, PlanUpdate, Task, UpdateSnapshot
from plans.snapshots import (
    SNAPSHOT_SCHEMA,
    decode_snapshots,
    decode_with_previous,
    encode_snapshot,
)

OBJECTIVE_VALUES = ("id", "order", "number", "title", "statement", "title_cy", "statement_cy")
TASK_VALUES = ("id", "objective_id", "order", "description", "description_cy")
ROW_VALUES = (
    "id", "task_id", "order", "outcome", "timescale", "responsibility", "progress", "status",
    "outcome_cy", "timescale_cy", "responsibility_cy", "progress_cy",
)  # fmt: skip
STATUS_LABELS = dict(Outcome.Status.choices)


def _objective(values: Sequence[Any]) -> ObjectiveSnapshot:
    objective_id, order, number, title, statement, title_cy, statement_cy = values
    return ObjectiveSnapshot(objective_id, order, number, title, statement, (), title_cy,
                             statement_cy)  # fmt: skip


def _task(values: Sequence[Any]) -> TaskSnapshot:
    task_id, objective_id, order, description, description_cy = values
    return TaskSnapshot(task_id, objective_id, order, description, (), description_cy)


def _row(values: Sequence[Any], labels: dict[str, str] | None = None) -> RowSnapshot:
    *rest, status, outcome_cy, timescale_cy, responsibility_cy, progress_cy = values
    label = (labels or _status_labels()).get(status, status)
    return RowSnapshot(*rest, label, outcome_cy, timescale_cy, responsibility_cy, progress_cy)


def _status_labels() -> dict[str, str]:
    """Status labels in the active language, translated once per report, not once per row."""
    return {value: str(label) for value, label in STATUS_LABELS.items()}


TABLES: tuple[tuple[type[Model], tuple[str, ...], Any], ...] = (
    (Objective, OBJECTIVE_VALUES, _objective),
    (Task, TASK_VALUES, _task),
    (Outcome, ROW_VALUES, _row),
)


def _history_records(
    model: type[Model], fields: Sequence[str], plan_id: int, moments: Sequence[Any]
) -> Any:
    """The history records of the plan's items that are the latest of their id at one of the
    moments: one range query, with "latest of each id" worked out by the database (a window
    per moment), so only the records a snapshot needs come back.

    Each record starts with one 0/1 flag per moment: is it the latest of its id there?"""
    history = history_model(model)
    latest = {
        f"latest_{index}": Window(
            Max(Case(When(history_date__lte=moment, then=F("history_date")))),
            partition_by=[F("id")],
        )
        for index, moment in enumerate(moments)
    }
    flags = {
        f"before_{index}": Case(
            When(history_date=F(name), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for index, name in enumerate(latest)
    }
    wanted = Q()
    for name in latest:
        wanted |= Q(history_date=F(name))
    return (
        history.objects.filter(plan_id=plan_id, history_date__lte=max(moments))
        .annotate(**latest)
        .annotate(**flags)
        .filter(wanted)
        .order_by()
        .values_list(*flags, "history_type", *fields)
    )


def _latest_at(
    records: Iterable[Sequence[Any]], count: int, make: Callable[[Sequence[Any]], Any]
) -> list[list[Any]]:
    """Sort the records flagged by :func:`_history_records` into one list of snapshot items per
    moment, leaving out ids whose latest record there is a deletion. A record that is the
    latest at several moments becomes one shared item, so comparing finds it unchanged at once.
    """
    results: list[list[Any]] = [[] for _ in range(count)]
    values_start = count + 1
    for record in records:
        if record[count] == "-":
            continue
        item = make(record[values_start:])
        for index in range(count):
            if record[index]:
                results[index].append(item)
    return results


def _snapshots_at(
    plan: ImplementationPlan, moments: Sequence[Any], *, status_values: bool = False
) -> list[PlanSnapshot]:
    """The plan at each moment (datetimes), three queries in all. Rows carry status labels,
    or with ``status_values`` the stored values (for :func:`plans.snapshots.encode_snapshot`).
    """
    labels = {value: value for value in STATUS_LABELS} if status_values else _status_labels()
    makers = (_objective, _task, lambda values: _row(values, labels))
    per_table = [
        _latest_at(_history_records(model, fields, plan.pk, moments), len(moments), make)
        for (model, fields, _make), make in zip(TABLES, makers, strict=True)
    ]
    return [
        build_snapshot(plan.pk, per_table[0][index], per_table[1][index], per_table[2][index])
        for index in range(len(moments))
    ]


def _live_snapshot(plan: ImplementationPlan) -> PlanSnapshot:
    """The working draft from the live tables: three queries."""
    objectives = [
        _objective(values)
        for values in Objective.objects.filter(plan=plan).values_list(*OBJECTIVE_VALUES)
    ]
    tasks = [_task(values) for values in Task.objects.filter(plan=plan).values_list(*TASK_VALUES)]
    labels = _status_labels()
    rows = [
        _row(values, labels)
        for values in Outcome.objects.filter(plan=plan).values_list(*ROW_VALUES)
    ]
    return build_snapshot(plan.pk, objectives, tasks, rows)


def plan_snapshot(*, plan: ImplementationPlan, at: datetime.datetime | None) -> PlanSnapshot:
    """The plan as it stood at a moment (None: the live working draft). Three queries."""
    if at is None:
        return _live_snapshot(plan)
    return _snapshots_at(plan, [at])[0]


@dataclass
class PlanComparison:
    """What a change report shows: the plan at ``until`` compared with it at ``since``.

    The snapshots are read and compared on first use, so a report whose rendering is cached
    (see plans/reports.py) costs no snapshot decoding."""

    plan: ImplementationPlan
    since: PlanUpdate | None
    until: PlanUpdate | None  # None: the live draft, not issued

    @cached_property
    def _pair(self) -> tuple[PlanSnapshot | None, PlanSnapshot]:
        plan, since, until = self.plan, self.since, self.until
        if until is None:
            old = issued_snapshots(plan, [since])[0] if since else None
            return old, _live_snapshot(plan)
        if since is None:
            return None, issued_snapshots(plan, [until])[0]
        return issued_snapshot_pair(plan, since, until)

    @property
    def snapshot(self) -> PlanSnapshot:
        return self._pair[1]

    @cached_property
    def changes(self) -> PlanChanges:
        return compare_snapshots(*self._pair)


def issued_snapshot_blobs(
    plan: ImplementationPlan, updates: Sequence[PlanUpdate]
) -> dict[int, str]:
    """The stored snapshots of issued updates, by update id: one query. Any update without one
    in the current format (issued before snapshots were stored, or stored in an older format)
    gets it built from history at its ``issued_at`` (six more queries), not stored: a read
    never writes. Issuing stores the new update's snapshot (``plans.services``), and
    ``manage.py store_snapshots`` stores any missing ones after a format change.
    """
    ids = {update.pk for update in updates}
    blobs = _stored_blobs(ids)
    missing = sorted(
        {update.pk: update for update in updates if update.pk not in blobs}.values(),
        key=attrgetter("number"),
    )
    if missing:
        blobs.update(build_snapshot_blobs(plan, missing))
    return blobs


def _stored_blobs(ids: Iterable[int]) -> dict[int, str]:
    return dict(
        UpdateSnapshot.objects.filter(update_id__in=ids, schema=SNAPSHOT_SCHEMA).values_list(
            "update_id", "data"
        )
    )


def missing_snapshots(updates: Sequence[PlanUpdate]) -> list[PlanUpdate]:
    """The updates whose snapshot is not stored in the current format, in number order."""
    stored = _stored_blobs({update.pk for update in updates})
    return sorted(
        {update.pk: update for update in updates if update.pk not in stored}.values(),
        key=attrgetter("number"),
    )


def build_snapshot_blobs(plan: ImplementationPlan, missing: list[PlanUpdate]) -> dict[int, str]:
    """Build the encoded snapshots of ``missing`` (in number order) from history, each with the
    update before it (see plans/snapshots.py). Reads only; the service stores them."""
    earlier = list(
        PlanUpdate.objects.filter(plan=plan, number__lt=missing[-1].number)
        .order_by("number")
        .only("pk", "number", "issued_at")
    )
    previous: dict[int, PlanUpdate | None] = {}
    for update in missing:
        before = [other for other in earlier if other.number < update.number]
        previous[update.pk] = before[-1] if before else None
    missing_ids = {update.pk for update in missing}
    wanted = {other.pk: other for other in previous.values() if other is not None}
    have = _stored_blobs(set(wanted) - missing_ids)
    unstored = [other for pk, other in wanted.items() if pk not in have and pk not in missing_ids]
    to_build = [*missing, *unstored]
    built = dict(
        zip(
            [update.pk for update in to_build],
            _snapshots_at(plan, [update.issued_at for update in to_build], status_values=True),
            strict=True,
        )
    )
    for update in unstored:  # only to keep the update before: not stored here
        have[update.pk] = encode_snapshot(built[update.pk])
    made: dict[int, str] = {}
    for update in missing:
        before = previous[update.pk]
        kept = None
        if before is not None:
            kept = (before.pk, made.get(before.pk) or have[before.pk])
        made[update.pk] = encode_snapshot(built[update.pk], kept)
    return made


def issued_snapshots(plan: ImplementationPlan, updates: Sequence[PlanUpdate]) -> list[PlanSnapshot]:
    """The plan at each issued update, from the stored snapshots (see plans/snapshots.py): one
    query once they are stored. Tasks that are the same in several of them are shared objects.
    """
    blobs = issued_snapshot_blobs(plan, updates)
    return decode_snapshots(plan.pk, [blobs[update.pk] for update in updates], _status_labels())


def issued_snapshot_pair(
    plan: ImplementationPlan, since: PlanUpdate, until: PlanUpdate
) -> tuple[PlanSnapshot, PlanSnapshot]:
    """The plan at two issued updates: one query when ``since`` is the update before
    ``until`` (its stored snapshot keeps that one too), two otherwise."""
    labels = _status_labels()
    blobs = issued_snapshot_blobs(plan, [until])
    pair = decode_with_previous(plan.pk, blobs[until.pk], since.pk, labels)
    if pair is not None:
        return pair
    blobs.update(issued_snapshot_blobs(plan, [since]))
    old, new = decode_snapshots(plan.pk, [blobs[since.pk], blobs[until.pk]], labels)
    return old, new


def plan_changes(
    *,
    plan: ImplementationPlan,
    since: PlanUpdate | None,
    until: PlanUpdate | None,
) -> PlanChanges:
    """The changes to the plan from update ``since`` (None: from nothing) to update ``until``
    (None: the live draft). Issued updates come from their stored snapshots: one query (two
    if ``since`` is not the update just before ``until``; four for the live draft, which
    reads the live tables)."""
    return plan_comparison(plan=plan, since=since, until=until).changes


def plan_comparison(
    *,
    plan: ImplementationPlan,
    since: PlanUpdate | None,
    until: PlanUpdate | None,
) -> PlanComparison:
    return PlanComparison(plan=plan, since=since, until=until)


# --- updates --------------------------------------------------------------------------------


def plan_updates(plan: ImplementationPlan) -> QuerySet[PlanUpdate]:
    """The plan's issued updates, newest first, with who issued them."""
    return plan.updates.select_related("issued_by").order_by("-number")


def update_by_number(plan: ImplementationPlan, number: int) -> PlanUpdate | None:
    """The plan's issued update of that number, or None."""
    return PlanUpdate.objects.select_related("issued_by").filter(plan=plan, number=number).first()


def previous_update(update: PlanUpdate) -> PlanUpdate | None:
    return (
        PlanUpdate.objects.filter(plan_id=update.plan_id, number__lt=update.number)
        .order_by("-number")
        .first()
    )


def latest_update(plan: ImplementationPlan) -> PlanUpdate | None:
    return PlanUpdate.objects.filter(plan=plan).order_by("-number").first()


def draft_fingerprint(plan: ImplementationPlan) -> str:
    """Changes whenever the working draft does: the number of history records of the plan's
    objectives, tasks and rows and the newest of them (every save and deletion adds one, and
    the services write nothing without history). Three queries on the history's plan index."""
    parts = []
    for model, _fields, _make in TABLES:
        history = history_model(model)
        found = history.objects.filter(plan_id=plan.pk).aggregate(
            count=Count("history_id"), newest=Max("history_date")
        )
        newest = found["newest"].isoformat() if found["newest"] else "-"
        parts.append(f"{found['count']}@{newest}")
    return "/".join(parts)


def issue_state(plan: ImplementationPlan) -> str:
    """What an officer previews before issuing: the latest issued update's number and the
    draft's fingerprint. The issue form carries it; issuing refuses when it has moved (a second
    click, another officer's issue, or an edit since the preview). Four queries."""
    latest = latest_update(plan)
    return f"{latest.number if latest else 0}|{draft_fingerprint(plan)}"


def draft_changed_since(plan: ImplementationPlan, moment: datetime.datetime) -> bool:
    """True when an objective, task or row of the plan was saved or deleted after the moment
    (every service write adds a history record). At most three indexed queries."""
    for model, _fields, _make in TABLES:
        history = history_model(model)
        if history.objects.filter(plan_id=plan.pk, history_date__gt=moment).exists():
            return True
    return False


def latest_updates(plans: Sequence[ImplementationPlan]) -> dict[int, PlanUpdate]:
    """Each plan's newest issued update, by plan id: one query."""
    newest = (
        PlanUpdate.objects.filter(plan_id=OuterRef("plan_id"))
        .order_by("-number")
        .values("number")[:1]
    )
    updates = PlanUpdate.objects.filter(plan__in=plans, number=Subquery(newest))
    return {update.plan_id: update for update in updates}


# --- annual progress ------------------------------------------------------------------------


@dataclass(frozen=True)
class AchievedRow:
    task: TaskSnapshot
    row: RowSnapshot


@dataclass(frozen=True)
class ObjectiveProgress:
    objective: ObjectiveSnapshot
    achieved: list[AchievedRow]
    total_rows: int
    achieved_to_date: int


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def moment_of(value: PlanUpdate | datetime.date | None) -> datetime.datetime | None:
    """An update's issue moment, or the end of a date (so the whole day counts)."""
    if isinstance(value, PlanUpdate):
        return value.issued_at
    if isinstance(value, datetime.date):
        return _end_of_day(value)
    return None


def plan_progress(
    *,
    plan: ImplementationPlan,
    since: datetime.datetime | None,
    until: datetime.datetime | None,
) -> list[ObjectiveProgress]:
    """Per objective, the rows achieved between two moments (None: from the start / up to now):
    achieved at ``until`` and not achieved (or not there) at ``since``. Three queries."""
    moments = [since or datetime.datetime.min.replace(tzinfo=datetime.UTC), until]
    # Compare stored status values, never labels: labels follow the reader's language.
    old, new = _snapshots_at(plan, moments, status_values=True)
    labels = _status_labels()
    achieved_before = {
        row.id
        for objective in old.objectives
        for task in objective.tasks
        for row in task.rows
        if row.status == Outcome.Status.ACHIEVED
    }
    result = []
    for objective in new.objectives:
        achieved = []
        total = done = 0
        for task in objective.tasks:
            for row in task.rows:
                total += 1
                if row.status == Outcome.Status.ACHIEVED:
                    done += 1
                    if row.id not in achieved_before:
                        shown = dataclasses.replace(row, status=labels[row.status])
                        achieved.append(AchievedRow(task=task, row=shown))
        result.append(
            ObjectiveProgress(
                objective=objective, achieved=achieved, total_rows=total, achieved_to_date=done
            )
        )
    return result
