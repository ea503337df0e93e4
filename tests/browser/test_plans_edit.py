"""An officer edits a row's progress in place (htmx), with keyboard-reachable controls."""

from __future__ import annotations

from typing import Any

import pytest

from plans.models import Outcome
from tests.browser.conftest import assert_accessible
from tests.plans.factories import make_objective, make_plan, make_row, make_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_edits_a_rows_progress_in_place(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    plan = make_plan(world)
    task = make_task(make_objective(plan, number=1, statement="Develop a Compact Board."))
    row = make_row(task, outcome="Membership agreed", progress="Schedule drafted")
    login(page, world.users["officer"])
    page.goto(f"{live_server.url}/plans/{plan.slug}/")
    assert_accessible(page)

    page.locator(f"#row-{row.pk}").get_by_role("link", name="Edit row: Membership agreed").click()
    progress = page.get_by_label("Progress")
    progress.wait_for()
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
