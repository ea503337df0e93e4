"""An officer edits a row's progress in place (htmx), with keyboard-reachable controls."""

from __future__ import annotations

from typing import Any

import pytest

from plans.models import Outcome
from tests.browser.conftest import assert_accessible, click_and_load
from tests.plans.factories import make_objective, make_plan, make_row, make_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_edits_a_rows_progress_in_place(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    plan = make_plan(world, objectives=0)
    task = make_task(make_objective(plan, number=1, statement="Develop a Compact Board."))
    row = make_row(task, outcome="Membership agreed", progress="Schedule drafted")
    login(page, world.users["officer"])
    page.goto(f"{live_server.url}/plans/{plan.slug}/")
    assert_accessible(page)

    page.locator(f"#row-{row.pk}").get_by_role("link", name="Edit row: Membership agreed").click()
    progress = page.get_by_label("Progress", exact=True)
    progress.wait_for()
    _focused(page, "TEXTAREA")  # the editor moves focus into the form once it settles
    assert "/edit/" not in page.url  # swapped in place, no page load
    progress.fill("Membership schedule agreed. First meeting held in Dec 07.")
    page.get_by_label("Reason for change").fill("Board minutes")
    page.get_by_role("button", name="Save row").click()

    saved = page.locator(f"#row-{row.pk}")
    saved.get_by_text("First meeting held in Dec 07.").wait_for()
    assert saved.locator("form.row-form").count() == 0
    row.refresh_from_db()
    assert row.version == 2
    assert row.history.first().history_change_reason == "Board minutes"
    assert Outcome.objects.get(pk=row.pk).progress.startswith("Membership schedule agreed")


def test_editor_pages_pass_axe(world: Any, page: Any, live_server: Any, login: Any) -> None:
    plan = make_plan(world, objectives=0)
    objective = make_objective(plan, number=1, statement="Develop a Compact Board.")
    task = make_task(objective)
    row = make_row(task, outcome="Membership agreed", progress="Schedule drafted")
    login(page, world.users["officer"])
    for path in (
        f"/plans/{plan.slug}/rows/?due=overdue",
        f"/plans/items/row/{row.pk}/history/",
        f"/plans/items/task/{task.pk}/delete/",
        f"/plans/tasks/{task.pk}/relocate/",
        f"/plans/rows/{row.pk}/edit/",
        "/plans/import/",
        "/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)


def test_conflict_page_shows_both_texts_and_passes_axe(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    plan = make_plan(world, objectives=0)
    row = make_row(make_task(make_objective(plan)), progress="Original")
    login(page, world.users["officer"])
    page.goto(f"{live_server.url}/plans/{plan.slug}/")
    page.locator(f"#row-{row.pk}").get_by_role("link", name="Edit row: Membership agreed").click()
    page.get_by_label("Progress", exact=True).wait_for()
    _focused(page, "TEXTAREA")
    page.get_by_label("Progress", exact=True).fill("Iolo: papers sent")
    # Meanwhile another officer saves the same row.
    from plans import services

    services.outcome_update(
        outcome=row, expected_version=1, data={"progress": "Alys: meeting held"}, actor=None
    )
    page.get_by_role("button", name="Save row").click()

    page.get_by_role("heading", name="Someone else saved this first").wait_for()
    assert page.get_by_role("cell", name="Alys: meeting held").is_visible()
    assert page.get_by_role("cell", name="Iolo: papers sent").first.is_visible()
    assert page.get_by_role("rowheader", name="Progress changed by both: choose").is_visible()
    assert_accessible(page)
    page.get_by_label("Progress", exact=True).fill("Alys: meeting held. Iolo: papers sent")
    click_and_load(page, page.get_by_role("button", name="Save merged version"))
    row.refresh_from_db()
    assert row.progress == "Alys: meeting held. Iolo: papers sent"
    assert row.version == 3


def test_merge_keeps_one_sided_changes_from_both_sessions(
    world: Any, browser: Any, live_server: Any, login: Any
) -> None:
    """Session A changes the timescale, session B (loaded before A saved) only the status. B's
    conflict page merges both; saving it keeps A's timescale and B's status, at 390 px."""
    plan = make_plan(world, objectives=0)
    row = make_row(make_task(make_objective(plan)), timescale="Dec 07")
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 390, "height": 844})
        session = context.new_page()
        login(session, world.users["officer"])
        session.goto(f"{live_server.url}/plans/rows/{row.pk}/edit/")
        pages.append(session)
    a, b = pages
    a.get_by_label("Timescale", exact=True).fill("March 2008")
    click_and_load(a, a.get_by_role("button", name="Save row"))
    b.get_by_label("Status").select_option(label="In progress")
    b.get_by_role("button", name="Save row").click()

    b.get_by_role("heading", name="Someone else saved this first").wait_for()
    assert b.get_by_role("rowheader", name="Timescale changed by them only (kept)").is_visible()
    assert b.get_by_role("rowheader", name="Status changed by you only (kept)").is_visible()
    assert b.get_by_label("Timescale", exact=True).input_value() == "March 2008"
    assert b.get_by_label("Status").input_value() == "in_progress"
    assert b.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(b)
    click_and_load(b, b.get_by_role("button", name="Save merged version"))
    row.refresh_from_db()
    assert (row.timescale, row.status, row.version) == ("March 2008", "in_progress", 3)


def test_editing_a_row_deleted_meanwhile_says_so(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    plan = make_plan(world, objectives=0)
    row = make_row(make_task(make_objective(plan)))
    login(page, world.users["officer"])
    page.goto(f"{live_server.url}/plans/{plan.slug}/")
    from plans import services

    services.outcome_delete(outcome=row, actor=None, reason="Duplicate")
    page.locator(f"#row-{row.pk}").get_by_role("link", name="Edit row: Membership agreed").click()

    alert = page.locator("#plans-status")
    alert.wait_for()
    assert "someone has deleted it" in alert.inner_text()


def test_keyboard_focus_follows_the_in_place_edit(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    plan = make_plan(world, objectives=0)
    row = make_row(make_task(make_objective(plan)), progress="Schedule drafted")
    login(page, world.users["officer"])
    page.goto(f"{live_server.url}/plans/{plan.slug}/")
    edit = page.locator(f"#row-{row.pk}").get_by_role("link", name="Edit row: Membership agreed")
    edit.focus()
    page.keyboard.press("Enter")
    page.get_by_label("Outcomes / Indicators", exact=True).wait_for()
    assert _focused(page, "TEXTAREA") == "outcome"

    page.get_by_role("link", name="Cancel").click()
    page.locator(f"#row-{row.pk} .row-form").wait_for(state="detached")
    assert _focused(page, "A") == "Edit row: Membership agreed"


def _focused(page: Any, tag: str) -> str:
    """Wait until an element of the tag has focus (polling from Python: the page's CSP
    forbids the eval that wait_for_function uses); return its name or text."""
    found: list[str] = []
    for _ in range(60):
        found = page.evaluate(
            "() => [document.activeElement.tagName,"
            " document.activeElement.name || document.activeElement.textContent.trim()]"
        )
        if found[0] == tag:
            return found[1]
        page.wait_for_timeout(50)
    raise AssertionError(f"focus is on {found}, not a {tag}")
