"""Meeting actions for their owners (issue 15): *My actions* for everyone signed in, Board
members included, overdue actions marked in words, and the reminder e-mailed to the owner
before the due date, once per action and due date, in the owner's language."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from compact.models import Action, ActionReminderSent, Meeting, NotificationPreference
from compact.platform.history import save_with_history
from compact.services.actions import send_action_reminders
from compact.services.meetings import action_add, action_complete
from tests.compact.factories import make_meeting
from tests.queries import request_queries

TODAY = datetime.date(2026, 12, 4)


def _meeting(world: Any, day: datetime.date = TODAY) -> Meeting:
    return Meeting.objects.filter(body=world.board, date=day).first() or make_meeting(
        world.board, date=day
    )


def _action(world: Any, owner: str = "board", due: datetime.date | None = None, **extra: Any):
    meeting = extra.pop("meeting", None) or _meeting(world)
    return action_add(
        meeting=meeting,
        description=extra.pop("description", "Write to the Police"),
        owner=world.people[owner],
        due_date=due,
        **extra,
    )


# --- My actions -------------------------------------------------------------------------------


def test_a_board_member_sees_my_actions_with_the_overdue_one_marked_in_words(
    world: Any, client_for: Any
) -> None:
    today = timezone.localdate()
    _action(world, due=today - datetime.timedelta(days=3), description="Late letter")
    _action(world, due=today + datetime.timedelta(days=30), description="Future report")
    _action(world, owner="officer", description="The officer's own")
    done = _action(world, description="Finished already")
    action_complete(action=done)
    response = client_for("board").get(reverse("compact:my_actions"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Late letter" in page and "Future report" in page
    assert "The officer's own" not in page and "Finished already" not in page
    # The soonest due first, and "Overdue" written out beside the late one only.
    assert page.index("Late letter") < page.index("Future report")
    late_row = page[page.index("Late letter") : page.index("Future report")]
    assert 'class="rag rag-red">Overdue<' in late_row
    assert page.count('rag-red">Overdue<') == 1
    assert "1 of your actions is overdue." in page
    # The board member sits on the board, so the meeting is a link.
    assert reverse("compact:meeting_detail", kwargs={"pk": done.meeting_id}) in page


def test_the_meeting_is_not_linked_for_an_owner_who_cannot_see_it(
    world: Any, client_for: Any
) -> None:
    action = _action(world, owner="representative", description="Report back to the sector")
    page = client_for("representative").get(reverse("compact:my_actions")).content.decode()
    assert "Report back to the sector" in page and "Test Compact Board" in page
    assert reverse("compact:meeting_detail", kwargs={"pk": action.meeting_id}) not in page


def test_an_account_without_a_person_is_told_so(world: Any, client_for: Any) -> None:
    world.people["board"].user = None
    world.people["board"].save()
    page = client_for("board").get(reverse("compact:my_actions")).content.decode()
    assert "Your account is not linked to a person of the Compact" in page


def test_my_actions_costs_the_same_queries_for_one_action_or_twenty(
    world: Any, client_for: Any
) -> None:
    _action(world)
    client = client_for("board")
    url = reverse("compact:my_actions")
    client.get(url)
    with request_queries() as one:
        client.get(url)
    for number in range(19):
        day = TODAY + datetime.timedelta(days=number + 1)
        _action(world, meeting=_meeting(world, day), description=f"Task {number}")
    with request_queries() as twenty:
        page = client.get(url).content.decode()
    assert "Task 18" in page and "Meeting actions (20)" in page
    assert len(twenty.captured_queries) == len(one.captured_queries)


def test_the_dashboard_and_menu_offer_my_actions_to_a_board_member(
    world: Any, client_for: Any
) -> None:
    _action(world, due=timezone.localdate() - datetime.timedelta(days=1), description="Late")
    page = client_for("board").get(reverse("home")).content.decode()
    assert f'href="{reverse("compact:my_actions")}"' in page
    assert "All my actions (1 open)" in page and "Late" in page
    assert "1 of your actions is overdue." in page


def test_my_actions_reads_in_welsh(world: Any, client_for: Any) -> None:
    _action(world, due=timezone.localdate() - datetime.timedelta(days=1))
    client = client_for("board")
    page = client.get(reverse("compact:my_actions"), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Fy nghamau gweithredu" in page and "Yn hwyr" in page


# --- The reminder before the due date --------------------------------------------------------


def test_the_owner_is_reminded_once_before_the_due_date(world: Any, settings: Any) -> None:
    settings.ACTION_REMINDER_DAYS = 7
    action = _action(world, due=TODAY + datetime.timedelta(days=7))
    _action(world, due=TODAY + datetime.timedelta(days=8), description="Not yet")
    assert send_action_reminders(TODAY) == 1
    assert send_action_reminders(TODAY) == 0  # the same day again
    assert send_action_reminders(TODAY + datetime.timedelta(days=1)) == 1  # the second one
    assert send_action_reminders(TODAY + datetime.timedelta(days=2)) == 0
    first = mail.outbox[0]
    assert first.to == ["board@example.org"]
    assert "Write to the Police" in first.body and "Board Person" in first.body
    assert reverse("compact:my_actions") in first.body
    assert ActionReminderSent.objects.filter(action=action, due_date=action.due_date).count() == 1


def test_done_actions_and_actions_without_a_due_date_get_no_reminder(world: Any) -> None:
    done = _action(world, due=TODAY + datetime.timedelta(days=2))
    action_complete(action=done)
    _action(world, due=None, description="Whenever")
    _action(world, due=TODAY - datetime.timedelta(days=1), description="Already late")
    assert send_action_reminders(TODAY) == 0
    assert mail.outbox == []


def test_a_moved_due_date_gets_a_new_reminder(world: Any) -> None:
    action = _action(world, due=TODAY + datetime.timedelta(days=3))
    assert send_action_reminders(TODAY) == 1
    action.due_date = TODAY + datetime.timedelta(days=20)
    save_with_history(action, actor=None, reason="Due date moved")
    assert send_action_reminders(TODAY) == 0  # not within the 7 days any more
    assert send_action_reminders(TODAY + datetime.timedelta(days=14)) == 1
    assert send_action_reminders(TODAY + datetime.timedelta(days=15)) == 0
    assert len(mail.outbox) == 2
    assert sorted(
        ActionReminderSent.objects.filter(action=action).values_list("due_date", flat=True)
    ) == [TODAY + datetime.timedelta(days=3), TODAY + datetime.timedelta(days=20)]


def test_the_reminder_is_in_the_owners_language(world: Any) -> None:
    NotificationPreference.objects.create(user=world.users["board"], language="cy")
    _action(world, due=TODAY + datetime.timedelta(days=1))
    send_action_reminders(TODAY)
    message = mail.outbox[0]
    assert "Cam gweithredu" in message.subject and "Action due" not in message.subject
    assert "Write to the Police" in message.body and "You own this action" not in message.body


def test_the_reminders_command_runs_the_action_reminder(world: Any) -> None:
    _action(world, due=TODAY + datetime.timedelta(days=2))
    call_command("send_reminders", "--only", "compact.action_due", "--date", TODAY.isoformat())
    call_command("send_reminders", "--only", "compact.action_due", "--date", TODAY.isoformat())
    assert len(mail.outbox) == 1
    assert Action.objects.get().status == Action.Status.OPEN
