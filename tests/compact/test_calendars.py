"""Calendar feeds: a person's secret address lists the meetings of their bodies and the actions
they own, in UTC converted from Europe/London on each date (right across the clock changes);
the public feed lists public bodies' meetings only; a wrong or stopped address is not found."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from icalendar import Calendar

from compact.models import Action, AgendaItem, Body, CalendarFeed, Meeting
from compact.services.calendars import calendar_feed_reset, calendar_feed_revoke
from tests.compact.factories import BodyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SUMMER = datetime.date(2027, 7, 6)  # BST: 10:00 local is 09:00 UTC
WINTER = datetime.date(2027, 12, 7)  # GMT: 10:00 local is 10:00 UTC


def _meeting(body: Body, day: datetime.date, **fields: Any) -> Meeting:
    return Meeting.objects.create(
        body=body,
        date=day,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 0),
        venue="Ty Dysgu",
        **fields,
    )


def _events(content: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def board(world: Any) -> Body:
    body = BodyFactory(compact=world.compact, name="Calendar Board", slug="cal-board", kind="board")
    MembershipFactory(body=body, person=world.people["board"], start_date=SUMMER)
    return body


def test_a_members_feed_lists_their_bodys_meetings_in_utc_across_the_clock_change(
    world: Any, client: Any, board: Body
) -> None:
    summer, winter = _meeting(board, SUMMER), _meeting(board, WINTER)
    other = BodyFactory(compact=world.compact, name="Other", slug="cal-other", kind="task")
    hidden = _meeting(other, SUMMER)
    feed = calendar_feed_reset(user=world.users["board"])

    response = client.get(reverse("compact:calendar_feed", kwargs={"token": feed.token}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    assert f"meeting-{hidden.pk}@compact-tracker" not in events
    summer_event = events[f"meeting-{summer.pk}@compact-tracker"]
    winter_event = events[f"meeting-{winter.pk}@compact-tracker"]
    assert summer_event.decoded("dtstart") == datetime.datetime(2027, 7, 6, 9, tzinfo=datetime.UTC)
    assert winter_event.decoded("dtstart") == datetime.datetime(
        2027, 12, 7, 10, tzinfo=datetime.UTC
    )
    assert winter_event.decoded("dtend") == datetime.datetime(2027, 12, 7, 12, tzinfo=datetime.UTC)
    assert str(summer_event["summary"]) == "Calendar Board meeting"
    assert str(summer_event["location"]) == "Ty Dysgu"


def test_cancelled_meetings_stay_as_cancelled_and_owned_actions_are_all_day_events(
    world: Any, client: Any, board: Body
) -> None:
    cancelled = _meeting(board, WINTER, status=Meeting.Status.CANCELLED)
    action = Action.objects.create(
        meeting=cancelled,
        description="Circulate the <b>draft</b> compact",
        owner=world.people["board"],
        due_date=WINTER,
    )
    Action.objects.create(
        meeting=cancelled, description="Done already", owner=world.people["board"],
        due_date=WINTER, status=Action.Status.DONE,
    )  # fmt: skip
    feed = calendar_feed_reset(user=world.users["board"])

    events = _events(
        client.get(reverse("compact:calendar_feed", kwargs={"token": feed.token})).content
    )

    assert str(events[f"meeting-{cancelled.pk}@compact-tracker"]["status"]) == "CANCELLED"
    due = events[f"action-{action.pk}@compact-tracker"]
    assert due.decoded("dtstart") == WINTER
    assert "Circulate the <b>draft</b> compact" in str(due["summary"])
    assert len(events) == 2


def test_a_wrong_reset_or_stopped_address_is_not_found(world: Any, client: Any) -> None:
    first = calendar_feed_reset(user=world.users["board"]).token
    url = reverse("compact:calendar_feed", kwargs={"token": first})
    assert client.get(url).status_code == 200
    assert client.get(url.replace(first, "x" * 43)).status_code == 404

    second = calendar_feed_reset(user=world.users["board"]).token
    assert second != first
    assert client.get(url).status_code == 404
    calendar_feed_revoke(user=world.users["board"])
    assert client.get(url.replace(first, second)).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_public_feed_lists_public_bodies_meetings_only(
    world: Any, client: Any, board: Body
) -> None:
    private = _meeting(board, SUMMER)
    public_body = BodyFactory(
        compact=world.compact,
        name="Open Board",
        slug="cal-open",
        kind="board",
        meetings_public=True,
    )
    public = _meeting(public_body, WINTER)

    events = _events(client.get(reverse("compact:calendar_public")).content)

    assert set(events) == {f"meeting-{public.pk}@compact-tracker"}
    assert "url" not in events[f"meeting-{public.pk}@compact-tracker"]
    assert private.pk != public.pk


def test_feeds_cost_a_fixed_number_of_queries(
    world: Any, client: Any, board: Body, django_assert_max_num_queries: Any
) -> None:
    feed = calendar_feed_reset(user=world.users["board"])
    url = reverse("compact:calendar_feed", kwargs={"token": feed.token})
    _meeting(board, SUMMER)
    client.get(url)
    from tests.queries import request_queries

    with request_queries() as few:
        client.get(url)
    for day in range(20):
        _meeting(board, WINTER + datetime.timedelta(days=day))
    with request_queries() as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_calendar_page_makes_resets_and_stops_the_address(world: Any, client_for: Any) -> None:
    client = client_for("board")
    page = client.get(reverse("compact:calendar")).content.decode()
    assert "Make my calendar address" in page

    client.post(reverse("compact:calendar"), {"action": "reset"})
    token = CalendarFeed.objects.get(user=world.users["board"]).token
    page = client.get(reverse("compact:calendar")).content.decode()
    assert token in page and 'for="feed-url"' in page

    client.post(reverse("compact:calendar"), {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=world.users["board"]).exists()


def test_paper_deadlines_for_presenters_and_officers(
    world: Any, client: Any, board: Body, settings: Any
) -> None:
    settings.PAPERS_DUE_DAYS = 10
    meeting = _meeting(board, WINTER)
    quiet = _meeting(board, SUMMER)
    AgendaItem.objects.create(meeting=meeting, title="Volunteering strategy", position=1,
                              presenter=world.people["board"])  # fmt: skip
    due = WINTER - datetime.timedelta(days=10)

    board_feed = calendar_feed_reset(user=world.users["board"])
    events = _events(
        client.get(reverse("compact:calendar_feed", kwargs={"token": board_feed.token})).content
    )
    papers = events[f"papers-{meeting.pk}@compact-tracker"]
    assert papers.decoded("dtstart") == due
    assert "Volunteering strategy" in str(papers["description"])
    # A member who presents nothing at a meeting has no deadline for it.
    assert f"papers-{quiet.pk}@compact-tracker" not in events

    officer_feed = calendar_feed_reset(user=world.users["officer"])
    events = _events(
        client.get(reverse("compact:calendar_feed", kwargs={"token": officer_feed.token})).content
    )
    assert {f"papers-{meeting.pk}@compact-tracker", f"papers-{quiet.pk}@compact-tracker"} <= set(
        events
    )
