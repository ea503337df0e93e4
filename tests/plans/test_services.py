"""The plan's writes: history with who and why, no lost updates, ordering, issuing updates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plans import services
from plans.models import Objective, Outcome, PlanUpdate, Task
from tests.compact.factories import PersonFactory
from tests.plans.factories import make_objective, make_plan, make_row, make_task


@pytest.fixture
def plan(world: Any) -> Any:
    return make_plan(world, objectives=0)


def test_row_edit_records_who_and_why_and_bumps_the_version(world: Any, plan: Any) -> None:
    row = make_row(make_task(make_objective(plan)))
    officer = world.users["officer"]

    saved = services.outcome_update(
        outcome=row,
        expected_version=1,
        data={"progress": "Membership schedule agreed."},
        actor=officer,
        reason="Board met",
    )

    assert saved.version == 2
    latest = saved.history.first()
    assert (latest.history_user, latest.history_change_reason) == (officer, "Board met")
    assert latest.progress == "Membership schedule agreed."


def test_second_save_with_the_same_expected_version_is_refused(world: Any, plan: Any) -> None:
    row = make_row(make_task(make_objective(plan)), progress="First draft")
    officer = world.users["officer"]
    services.outcome_update(
        outcome=row,
        expected_version=1,
        data={"progress": "Alys's words"},
        actor=officer,
    )

    with pytest.raises(services.EditConflict) as raised:
        services.outcome_update(
            outcome=row,
            expected_version=1,
            data={"progress": "Iolo's words"},
            actor=officer,
        )

    conflict = raised.value
    assert conflict.current["progress"] == "Alys's words"
    assert conflict.submitted["progress"] == "Iolo's words"
    assert conflict.current_version == 2
    row.refresh_from_db()
    assert row.progress == "Alys's words"
    assert row.history.filter(history_type="~").count() == 1


def test_saving_unchanged_text_writes_no_history(plan: Any) -> None:
    row = make_row(make_task(make_objective(plan)))
    services.outcome_update(
        outcome=row, expected_version=1, data={"outcome": row.outcome}, actor=None
    )
    row.refresh_from_db()
    assert row.version == 1
    assert row.history.count() == 1


def test_timescale_sets_due_date_and_responsibility_links_people(world: Any, plan: Any) -> None:
    person = PersonFactory(full_name="Iolo Davies", initials="ID")
    row = make_row(make_task(make_objective(plan)), timescale="Standing Item")
    assert row.due_date is None

    row = services.outcome_update(
        outcome=row,
        expected_version=1,
        data={"timescale": "Sept 08", "responsibility": "TVA (ID)"},
        actor=None,
    )

    assert row.due_date == datetime.date(2008, 9, 30)
    assert list(row.responsible_people.all()) == [person]
    assert list(row.responsible_organisations.all()) == [world.third_org]


def test_task_and_objective_edits_refuse_stale_versions(plan: Any) -> None:
    objective = make_objective(plan)
    task = make_task(objective)
    services.task_update(task=task, expected_version=1, data={"description": "New"}, actor=None)
    services.objective_update(
        objective=objective, expected_version=1, data={"statement": "New"}, actor=None
    )
    with pytest.raises(services.EditConflict):
        services.task_update(task=task, expected_version=1, data={"description": "X"}, actor=None)
    with pytest.raises(services.EditConflict):
        services.objective_update(
            objective=objective, expected_version=1, data={"statement": "X"}, actor=None
        )


def test_only_officers_may_edit(world: Any, plan: Any) -> None:
    row = make_row(make_task(make_objective(plan)))
    with pytest.raises(PermissionDenied):
        services.outcome_update(
            outcome=row, expected_version=1, data={"progress": "x"}, actor=world.users["board"]
        )


def test_duplicate_objective_number_is_refused_with_a_message(plan: Any) -> None:
    make_objective(plan, number=1)
    with pytest.raises(ValidationError) as raised:
        make_objective(plan, number=1)
    assert "already has an objective 1" in str(raised.value)


def test_rows_move_up_and_down(plan: Any) -> None:
    task = make_task(make_objective(plan))
    first, _second, third = (make_row(task, outcome=name) for name in ("A", "B", "C"))

    services.outcome_move(outcome=third, direction="up", actor=None, reason="Reorder")

    order = list(
        Outcome.objects.filter(task=task).order_by("order").values_list("outcome", flat=True)
    )
    assert order == ["A", "C", "B"]
    services.outcome_move(outcome=first, direction="up", actor=None)  # already first: no-op
    assert Outcome.objects.get(pk=first.pk).order == 0


def test_task_moves_to_another_objective_with_its_rows(plan: Any) -> None:
    one, two = make_objective(plan, number=1), make_objective(plan, number=2)
    task = make_task(one)
    make_row(task)

    services.task_move_to_objective(task=task, objective=two, actor=None, reason="Belongs to 2")

    task.refresh_from_db()
    assert task.objective == two
    assert task.outcomes.count() == 1
    assert task.history.first().history_change_reason == "Belongs to 2"


def test_deleting_an_objective_records_each_deletion(world: Any, plan: Any) -> None:
    objective = make_objective(plan)
    task = make_task(objective)
    row = make_row(task)

    services.objective_delete(objective=objective, actor=world.users["officer"], reason="Merged")

    assert not Objective.objects.filter(pk=objective.pk).exists()
    for model, pk in ((Objective, objective.pk), (Task, task.pk), (Outcome, row.pk)):
        deleted = model.history.get(id=pk, history_type="-")
        assert deleted.history_change_reason == "Merged"
        assert deleted.history_user == world.users["officer"]


def test_updates_are_numbered_and_refuse_an_earlier_date(world: Any, plan: Any) -> None:
    officer = world.users["officer"]
    first = services.plan_update_issue(
        plan=plan, actor=officer, date=datetime.date(2008, 11, 30), summary="Update"
    )
    second = services.plan_update_issue(
        plan=plan, actor=officer, date=datetime.date(2009, 1, 26), summary="Next"
    )
    assert (first.number, second.number) == (1, 2)
    assert second.issued_by == officer and second.issued_at >= first.issued_at

    with pytest.raises(ValidationError) as raised:
        services.plan_update_issue(
            plan=plan, actor=officer, date=datetime.date(2009, 1, 1), summary=""
        )
    assert "cannot be before the previous update (Update 2 is dated 26 January 2009)" in str(
        raised.value
    )
    assert PlanUpdate.objects.filter(plan=plan).count() == 2


def test_board_members_cannot_issue_updates(world: Any, plan: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.plan_update_issue(
            plan=plan, actor=world.users["board"], date=datetime.date(2009, 1, 26)
        )


def test_history_rows_carry_plan_and_parent_ids_for_rebuilding(plan: Any) -> None:
    objective = make_objective(plan)
    task = make_task(objective)
    row = make_row(task)
    record = Outcome.history.get(id=row.pk)
    assert (record.plan_id, record.task_id, record.order) == (plan.pk, task.pk, 0)
    assert Task.history.get(id=task.pk).objective_id == objective.pk


def test_moving_a_row_changes_only_the_two_rows_swapped(plan: Any) -> None:
    task = make_task(make_objective(plan))
    rows = [make_row(task, outcome=name) for name in ("A", "B", "C", "D")]

    services.outcome_move(outcome=rows[2], direction="down", actor=None)

    order = list(task.outcomes.order_by("order").values_list("outcome", flat=True))
    assert order == ["A", "B", "D", "C"]
    assert [row.history.count() for row in rows] == [1, 1, 2, 2]
