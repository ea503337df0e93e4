"""Stored snapshots of issued updates: stored when issued, equal to the plan rebuilt from
history, frozen against later edits, and rebuilt from history when missing or outdated."""

from __future__ import annotations

import random
import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from plans.diffing import PlanChanges, compare_snapshots
from plans.models import Objective, Outcome, Task, UpdateSnapshot
from plans.selectors.reports import (
    issued_snapshots,
    plan_changes,
    plan_snapshot,
)
from plans.snapshots import SNAPSHOT_SCHEMA
from tests.naive_plan_history import plan_changes_naive
from tests.plans.factories import (
    ObjectiveFactory,
    OutcomeFactory,
    TaskFactory,
    edit_progress,
    first_row,
    issue,
    make_plan,
)

pytestmark = pytest.mark.django_db


def signature(changes: PlanChanges) -> list[tuple[Any, ...]]:
    """Everything a report shows of a change tree, flattened: order, kinds, moves, texts."""
    flat: list[tuple[Any, ...]] = []
    for objective in changes.objectives:
        flat.append(("objective", objective.id, objective.kind, objective.moved,
                     [str(field) for field in objective.fields.values()]))  # fmt: skip
        for task in objective.tasks:
            flat.append(("task", task.id, task.kind, task.moved, task.moved_from,
                         [str(field) for field in task.fields.values()]))  # fmt: skip
            for row in task.rows:
                flat.append(("row", row.id, row.kind, row.moved, row.moved_from,
                             row.moved_from_task,
                             [str(field) for field in row.fields.values()]))  # fmt: skip
    return flat


def test_issuing_stores_the_plan_as_it_stood(world: Any) -> None:
    plan = make_plan(world)
    update = issue(plan)
    stored = UpdateSnapshot.objects.get(update=update)
    assert stored.schema == SNAPSHOT_SCHEMA
    assert "Outcome 2.2.2" in stored.data
    assert issued_snapshots(plan, [update])[0] == plan_snapshot(plan=plan, at=update.issued_at)


def test_edits_after_issuing_change_neither_the_stored_snapshot_nor_the_changes(
    world: Any,
) -> None:
    plan = make_plan(world)
    one = issue(plan)
    edit_progress(first_row(plan), "Agreed at Board in April 2008")
    two = issue(plan)
    before = signature(plan_changes(plan=plan, since=one, until=two))
    stored_before = UpdateSnapshot.objects.get(update=two).data

    edit_progress(first_row(plan), "Rewritten after Update 2 was issued")
    Outcome.objects.filter(plan=plan).last().delete()
    TaskFactory(objective=Objective.objects.get(plan=plan, number=1),
                description="A task added later", order=9)  # fmt: skip

    assert UpdateSnapshot.objects.get(update=two).data == stored_before
    after = plan_changes(plan=plan, since=one, until=two)
    assert signature(after) == before
    assert after.row_counts.changed == 1 and not after.row_counts.removed
    assert "Rewritten" not in str(after.objectives[0].tasks[0].rows[0].fields["progress"])


def _random_edits(rng: random.Random, plan: Any) -> None:
    """A few edits of every kind: text, status, add, delete, move, reorder."""
    for _ in range(rng.randint(1, 6)):
        rows = list(Outcome.objects.filter(plan=plan))
        tasks = list(Task.objects.filter(plan=plan))
        objectives = list(Objective.objects.filter(plan=plan))
        action = rng.choice(["text", "text", "status", "add_row", "delete_row", "move_row",
                             "reorder_row", "add_task", "delete_task", "move_task",
                             "objective_text", "add_objective"])  # fmt: skip
        if action == "text" and rows:
            row = rng.choice(rows)
            edit_progress(row, row.progress + rng.choice([" <b>held</b>", "\nAgreed.", " & co"]))
        elif action == "status" and rows:
            row = rng.choice(rows)
            edit_progress(row, row.progress, status=rng.choice(Outcome.Status.values))
        elif action == "add_row" and tasks:
            OutcomeFactory(task=rng.choice(tasks), outcome="Added row",
                           order=rng.randint(0, 5))  # fmt: skip
        elif action == "delete_row" and rows:
            rng.choice(rows).delete()
        elif action == "move_row" and rows and tasks:
            row = rng.choice(rows)
            row.task = rng.choice(tasks)
            row.save()
        elif action == "reorder_row" and rows:
            row = rng.choice(rows)
            row.order = rng.randint(0, 5)
            row.save()
        elif action == "add_task" and objectives:
            TaskFactory(objective=rng.choice(objectives),
                        description="Added task", order=rng.randint(0, 5))  # fmt: skip
        elif action == "delete_task" and len(tasks) > 1:
            rng.choice(tasks).delete()
        elif action == "move_task" and tasks and objectives:
            task = rng.choice(tasks)
            task.objective = rng.choice(objectives)
            task.save()
        elif action == "objective_text" and objectives:
            objective = rng.choice(objectives)
            objective.statement += " Reviewed annually."
            objective.save()
        elif action == "add_objective":
            number = max((objective.number for objective in objectives), default=0) + 1
            ObjectiveFactory(plan=plan, number=number, order=number, statement="New")


@pytest.mark.parametrize("seed", range(6))
def test_stored_snapshots_equal_the_plan_rebuilt_from_history(world: Any, seed: int) -> None:
    """Property: on a random plan with random edits between updates, every stored snapshot
    equals the snapshot rebuilt from history at its update, and the changes computed from
    stored snapshots equal those computed from history snapshots, item by item."""
    rng = random.Random(seed)
    plan = make_plan(world, objectives=rng.randint(1, 3), tasks=rng.randint(1, 3),
                     rows=rng.randint(1, 3), slug=f"random-{seed}")  # fmt: skip
    updates = []
    for _ in range(4):
        _random_edits(rng, plan)
        updates.append(issue(plan))
        time.sleep(0.001)  # later edits are dated after issued_at, as the plan lock ensures
    _random_edits(rng, plan)  # edits after the last update change none of them

    stored = issued_snapshots(plan, updates)
    rebuilt = [plan_snapshot(plan=plan, at=update.issued_at) for update in updates]
    assert stored == rebuilt
    for older, newer in [(0, 1), (1, 2), (2, 3), (0, 3)]:
        from_stored = plan_changes(plan=plan, since=updates[older], until=updates[newer])
        from_history = compare_snapshots(rebuilt[older], rebuilt[newer])
        assert signature(from_stored) == signature(from_history)
        naive = plan_changes_naive(plan=plan, since=updates[older], until=updates[newer])
        assert naive.row_counts == from_stored.row_counts


def test_updates_without_a_stored_snapshot_are_read_from_history_and_stored_by_the_command(
    world: Any, django_assert_num_queries: Any
) -> None:
    plan = make_plan(world)
    one = issue(plan)
    edit_progress(first_row(plan), "Meetings held in December 2007")
    two = issue(plan)
    expected = signature(plan_changes(plan=plan, since=one, until=two))
    UpdateSnapshot.objects.filter(update=one).delete()
    UpdateSnapshot.objects.filter(update=two).update(schema=SNAPSHOT_SCHEMA - 1, data="[]")
    edit_progress(first_row(plan), "Edited after both updates")

    # Read Update 2's (not current), list the earlier updates, read Update 1's (none), rebuild
    # both from history (3): the report is right, and a read writes nothing.
    with django_assert_num_queries(6):
        first = plan_changes(plan=plan, since=one, until=two)
    assert signature(first) == expected
    assert UpdateSnapshot.objects.get(update=two).schema == SNAPSHOT_SCHEMA - 1
    assert not UpdateSnapshot.objects.filter(update=one).exists()

    out = StringIO()
    call_command("store_snapshots", stdout=out)
    assert "Stored 2 snapshot(s)." in out.getvalue()
    assert UpdateSnapshot.objects.get(update=two).schema == SNAPSHOT_SCHEMA
    with django_assert_num_queries(1):
        assert signature(plan_changes(plan=plan, since=one, until=two)) == expected
    # Update 1's stored snapshot is the plan as it stood then.
    assert plan_changes(plan=plan, since=None, until=one).row_counts.added == 8
    assert issued_snapshots(plan, [one])[0] == plan_snapshot(plan=plan, at=one.issued_at)
    call_command("store_snapshots", stdout=out)
    assert "Stored 0 snapshot(s)." in out.getvalue()


def test_any_two_updates_cost_two_queries_and_consecutive_ones_one(
    world: Any, django_assert_num_queries: Any
) -> None:
    plan = make_plan(world)
    updates = []
    for text in ("First", "Second", "Third"):
        edit_progress(first_row(plan), text)
        updates.append(issue(plan))
    with django_assert_num_queries(1):
        consecutive = plan_changes(plan=plan, since=updates[1], until=updates[2])
    with django_assert_num_queries(2):
        apart = plan_changes(plan=plan, since=updates[0], until=updates[2])
    assert str(consecutive.objectives[0].tasks[0].rows[0].fields["progress"]) == (
        "<del>Second</del><ins>Third</ins>"
    )
    assert str(apart.objectives[0].tasks[0].rows[0].fields["progress"]) == (
        "<del>First</del><ins>Third</ins>"
    )


def test_untouched_tasks_are_shared_between_two_stored_snapshots(world: Any) -> None:
    plan = make_plan(world)
    one = issue(plan)
    edit_progress(first_row(plan), "Only this row changed")
    two = issue(plan)
    old, new = issued_snapshots(plan, [one, two])
    assert old.objectives[0].tasks[0] is not new.objectives[0].tasks[0]
    assert old.objectives[0].tasks[1] is new.objectives[0].tasks[1]
    assert old.objectives[1] is new.objectives[1]  # nothing in objective 2 changed
