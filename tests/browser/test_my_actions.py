"""A Board member finds *My actions* in the menu: the action they own (overdue, said in words)
and the plan rows that name them, readable on a phone and by axe."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from compact.services.meetings import action_add
from plans.selectors.actions import ACTION_LINK_TARGET
from tests.browser.conftest import assert_accessible, follow_menu
from tests.browser.test_phone_width import OFFENDERS_JS, PHONE
from tests.compact.factories import make_meeting
from tests.plans.factories import make_objective, make_plan, make_row, make_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_board_member_reads_my_actions_from_the_menu_on_a_phone(
    world: Any, page: Any, live_server: Any, login: Any
) -> None:
    board = world.people["board"]
    board.initials = "BO"
    board.save()
    task = make_task(make_objective(make_plan(world, objectives=0)))
    row = make_row(task, outcome="Publish the Compact in Welsh and English", responsibility="BO")
    make_row(task, outcome="Someone else's row", responsibility="TVA")
    meeting = make_meeting(world.board, date=timezone.localdate() - datetime.timedelta(days=30))
    action_add(
        meeting=meeting,
        description="Send the Board's comments on the draft",
        owner=board,
        due_date=timezone.localdate() - datetime.timedelta(days=2),
        links=[(ACTION_LINK_TARGET, row.pk)],
    )

    login(page, world.users["board"])
    follow_menu(page, "My actions")
    page.set_viewport_size(PHONE)
    page.reload(wait_until="load")

    assert page.get_by_role("heading", level=1).inner_text() == "My actions"
    actions = page.get_by_role("region", name="Open actions I own")
    assert actions.get_by_text("Send the Board's comments on the draft").is_visible()
    assert actions.get_by_text("Overdue", exact=True).is_visible()
    rows = page.get_by_role("region", name="Plan rows I answer for")
    assert rows.get_by_text("Publish the Compact in Welsh and English").is_visible()
    assert rows.get_by_text("Someone else's row").count() == 0
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, page.evaluate(OFFENDERS_JS)
    assert_accessible(page)
