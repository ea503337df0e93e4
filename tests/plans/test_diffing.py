"""The word-level diff and the comparison of plan snapshots (pure: no database)."""

from __future__ import annotations

from dataclasses import replace

from compact.platform.textdiff import diff_html, tokenize
from plans.diffing import (
    ChangeKind,
    ObjectiveSnapshot,
    PlanSnapshot,
    RowSnapshot,
    TaskSnapshot,
    build_snapshot,
    compare_snapshots,
)

# --- text diff ------------------------------------------------------------------------------


def test_tokens_join_back_to_the_text_including_newlines() -> None:
    text = "Meetings held in Dec 07.\n\nQuarterly  meeting programmed for 2009."
    assert "".join(tokenize(text)) == text


def test_appended_words_are_marked_inserted_and_the_rest_left_alone() -> None:
    html = diff_html("Membership agreed", "Membership agreed in April 2008")
    assert html == "Membership agreed<ins> in April 2008</ins>"


def test_removed_words_are_marked_deleted() -> None:
    html = diff_html("Meetings held in April and May", "Meetings held in April")
    assert html == "Meetings held in April<del> and May</del>"


def test_replaced_words_show_both_the_old_and_the_new() -> None:
    html = diff_html("Due in Sept 08", "Due in Oct 09")
    assert html == "Due in <del>Sept 08</del><ins>Oct 09</ins>"


def test_identical_text_has_no_marks_but_is_escaped() -> None:
    assert diff_html("a < b", "a < b") == "a &lt; b"


def test_newlines_are_kept_inside_and_outside_changes() -> None:
    html = diff_html("First line", "First line\nSecond line")
    assert html == "First line<ins>\nSecond line</ins>"


def test_empty_old_text_makes_all_new_text_inserted() -> None:
    assert diff_html("", "New progress") == "<ins>New progress</ins>"
    assert diff_html(None, None) == ""


def test_html_in_user_text_is_escaped_in_every_part_of_the_diff() -> None:
    assert diff_html("", "<script>x</script>") == "<ins>&lt;script&gt;x&lt;/script&gt;</ins>"
    old = 'Safe <b>bold</b> <img src="file:///etc/passwd">'
    new = 'Safe <script>alert("x")</script> <img src="file:///etc/passwd">'
    html = diff_html(old, new)
    assert "<script>" not in html
    assert "<img" not in html
    assert "<b>" not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    # The only tags are the diff's own.
    tags = {part.split(">")[0] for part in html.split("<")[1:]}
    assert tags <= {"ins", "/ins", "del", "/del"}


# --- snapshot comparison --------------------------------------------------------------------


def row(row_id: int, task_id: int, order: int, progress: str = "", **fields: str) -> RowSnapshot:
    return RowSnapshot(
        id=row_id, task_id=task_id, order=order, outcome=f"Outcome {row_id}", progress=progress,
        **fields,
    )  # fmt: skip


def plan(*objectives: ObjectiveSnapshot) -> PlanSnapshot:
    return PlanSnapshot(plan_id=1, objectives=tuple(objectives))


def objective(
    objective_id: int, order: int, *tasks: TaskSnapshot, statement: str = ""
) -> ObjectiveSnapshot:
    return ObjectiveSnapshot(
        id=objective_id, order=order, number=order, statement=statement or f"Statement {order}",
        tasks=tuple(replace(task, objective_id=objective_id) for task in tasks),
    )  # fmt: skip


def task(task_id: int, order: int, *rows: RowSnapshot, description: str = "") -> TaskSnapshot:
    return TaskSnapshot(
        id=task_id, objective_id=0, order=order, description=description or f"Task {task_id}",
        rows=tuple(replace(item, task_id=task_id) for item in rows),
    )  # fmt: skip


BASE = plan(
    objective(1, 1, task(10, 1, row(100, 10, 1), row(101, 10, 2)), task(11, 2, row(110, 11, 1))),
    objective(2, 2, task(20, 1, row(200, 20, 1))),
)


def kinds(changes) -> dict:  # type: ignore[no-untyped-def]
    found = {}
    for objective_change in changes.objectives:
        found[("objective", objective_change.id)] = objective_change.kind
        for task_change in objective_change.tasks:
            found[("task", task_change.id)] = task_change.kind
            for row_change in task_change.rows:
                found[("row", row_change.id)] = row_change.kind
    return found


def test_same_snapshot_has_no_changes() -> None:
    changes = compare_snapshots(BASE, BASE)
    assert not changes.has_changes
    assert set(kinds(changes).values()) == {ChangeKind.UNCHANGED}
    assert changes.changed_only() == []


def test_progress_edit_marks_only_that_row_changed_with_inserted_words() -> None:
    new = plan(
        objective(
            1, 1,
            task(10, 1, row(100, 10, 1), row(101, 10, 2, progress="Agreed at Board")),
            task(11, 2, row(110, 11, 1)),
        ),
        objective(2, 2, task(20, 1, row(200, 20, 1))),
    )  # fmt: skip
    changes = compare_snapshots(BASE, new)
    found = kinds(changes)
    assert found[("row", 101)] == ChangeKind.CHANGED
    assert found[("row", 100)] == ChangeKind.UNCHANGED
    assert found[("task", 10)] == ChangeKind.UNCHANGED
    assert changes.row_counts.changed == 1
    changed_row = changes.objectives[0].tasks[0].rows[1]
    assert changed_row.fields["progress"].html == "<ins>Agreed at Board</ins>"
    assert not changed_row.fields["outcome"].changed


def test_new_row_is_added_and_its_text_wholly_inserted() -> None:
    new = plan(
        objective(1, 1, task(10, 1, row(100, 10, 1), row(102, 10, 2), row(101, 10, 3)),
                  task(11, 2, row(110, 11, 1))),
        objective(2, 2, task(20, 1, row(200, 20, 1))),
    )  # fmt: skip
    changes = compare_snapshots(BASE, new)
    rows = changes.objectives[0].tasks[0].rows
    assert [item.id for item in rows] == [100, 102, 101]
    assert rows[1].kind == ChangeKind.ADDED
    assert rows[1].fields["outcome"].html == "<ins>Outcome 102</ins>"
    # Inserting a row before another does not make the later one "moved".
    assert rows[2].kind == ChangeKind.UNCHANGED
    assert changes.row_counts.added == 1 and changes.row_counts.moved == 0


def test_removed_row_stays_where_it_was_and_is_struck_through() -> None:
    new = plan(
        objective(1, 1, task(10, 1, row(101, 10, 2)), task(11, 2, row(110, 11, 1))),
        objective(2, 2, task(20, 1, row(200, 20, 1))),
    )
    changes = compare_snapshots(BASE, new)
    rows = changes.objectives[0].tasks[0].rows
    assert [(item.id, item.kind) for item in rows] == [
        (100, ChangeKind.REMOVED),
        (101, ChangeKind.UNCHANGED),
    ]
    assert rows[0].fields["outcome"].html == "<del>Outcome 100</del>"
    assert changes.row_counts.removed == 1


def test_task_moved_to_another_objective_says_where_it_came_from() -> None:
    new = plan(
        objective(1, 1, task(10, 1, row(100, 10, 1), row(101, 10, 2))),
        objective(2, 2, task(20, 1, row(200, 20, 1)), task(11, 2, row(110, 11, 1))),
    )
    changes = compare_snapshots(BASE, new)
    moved = changes.objectives[1].tasks[1]
    assert moved.id == 11
    assert moved.kind == ChangeKind.MOVED
    assert moved.moved_from == "1"
    # Not also shown as removed from objective 1.
    assert [item.id for item in changes.objectives[0].tasks] == [10]
    assert changes.task_counts.moved == 1 and changes.task_counts.removed == 0


def test_row_moved_to_another_task_names_the_old_task_and_objective() -> None:
    new = plan(
        objective(1, 1, task(10, 1, row(100, 10, 1)), task(11, 2, row(110, 11, 1))),
        objective(2, 2, task(20, 1, row(200, 20, 1), row(101, 20, 2))),
    )
    changes = compare_snapshots(BASE, new)
    moved = changes.objectives[1].tasks[0].rows[1]
    assert moved.kind == ChangeKind.MOVED
    assert moved.moved_from == "1"
    assert moved.moved_from_task == "Task 10"
    assert 101 not in [item.id for item in changes.objectives[0].tasks[0].rows]


def test_reordered_tasks_are_marked_moved_but_not_changed() -> None:
    new = plan(
        objective(1, 1, task(11, 1, row(110, 11, 1)), task(10, 2, row(100, 10, 1),
                  row(101, 10, 2))),
        objective(2, 2, task(20, 1, row(200, 20, 1))),
    )  # fmt: skip
    changes = compare_snapshots(BASE, new)
    assert changes.task_counts.moved == 1
    assert changes.task_counts.changed == 0
    moved = [item for item in changes.objectives[0].tasks if item.moved]
    assert len(moved) == 1 and moved[0].moved_from == ""


def test_moved_and_edited_row_is_changed_and_moved() -> None:
    new = plan(
        objective(1, 1, task(10, 1, row(101, 10, 1, progress="Done"), row(100, 10, 2)),
                  task(11, 2, row(110, 11, 1))),
        objective(2, 2, task(20, 1, row(200, 20, 1))),
    )  # fmt: skip
    changes = compare_snapshots(BASE, new)
    first = changes.objectives[0].tasks[0].rows[0]
    assert first.kind == ChangeKind.CHANGED and first.moved
    assert changes.row_counts.changed == 1


def test_new_objective_and_removed_objective_are_labelled_with_all_their_rows() -> None:
    new = plan(
        objective(1, 1, task(10, 1, row(100, 10, 1), row(101, 10, 2)),
                  task(11, 2, row(110, 11, 1))),
        objective(3, 2, task(30, 1, row(300, 30, 1)), statement="Monitor the Compact"),
    )  # fmt: skip
    changes = compare_snapshots(BASE, new)
    assert [(item.id, item.kind) for item in changes.objectives] == [
        (1, ChangeKind.UNCHANGED),
        (2, ChangeKind.REMOVED),  # kept where it was
        (3, ChangeKind.ADDED),
    ]
    assert changes.objectives[2].fields["statement"].html == "<ins>Monitor the Compact</ins>"
    assert changes.objectives[1].tasks[0].rows[0].kind == ChangeKind.REMOVED
    assert changes.objectives[2].tasks[0].rows[0].kind == ChangeKind.ADDED
    assert changes.objective_counts.added == 1 and changes.objective_counts.removed == 1
    assert changes.row_counts.added == 1 and changes.row_counts.removed == 1


def test_comparing_against_nothing_makes_everything_new() -> None:
    changes = compare_snapshots(None, BASE)
    assert changes.row_counts.added == BASE.row_count == 4
    assert changes.objective_counts.added == 2


def test_changes_only_keeps_just_the_changed_branches() -> None:
    new = plan(
        objective(1, 1, task(10, 1, row(100, 10, 1), row(101, 10, 2)),
                  task(11, 2, row(110, 11, 1, progress="Started"))),
        objective(2, 2, task(20, 1, row(200, 20, 1))),
    )  # fmt: skip
    only = compare_snapshots(BASE, new).changed_only()
    assert [item.id for item in only] == [1]
    assert [item.id for item in only[0].tasks] == [11]
    assert [item.id for item in only[0].tasks[0].rows] == [110]


def test_build_snapshot_orders_levels_and_drops_orphans() -> None:
    snapshot = build_snapshot(
        7,
        [ObjectiveSnapshot(id=2, order=2), ObjectiveSnapshot(id=1, order=1)],
        [TaskSnapshot(id=10, objective_id=1, order=2), TaskSnapshot(id=11, objective_id=1,
         order=1), TaskSnapshot(id=99, objective_id=42, order=1)],
        [RowSnapshot(id=5, task_id=10, order=2), RowSnapshot(id=4, task_id=10, order=1),
         RowSnapshot(id=6, task_id=99, order=1)],
    )  # fmt: skip
    assert [item.id for item in snapshot.objectives] == [1, 2]
    assert [item.id for item in snapshot.objectives[0].tasks] == [11, 10]
    assert [item.id for item in snapshot.objectives[0].tasks[1].rows] == [4, 5]
    assert snapshot.row_count == 2


def test_diff_sides_marks_removed_words_before_and_new_words_after_escaped() -> None:
    from compact.platform.textdiff import diff_sides_html

    before, after = diff_sides_html("Met <Alys> in May", "Met <Alys> in June")
    assert before == "Met &lt;Alys&gt; in <del>May</del>"
    assert after == "Met &lt;Alys&gt; in <ins>June</ins>"
