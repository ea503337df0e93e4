"""The plan as at a moment, and the changes between updates, from the history tables."""

from __future__ import annotations

from typing import Any

import pytest

from plans.diffing import ChangeKind
from plans.models import Objective, Outcome, Task
from plans.selectors.reports import (
    plan_changes,
    plan_progress,
    plan_snapshot,
)
from tests.naive_plan_history import plan_changes_naive, plan_snapshot_naive
from tests.plans.factories import OutcomeFactory, edit_progress, first_row, issue, make_plan

pytestmark = pytest.mark.django_db


def progress_texts(snapshot: Any) -> list[str]:
    return [row.progress for o in snapshot.objectives for t in o.tasks for row in t.rows]


def test_snapshot_at_an_update_ignores_later_edits(world: Any) -> None:
    plan = make_plan(world)
    update = issue(plan)
    edit_progress(first_row(plan), "Agreed at Board in April 2008")
    at_update = plan_snapshot(plan=plan, at=update.issued_at)
    live = plan_snapshot(plan=plan, at=None)
    assert "Agreed at Board in April 2008" not in progress_texts(at_update)
    assert "Agreed at Board in April 2008" in progress_texts(live)
    assert at_update.row_count == live.row_count == 8


def test_snapshot_drops_rows_deleted_before_the_moment_and_keeps_them_before(world: Any) -> None:
    plan = make_plan(world)
    before = issue(plan)
    first_row(plan).delete()
    after = issue(plan)
    assert plan_snapshot(plan=plan, at=before.issued_at).row_count == 8
    assert plan_snapshot(plan=plan, at=after.issued_at).row_count == 7


def test_changes_between_updates_mark_edited_added_removed_and_moved(world: Any) -> None:
    plan = make_plan(world)
    update_one = issue(plan)
    row = first_row(plan)
    edit_progress(row, "Meetings held in December 2007")
    task = Task.objects.get(plan=plan, description="Task 1.2")
    added = OutcomeFactory(task=task, outcome="New indicator", order=9)
    Outcome.objects.get(plan=plan, outcome="Outcome 2.1.2").delete()
    moved = Task.objects.get(plan=plan, description="Task 2.2")
    moved.objective = Objective.objects.get(plan=plan, number=1)
    moved.order = 3
    moved.save()
    update_two = issue(plan)

    changes = plan_changes(plan=plan, since=update_one, until=update_two)

    assert changes.row_counts.changed == 1
    assert changes.row_counts.added == 1
    assert changes.row_counts.removed == 1
    assert changes.task_counts.moved == 1
    first = changes.objectives[0].tasks[0].rows[0]
    assert first.id == row.id
    assert first.fields["progress"].html == "Meetings held<ins> in December 2007</ins>"
    moved_change = next(t for t in changes.objectives[0].tasks if t.id == moved.id)
    assert moved_change.kind == ChangeKind.MOVED and moved_change.moved_from == "2"
    added_change = next(r for r in changes.objectives[0].tasks[1].rows if r.id == added.id)
    assert added_change.kind == ChangeKind.ADDED


def test_draft_changes_compare_the_live_plan_with_the_last_update(world: Any) -> None:
    plan = make_plan(world)
    update = issue(plan)
    edit_progress(first_row(plan), "Draft words")
    changes = plan_changes(plan=plan, since=update, until=None)
    assert changes.row_counts.changed == 1


def test_first_update_shows_everything_as_new(world: Any) -> None:
    plan = make_plan(world)
    update = issue(plan)
    changes = plan_changes(plan=plan, since=None, until=update)
    assert changes.row_counts.added == 8


def test_naive_lookup_agrees_with_the_range_query(world: Any) -> None:
    plan = make_plan(world)
    one = issue(plan)
    edit_progress(first_row(plan), "Changed once")
    first_row(plan).delete()
    two = issue(plan)
    assert plan_snapshot_naive(plan=plan, at=two.issued_at) == plan_snapshot(
        plan=plan, at=two.issued_at
    )
    fast = plan_changes(plan=plan, since=one, until=two)
    slow = plan_changes_naive(plan=plan, since=one, until=two)
    assert fast.row_counts == slow.row_counts


@pytest.mark.parametrize("size", [1, 4])
def test_changes_cost_a_fixed_number_of_queries_whatever_the_plan_size(
    world: Any, size: int, django_assert_max_num_queries: Any
) -> None:
    plan = make_plan(world, objectives=size, tasks=size, rows=size)
    one = issue(plan)
    for row in Outcome.objects.filter(plan=plan)[:3]:
        edit_progress(row, "Edited " + row.outcome)
    two = issue(plan)
    # Issued updates: their two stored snapshots, one query.
    with django_assert_max_num_queries(1):
        plan_changes(plan=plan, since=one, until=two)
    with django_assert_max_num_queries(3):
        plan_snapshot(plan=plan, at=two.issued_at)
    with django_assert_max_num_queries(3):
        plan_snapshot(plan=plan, at=None)
    # The draft: the stored snapshot of the last update and the three live tables.
    with django_assert_max_num_queries(4):
        plan_changes(plan=plan, since=two, until=None)


def test_progress_lists_rows_achieved_in_the_period_per_objective(world: Any) -> None:
    plan = make_plan(world)
    row = first_row(plan)
    row.status = Outcome.Status.ACHIEVED
    row.save()
    one = issue(plan)
    second = Outcome.objects.get(plan=plan, outcome="Outcome 2.1.1")
    edit_progress(second, "Done", status=Outcome.Status.ACHIEVED)
    two = issue(plan)
    progress = plan_progress(plan=plan, since=one.issued_at, until=two.issued_at)
    assert [len(item.achieved) for item in progress] == [0, 1]
    assert progress[1].achieved[0].row.id == second.id
    assert [item.achieved_to_date for item in progress] == [1, 1]
    everything = plan_progress(plan=plan, since=None, until=two.issued_at)
    assert [len(item.achieved) for item in everything] == [1, 1]


@pytest.fixture
def welsh_status_labels() -> Any:
    """A Welsh catalogue entry for "Achieved" (there is no Welsh catalogue yet), removed after."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("cy")._catalog
    catalog["Achieved"] = "Wedi'i gyflawni"
    yield
    for mapping in getattr(catalog, "_catalogs", [catalog]):
        mapping.pop("Achieved", None)


def test_progress_counts_achieved_rows_whatever_the_readers_language(
    world: Any, welsh_status_labels: Any
) -> None:
    from django.utils import translation

    plan = make_plan(world)
    row = first_row(plan)
    row.status = Outcome.Status.ACHIEVED
    row.save()
    update = issue(plan)
    with translation.override("cy"):
        progress = plan_progress(plan=plan, since=None, until=update.issued_at)
        assert [item.achieved_to_date for item in progress] == [1, 0]
        assert progress[0].achieved[0].row.status == "Wedi'i gyflawni"
