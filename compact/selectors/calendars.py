"""What a calendar feed lists: the meetings a person may see (and the public ones), and the
actions they own, as calendar events (a fixed number of queries whatever their number)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import Action, Body, CalendarFeed, Meeting
from compact.platform.calendars import CalendarEvent, local_moment
from compact.selectors import person_of
from compact.selectors.meetings import visible_bodies

HISTORY_DAYS = 365  # past meetings kept in a feed, so last year's stay in people's calendars


def feed_for_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.select_related("user").filter(token=token).first()


def _meeting_event(meeting: Meeting, site_url: str, *, link: bool = True) -> CalendarEvent:
    return CalendarEvent(
        uid=f"meeting-{meeting.pk}@compact-tracker",
        summary=_("%(body)s meeting") % {"body": meeting.body.name},
        start=local_moment(meeting.date, meeting.start_time),
        end=local_moment(meeting.date, meeting.end_time),
        location=meeting.where,
        url=site_url + meeting.get_absolute_url() if link else "",
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def _meetings(bodies: Any) -> list[Meeting]:
    since = timezone.localdate() - datetime.timedelta(days=HISTORY_DAYS)
    return list(
        Meeting.objects.filter(body__in=bodies, date__gte=since)
        .select_related("body")
        .order_by("date", "start_time")
    )


def personal_events(user: Any, *, site_url: str) -> list[CalendarEvent]:
    """The meetings of the bodies the user sits on (officers: every body) and the open actions
    they own, with due dates (three queries)."""
    events = [_meeting_event(meeting, site_url) for meeting in _meetings(visible_bodies(user))]
    person = person_of(user)
    if person is not None:
        actions = Action.objects.filter(
            owner=person, status=Action.Status.OPEN, due_date__isnull=False
        ).select_related("meeting__body")
        events += [
            CalendarEvent(
                uid=f"action-{action.pk}@compact-tracker",
                summary=_("Action due: %(action)s") % {"action": action.description[:80]},
                start=action.due_date,
                end=action.due_date + datetime.timedelta(days=1),
                description=action.description,
                url=site_url + reverse("compact:meeting_detail", kwargs={"pk": action.meeting_id}),
            )
            for action in actions
        ]
    return events


def public_events(*, site_url: str) -> list[CalendarEvent]:
    """The meetings of bodies whose meetings are listed publicly (one query); without links,
    as the meeting pages are for members."""
    bodies = Body.objects.filter(meetings_public=True)
    return [_meeting_event(meeting, site_url, link=False) for meeting in _meetings(bodies)]
